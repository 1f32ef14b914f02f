import * as fs from "node:fs";
import * as path from "node:path";
import { z } from "zod";

/**
 * The lock file records, per cluster, the sizes that only grow (topic partitions, volume sizes) as of
 * the last successful synth. The next synth compares against it and refuses a decrease unless the
 * construct acknowledges it (`allowPartitionDecrease` / `allowVolumeShrink`). Commit it next to the
 * app, like a package lock, so every deployer compares against the same history.
 */
export interface ClusterLock {
  /** Topic name → partition count. */
  readonly topics: Readonly<Record<string, number>>;
  /** Volume name → size in GiB. */
  readonly volumes: Readonly<Record<string, number>>;
}

/** The lock file document. */
export interface LockDocument {
  /** The lock file format version (1). */
  readonly lockVersion: 1;
  /** Cluster name → its recorded sizes. */
  readonly clusters: Readonly<Record<string, ClusterLock>>;
}

/** The context key naming the lock file (`cdktf.json` → `context`). */
export const LOCK_FILE_CONTEXT_KEY = "sluice:lockFile";

const lockSchema = z.object({
  lockVersion: z.literal(1),
  clusters: z.record(
    z.string(),
    z.object({
      topics: z.record(z.string(), z.number().int()),
      volumes: z.record(z.string(), z.number()),
    }),
  ),
});

/** A lock file that exists but cannot be read as a lock. */
export class LockFileError extends Error {
  /** The error class name, for `instanceof`-free checks and logs. */
  override readonly name = "LockFileError";
}

/** Reads a lock file; a missing file is an empty lock. */
export function readLock(file: string): LockDocument {
  let text: string;
  try {
    text = fs.readFileSync(file, "utf8");
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === "ENOENT") return { lockVersion: 1, clusters: {} };
    throw e;
  }
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch {
    throw new LockFileError(
      `${file}: not valid JSON; fix it or delete it (the next synth recreates it)`,
    );
  }
  const parsed = lockSchema.safeParse(doc);
  if (!parsed.success) {
    throw new LockFileError(
      `${file}: not a Sluice lock file (${parsed.error.issues[0]?.message ?? "bad shape"}); fix it or delete it`,
    );
  }
  return parsed.data;
}

/** Records one cluster's sizes, keeping the other clusters' entries; keys sorted so diffs stay small. */
export function writeClusterLock(file: string, clusterName: string, lock: ClusterLock): void {
  const current = readLock(file);
  const sorted = (r: Readonly<Record<string, number>>) =>
    Object.fromEntries(Object.entries(r).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
  const clusters = {
    ...current.clusters,
    [clusterName]: { topics: sorted(lock.topics), volumes: sorted(lock.volumes) },
  };
  const doc: LockDocument = {
    lockVersion: 1,
    clusters: Object.fromEntries(
      Object.entries(clusters).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)),
    ),
  };
  const text = `${JSON.stringify(doc, null, 2)}\n`;
  if (fs.existsSync(file) && fs.readFileSync(file, "utf8") === text) return;
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const tmp = `${file}.${process.pid}.tmp`;
  fs.writeFileSync(tmp, text);
  fs.renameSync(tmp, file);
}
