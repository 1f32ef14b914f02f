import { promises as fsp } from "node:fs";
import * as path from "node:path";
import { FdCache } from "./fd-cache";
import { readFileIfExists } from "./fs-io";
import { DEFAULT_LOG_CONFIG } from "./log-config";
import { LogSegment, type ScannedBatch, segmentBaseOffsets, segmentFileName } from "./log-segment";
import {
  PARTITION_META_FILE,
  partitionMetaState,
  SNAPSHOT_EXT,
  snapshotOffsets,
} from "./log-state-files";
import { ProducerState } from "./producer-state";
import { DAMAGED_COPY, inspectStateFile, readStateFile, type StateFileKind } from "./state-file";

/** One thing `sluice-broker verify` found. */
export interface VerifyFinding {
  /** The file concerned. */
  readonly file: string;
  /**
   * `damage`: bytes or a file the broker cannot use as they are (verify exits non-zero);
   * `note`: worth knowing, nothing lost (a missing index the broker rebuilds, a kept damaged copy).
   */
  readonly severity: "damage" | "note";
  /** What is wrong, with byte positions and offsets where they apply. */
  readonly what: string;
  /** What `--repair` did, or why it cannot (absent when there is nothing to repair). */
  readonly repair?: string;
  /** True when `--repair` fixed it. */
  readonly repaired?: boolean;
}

/** Options of {@link verifyPartitionDir} and the data-directory check built on it. */
export interface VerifyOptions {
  /** Rebuild what is safely rebuildable (indexes, snapshots, state files from their previous copy). */
  readonly repair: boolean;
  /** Index spacing of rebuilt indexes. @default Kafka's 4096 */
  readonly indexIntervalBytes?: number;
}

/** Most problems listed per index file (the rest are counted). */
const MAX_INDEX_PROBLEMS = 3;

const LOST_RECORDS =
  "cannot repair: the records in these bytes are lost (restore them from a backup or another copy of the data); the broker skips them, so consumers see a gap in the offsets";

/** Checks one state file and, with `repair`, restores it from its previous copy where that is safe. */
export async function verifyStateFile<T>(
  file: string,
  kind: StateFileKind<T>,
  repair: boolean,
): Promise<VerifyFinding[]> {
  const found = await inspectStateFile(file, kind);
  const out: VerifyFinding[] = [];
  const describe = (c: typeof found.file): string =>
    c === "ok" ? "good" : c === "missing" ? "missing" : `damaged (${c.damaged})`;
  if (found.file !== "ok" && !(found.file === "missing" && found.previous === "missing")) {
    const what = `${describe(found.file)}; its previous copy is ${describe(found.previous)}`;
    if (!found.restorable) {
      out.push({ file, severity: "damage", what, repair: `cannot repair: ${kind.remedy}` });
    } else if (!repair) {
      out.push({
        file,
        severity: "damage",
        what,
        repair: `--repair (or the next start) goes on from the previous copy: ${kind.previousCopyCaveat}`,
      });
    } else {
      await readStateFile(file, kind);
      out.push({
        file,
        severity: "damage",
        what,
        repair: `restored from the previous copy${found.file === "missing" ? "" : ` (the damaged file is kept as ${path.basename(file)}${DAMAGED_COPY})`}: ${kind.previousCopyCaveat}`,
        repaired: true,
      });
    }
  } else if (found.file === "ok" && typeof found.previous === "object") {
    out.push({
      file,
      severity: "note",
      what: `its previous copy is damaged (${found.previous.damaged}); the next write replaces it`,
    });
  }
  if (await exists(`${file}${DAMAGED_COPY}`)) {
    out.push({
      file: `${file}${DAMAGED_COPY}`,
      severity: "note",
      what: "a damaged copy kept by an earlier fallback to the previous copy; delete it once inspected",
    });
  }
  return out;
}

async function exists(file: string): Promise<boolean> {
  return fsp.stat(file).then(
    () => true,
    () => false,
  );
}

