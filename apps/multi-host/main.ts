/**
 * Apache Kafka over three Docker hosts (see multi-host-stack.ts for the environment it reads, and
 * docs/multi-host.md for running it on three real machines).
 *
 *   npx cdktf deploy --app "npx tsx apps/multi-host/main.ts"
 */
import { App } from "cdktf";
import { MultiHostStack, multiHostStackPropsFromEnv } from "./multi-host-stack";

const app = new App();
new MultiHostStack(app, "sluice-multi", multiHostStackPropsFromEnv(process.env));
app.synth();
