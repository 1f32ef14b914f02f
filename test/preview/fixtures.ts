import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { App, TerraformStack } from "cdktf";
import { Engine } from "../../lib/constructs/engine";
import {
  StreamingCluster,
  type StreamingClusterProps,
} from "../../lib/constructs/streaming-cluster";
import { DockerHost } from "../../lib/targets/docker/docker-host";

const dirs: string[] = [];

/** Removes the directories {@link synth} made. */
export function removeSynthDirs(): void {
  for (const dir of dirs.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
}

/** A fresh temporary directory, removed by {@link removeSynthDirs}. */
export function tempDir(prefix: string): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  dirs.push(dir);
  return dir;
}

/** Adds topics, tenants… to a cluster. */
export type Define = (cluster: StreamingCluster) => void;

/** Synthesizes a one-cluster app into a fresh directory; returns the cdktf.out path. */
export function synth(
  define: Define,
  props: Partial<StreamingClusterProps> = {},
  ids: { stack?: string; cluster?: string } = {},
): string {
  const dir = tempDir("sluice-plan-");
  const app = new App({ outdir: dir });
  const stack = new TerraformStack(app, ids.stack ?? "app");
  const cluster = new StreamingCluster(stack, ids.cluster ?? "cluster", {
    target: new DockerHost(stack, "host", {}),
    clusterName: "events",
    engine: Engine.bundled({ baseImage: "node:22-bookworm-slim" }),
    ...props,
  });
  define(cluster);
  app.synth();
  return dir;
}