/** What the walk of one segment found: its batches' framing, for checking the indexes. */
interface SegmentWalk {
  /** Sound batches in position order: position, base offset, max timestamp. */
  readonly batches: { position: number; baseOffset: number; maxTimestamp: number }[];
  readonly maxTimestamp: number;
  /** One past the last sound batch's last offset (the base offset when there is none). */
  readonly endOffset: number;
  /** Damaged byte ranges and the offsets they lose (index entries there are not the index's fault). */
  readonly damaged: { from: number; to: number; firstLost: number; lastLost: number }[];
}

/**
 * Verifies one partition directory offline, like Kafka's `DumpLogSegments --verify` over all of
 * it: every batch of every segment (CRC-32C and structure; damaged ranges with the offsets they
 * lose), both indexes against the batches, the producer snapshots and `partition.json`. With
 * `repair`, indexes and snapshots are rebuilt or set aside and `partition.json` restored from its
 * previous copy; damaged batches cannot be repaired and are reported as such.
 */
export async function verifyPartitionDir(
  dir: string,
  opts: VerifyOptions,
): Promise<VerifyFinding[]> {
  const metaFile = path.join(dir, PARTITION_META_FILE);
  const out = await verifyStateFile(metaFile, partitionMetaState(dir), opts.repair);
  // Rebuilt indexes keep the topic's spacing when partition.json has it.
  const meta = await inspectStateFile(metaFile, partitionMetaState(dir));
  const interval =
    meta.value?.overrides?.indexIntervalBytes ??
    opts.indexIntervalBytes ??
    DEFAULT_LOG_CONFIG.indexIntervalBytes;
  const names = await fsp.readdir(dir);
  const bases = segmentBaseOffsets(names);
  const fds = new FdCache(4);
  let logEnd = 0;
  try {
    for (let i = 0; i < bases.length; i++) {
      const base = bases[i] as number;
      const seg = new LogSegment(dir, base, fds);
      seg.size = (await fsp.stat(seg.logPath)).size;
      const nextBase = bases[i + 1];
      if (nextBase !== undefined) seg.nextOffset = nextBase;
      const active = nextBase === undefined;
      const walk = await walkSegment(seg, active, out);
      if (active) logEnd = walk.endOffset;
      const notes: VerifyFinding[] = [];
      const indexProblems = [
        ...(await checkOffsetIndex(seg, walk, notes)),
        ...(await checkTimeIndex(seg, walk, active, notes)),
      ];
      if (opts.repair && indexProblems.length + notes.length > 0) {
        await seg.rebuildIndexes(interval);
        await seg.persistIndexes();
      }
      out.push(...notes.map((n) => (opts.repair ? { ...n, repaired: true } : n)));
      for (const p of indexProblems) {
        out.push({
          ...p,
          repair: opts.repair
            ? "rebuilt from the segment's batches"
            : "--repair rebuilds it (the broker also rebuilds an implausible index when it loads the segment)",
          repaired: opts.repair,
        });
      }
    }
  } finally {
    fds.closeAll();
  }
  out.push(...(await checkSnapshots(dir, names, logEnd, opts.repair)));
  return out;
}

