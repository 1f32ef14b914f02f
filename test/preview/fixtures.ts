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

/**
 * Synthesizes a one-cluster app into a fresh directory; returns the cdktf.out path. `hosts` names
 * Docker hosts to create (`address` 10.77.0.<n+2>) and spread the brokers over, instead of the one
 * host `host`.
 */
export function synth(
  define: Define,
  props: Partial<StreamingClusterProps> = {},
  ids: { stack?: string; cluster?: string; hosts?: readonly string[] } = {},
): string {
  const dir = tempDir("sluice-plan-");
  const app = new App({ outdir: dir });
  const stack = new TerraformStack(app, ids.stack ?? "app");
  const where: Partial<StreamingClusterProps> =
    ids.hosts === undefined
      ? { target: new DockerHost(stack, "host", {}) }
      : {
          targets: ids.hosts.map(
            (id, i) =>
              new DockerHost(stack, id, {
                host: `ssh://root@10.77.0.${i + 2}`,
                address: `10.77.0.${i + 2}`,
              }),
          ),
        };
  const cluster = new StreamingCluster(stack, ids.cluster ?? "cluster", {
    ...where,
    clusterName: "events",
    engine: Engine.bundled({ baseImage: "node:22-bookworm-slim" }),
    ...props,
  });
  define(cluster);
  app.synth();
  return dir;
}
