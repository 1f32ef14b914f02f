import { existsSync } from "node:fs";
import * as path from "node:path";
import type { LogConfig } from "./log-config";
import { PREVIOUS_COPY, type StateFileKind } from "./state-file";

/** Per-partition metadata file (topic overrides and the log start offset). */
export const PARTITION_META_FILE = "partition.json";
/** Producer-state snapshots: `<next offset, 20 digits>.snapshot` in the partition's directory. */
export const SNAPSHOT_EXT = ".snapshot";

/** The offsets the producer snapshots among a directory's `names` were taken at. */
export function snapshotOffsets(names: readonly string[]): number[] {
  return names
    .filter((n) => n.endsWith(SNAPSHOT_EXT) && /^\d{20}\./.test(n))
    .map((n) => Number(n.slice(0, 20)));
}

/**
 * Whether `dir` is a partition's directory: it has a `partition.json`, or only its previous copy
 * (the open restores it, and says so).
 */
export function isPartitionDir(dir: string): boolean {
  const meta = path.join(dir, PARTITION_META_FILE);
  return existsSync(meta) || existsSync(`${meta}${PREVIOUS_COPY}`);
}

/** Contents of {@link PARTITION_META_FILE}. */
export interface PartitionMeta {
  readonly topic: string;
  readonly partition: number;
  readonly overrides: Partial<LogConfig>;
  readonly logStartOffset: number;
}

/** `<dataDir>/producer-ids.json`: where the next block of producer ids starts. */
export const PRODUCER_ID_FILE = "producer-ids.json";
/** Producer ids are reserved in blocks so that allocation rarely needs a disk write. */
export const PRODUCER_ID_BLOCK = 1000;

/** The on-disk form of `producer-ids.json`. */
export function producerIdsDocument(nextBlockStart: number): string {
  return JSON.stringify({ nextBlockStart });
}

/** How `producer-ids.json` is read (by the log manager and by `sluice-broker verify`). */
export const PRODUCER_IDS_STATE: StateFileKind<number> = {
  parse: (doc) => {
    const next = (doc as { nextBlockStart?: unknown } | null)?.nextBlockStart;
    return typeof next === "number" && Number.isSafeInteger(next) && next >= 0
      ? { ok: true, value: next }
      : { ok: false, problem: "no nextBlockStart" };
  },
  remedy:
    'restore it from a backup, or write {"nextBlockStart": N} with N above every producer id in use (Kafka clients log theirs)',
  previousCopyCaveat:
    "nothing is lost: the next block starts one block after the previous copy's, where the damaged file had it",
  // Each write reserves the next block, so the damaged file held the previous copy's value plus one
  // block: going on from the previous copy as is could hand out ids already in use.
  fromPrevious: (previous) => {
    const value = previous + PRODUCER_ID_BLOCK;
    return { value, text: producerIdsDocument(value) };
  },
};

/** How a partition's `partition.json` in `dir` is read (log manager and `verify`). */
export function partitionMetaState(dir: string): StateFileKind<Partial<PartitionMeta>> {
  return {
    parse: (doc) => {
      const m = doc as Partial<PartitionMeta> | null;
      return typeof m?.topic === "string" && typeof m.partition === "number"
        ? { ok: true, value: m }
        : { ok: false, problem: "no topic and partition" };
    },
    remedy: `restore it from a backup, or move ${dir} out of the data directory (its records are then not served)`,
    previousCopyCaveat:
      "its log start offset may be older, so records removed by DeleteRecords since can be served again until retention removes them; the topic's settings come from topics.json",
  };
}