/** Walks every batch of a segment, recording damage; returns the sound batches' framing. */
async function walkSegment(
  seg: LogSegment,
  active: boolean,
  out: VerifyFinding[],
): Promise<SegmentWalk> {
  const batches: SegmentWalk["batches"] = [];
  let maxTimestamp = -1;
  let lastBefore = seg.baseOffset - 1;
  const ranges: { from: number; to: number; after: number }[] = [];
  await seg.scan(
    0,
    seg.size,
    true,
    (b: ScannedBatch) => {
      batches.push({
        position: b.position,
        baseOffset: b.baseOffset,
        maxTimestamp: b.maxTimestamp,
      });
      if (b.maxTimestamp > maxTimestamp) maxTimestamp = b.maxTimestamp;
      lastBefore = b.lastOffset;
      return true;
    },
    (d) => ranges.push({ ...d, after: lastBefore }),
  );
  const damaged: SegmentWalk["damaged"] = [];
  for (const r of ranges) {
    const next = batches.find((b) => b.position === r.to);
    const tail = r.to >= seg.size;
    damaged.push({
      from: r.from,
      to: r.to,
      firstLost: r.after + 1,
      lastLost: next ? next.baseOffset - 1 : Number.MAX_SAFE_INTEGER,
    });
    const lost = next
      ? `offsets ${r.after + 1}..${next.baseOffset - 1} are not readable`
      : `offsets from ${r.after + 1} on in this segment are not readable`;
    out.push({
      file: seg.logPath,
      severity: "damage",
      what: `bytes ${r.from}..${r.to} hold no sound batch (CRC-32C or framing fails)${tail ? " up to the end of the segment" : ", a sound batch follows"}: ${lost}`,
      repair:
        tail && active
          ? "the broker truncates these bytes at its next start (a torn write, or damage at the tail): any records in them are lost"
          : LOST_RECORDS,
    });
  }
  return { batches, maxTimestamp, endOffset: lastBefore + 1, damaged };
}

type Problem = Omit<VerifyFinding, "repair" | "repaired">;

/** Summarises up to {@link MAX_INDEX_PROBLEMS} entry problems of an index file. */
function indexProblem(file: string, problems: string[], entries: number): Problem {
  const shown = problems.slice(0, MAX_INDEX_PROBLEMS).join("; ");
  const more =
    problems.length > MAX_INDEX_PROBLEMS
      ? ` (and ${problems.length - MAX_INDEX_PROBLEMS} more)`
      : "";
  return {
    file,
    severity: "damage",
    what: `${problems.length} of ${entries} entries wrong: ${shown}${more}`,
  };
}

/**
 * An index file's bytes; or, when it is missing (a note in `out`) or not whole entries, the
 * problems to report instead.
 */
async function readIndexFile(
  file: string,
  entryBytes: number,
  out: VerifyFinding[],
): Promise<Buffer | Problem[]> {
  const buf = await readFileIfExists(file);
  if (buf === undefined) {
    out.push(missingIndex(file));
    return [];
  }
  if (buf.length % entryBytes === 0) return buf;
  const what = `${buf.length} bytes, not a multiple of ${entryBytes} (${entryBytes}-byte entries)`;
  return [{ file, severity: "damage", what }];
}

/**
 * Every offset-index entry must name a sound batch's position and base offset, in increasing
 * order. A missing index is a note (rebuilt when the segment is first read).
 */
async function checkOffsetIndex(
  seg: LogSegment,
  walk: SegmentWalk,
  out: VerifyFinding[],
): Promise<Problem[]> {
  const buf = await readIndexFile(seg.indexPath, 8, out);
  if (!Buffer.isBuffer(buf)) return buf;
  const byPosition = new Map(walk.batches.map((b) => [b.position, b.baseOffset]));
  const problems: string[] = [];
  let previous = -1;
  for (let p = 0, i = 0; p < buf.length; p += 8, i++) {
    const rel = buf.readInt32BE(p);
    const position = buf.readInt32BE(p + 4);
    const base = byPosition.get(position);
    const inDamage = walk.damaged.some((d) => position >= d.from && position < d.to);
    if (inDamage && position > previous) {
      // Pointed at a batch the damage destroyed: the batch is reported, not the index.
    } else if (position <= previous) problems.push(`entry ${i} (position ${position}) goes back`);
    else if (base === undefined)
      problems.push(`entry ${i} points at position ${position}, where no sound batch starts`);
    else if (base !== seg.baseOffset + rel)
      problems.push(
        `entry ${i} says offset ${seg.baseOffset + rel} at position ${position}, where the batch holds ${base}`,
      );
    previous = Math.max(previous, position);
  }
  return problems.length === 0 ? [] : [indexProblem(seg.indexPath, problems, buf.length / 8)];
}

