/**
 * The default app that the README deploys: one bundled broker on the local Docker engine, example
 * topics and two tenants. Environment: SLUICE_BASE_IMAGE, SLUICE_HOST_PORT, SLUICE_ORDERS_PARTITIONS,
 * SLUICE_ORDERS_RETENTION_HOURS, SLUICE_LOCK_FILE, SLUICE_LOCAL_TENANTS, SLUICE_LOCAL_EXTRA_TENANT, DOCKER_HOST (see apps/local/local-stack.ts).
 */
import { App } from "cdktf";
import { LocalStack, localStackPropsFromEnv } from "./local-stack";

const app = new App();
new LocalStack(app, "sluice-local", localStackPropsFromEnv(process.env));
app.synth();
