import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { TerraformStack, Testing } from "cdktf";
import { Engine } from "../../lib/constructs/engine";
import {
  StreamingCluster,
  type StreamingClusterProps,
} from "../../lib/constructs/streaming-cluster";
import { DockerHost, type DockerHostProps } from "../../lib/targets/docker/docker-host";

/** A stack with a Docker host and a cluster on a prebuilt image (no esbuild run). */
export function clusterFixture(
  props: Partial<StreamingClusterProps> = {},
  hostProps: DockerHostProps = {},
  context: Record<string, unknown> = {},
): { stack: TerraformStack; host: DockerHost; cluster: StreamingCluster } {
  const app = Testing.app({ context });
  const stack = new TerraformStack(app, "test");
  const host = new DockerHost(stack, "host", hostProps);
  const cluster = new StreamingCluster(stack, "cluster", {
    target: host,
    clusterName: "test",
    engine: Engine.bundled({ prebuiltImage: "sluice:test" }),
    ...props,
  });
  return { stack, host, cluster };
}

/** Runs the synth-time validations and returns their error text ("" when there is none). */
export function validationErrors(stack: TerraformStack): string {
  try {
    Testing.synth(stack, true);
    return "";
  } catch (e) {
    return (e as Error).message;
  }
}

const tempDirs: string[] = [];

/** A fresh lock file path in a temporary directory (removed by {@link removeTempDirs}). */
export function tempLockFile(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "sluice-lock-"));
  tempDirs.push(dir);
  return path.join(dir, "sluice.lock.json");
}

/** Removes the directories {@link tempLockFile} created; call from `afterAll`. */
export function removeTempDirs(): void {
  for (const dir of tempDirs.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
}

/** Synthesized stack JSON as an object. */
export function synthJson(stack: TerraformStack): {
  provider?: Record<string, Array<Record<string, unknown>>>;
  resource: Record<string, Record<string, Record<string, unknown>>>;
  output: Record<string, { value: unknown; sensitive?: boolean }>;
} {
  return JSON.parse(Testing.synth(stack, true));
}