/**
 * Every time-index entry must name a sound batch's base offset, in order, with a timestamp no lower
 * than any batch before it (lookups start there); a sealed segment's last entry is its newest
 * timestamp (retention uses it).
 */
async function checkTimeIndex(
  seg: LogSegment,
  walk: SegmentWalk,
  active: boolean,
  out: VerifyFinding[],
): Promise<Problem[]> {
  const buf = await readIndexFile(seg.timeIndexPath, 12, out);
  if (!Buffer.isBuffer(buf)) return buf;
  // The newest timestamp of the batches before each batch (what a lookup may skip).
  const maxBefore = new Map<number, number>();
  let running = -1;
  for (const b of walk.batches) {
    maxBefore.set(b.baseOffset, running);
    running = Math.max(running, b.maxTimestamp);
  }
  const problems: string[] = [];
  const entries = buf.length / 12;
  let previous = { ts: Number.NEGATIVE_INFINITY, offset: -1 };
  for (let i = 0; i < entries; i++) {
    const ts = Number(buf.readBigInt64BE(i * 12));
    const offset = seg.baseOffset + buf.readInt32BE(i * 12 + 8);
    const before = maxBefore.get(offset);
    const lost = walk.damaged.some((d) => offset >= d.firstLost && offset <= d.lastLost);
    if (lost && ts > previous.ts && offset >= previous.offset) {
      // Named a batch the damage destroyed: the batch is reported, not the index.
    } else if (ts <= previous.ts || offset < previous.offset)
      problems.push(`entry ${i} (${ts} at offset ${offset}) goes back`);
    else if (before === undefined)
      problems.push(`entry ${i} names offset ${offset}, where no sound batch starts`);
    else if (ts < before)
      problems.push(
        `entry ${i} says ${ts} at offset ${offset}, but an earlier batch has ${before}`,
      );
    previous = { ts, offset };
  }
  if (
    !active &&
    walk.batches.length > 0 &&
    problems.length === 0 &&
    previous.ts !== walk.maxTimestamp
  ) {
    problems.push(
      `its last entry says the newest timestamp is ${entries === 0 ? "absent" : previous.ts}, but the segment's is ${walk.maxTimestamp} (time-based retention uses it)`,
    );
  }
  return problems.length === 0 ? [] : [indexProblem(seg.timeIndexPath, problems, entries)];
}

function missingIndex(file: string): VerifyFinding {
  return {
    file,
    severity: "note",
    what: "missing (the broker rebuilds it when it first reads the segment)",
    repair: "--repair writes it now",
  };
}

/**
 * Producer snapshots must parse. A damaged one is set aside by `repair` (renamed `.damaged`): the
 * broker then replays producer state from an older snapshot or the log, which is what it would do
 * anyway; only producers whose batches retention already removed are forgotten (as in Kafka).
 */
async function checkSnapshots(
  dir: string,
  names: string[],
  logEnd: number,
  repair: boolean,
): Promise<VerifyFinding[]> {
  const out: VerifyFinding[] = [];
  for (const at of snapshotOffsets(names)) {
    const n = segmentFileName(at, SNAPSHOT_EXT);
    const file = path.join(dir, n);
    const data = await fsp.readFile(file);
    const next = new ProducerState().load(data);
    if (next === undefined || next !== at) {
      const what =
        next === undefined
          ? "not a producer-state snapshot (damaged)"
          : `says it holds the state at offset ${next}, its name ${at}`;
      if (repair) await fsp.rename(file, `${file}${DAMAGED_COPY}`);
      out.push({
        file,
        severity: "damage",
        what,
        repair: repair
          ? `set aside as ${n}${DAMAGED_COPY}: the broker replays producer state from an older snapshot or the log`
          : "--repair sets it aside; the broker then replays producer state from an older snapshot or the log",
        repaired: repair,
      });
    } else if (at > logEnd) {
      out.push({
        file,
        severity: "note",
        what: `describes offset ${at}, past the log end ${logEnd} (stale after a truncation; the broker deletes it at start)`,
      });
    }
  }
  return out;
}
