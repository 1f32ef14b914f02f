import { promises as fsp } from "node:fs";
import * as path from "node:path";
import { type LogSegment, type ScannedBatch, segmentFileName } from "./log-segment";
import { SNAPSHOT_EXT, snapshotOffsets } from "./log-state-files";
import { lastSequence, type ProducerState } from "./producer-state";
import { BATCH, readInt64 } from "./record-batch";
import { writeFileAtomic } from "./write-file-atomic";

// A partition's idempotent-producer state on disk: `<offset>.snapshot` files written at roll and
// close, and the replay of the batches after the newest usable one when the partition opens.

/** How many producer-state snapshots to keep. */
const SNAPSHOTS_KEPT = 2;

/** Writes `<endOffset>.snapshot` of `producers` in `dir` and prunes older snapshots. */
export async function writeProducerSnapshot(
  dir: string,
  producers: ProducerState,
  endOffset: number,
): Promise<void> {
  const file = path.join(dir, segmentFileName(endOffset, SNAPSHOT_EXT));
  await writeFileAtomic(file, producers.serialize(endOffset));
  const snaps = snapshotOffsets(await fsp.readdir(dir)).filter((o) => o !== endOffset);
  snaps.sort((a, b) => b - a);
  for (const o of snaps.slice(SNAPSHOTS_KEPT - 1)) {
    await fsp.rm(path.join(dir, segmentFileName(o, SNAPSHOT_EXT)), { force: true });
  }
}

/** Where {@link restoreProducerState} restores from. */
export interface ProducerStateSource {
  readonly dir: string;
  /** Cleared, then filled. */
  readonly producers: ProducerState;
  readonly startOffset: number;
  readonly endOffset: number;
  readonly segments: readonly LogSegment[];
  /** Batches already scanned (by recovery), so those segments are not read again. */
  readonly seen: ReadonlyMap<LogSegment, readonly ReplayBatch[]>;
  readonly onWarning: (message: string) => void;
}

/**
 * Loads the newest usable producer snapshot at or below the log end and replays the batches after
 * it; removes snapshots past the log end (stale after a truncation). Returns the batches replayed.
 */
export async function restoreProducerState(src: ProducerStateSource): Promise<number> {
  const snaps = snapshotOffsets(await fsp.readdir(src.dir)).sort((a, b) => b - a);
  let from = src.startOffset;
  src.producers.clear();
  for (const o of snaps) {
    if (o > src.endOffset) {
      // Stale after a truncation: describes offsets that no longer exist.
      await fsp.rm(path.join(src.dir, segmentFileName(o, SNAPSHOT_EXT)), { force: true });
      continue;
    }
    const file = path.join(src.dir, segmentFileName(o, SNAPSHOT_EXT));
    const data = await fsp.readFile(file).catch(() => undefined);
    const at = data ? src.producers.load(data) : undefined;
    if (at !== undefined) {
      from = at;
      break;
    }
    src.onWarning(
      `${file} is unreadable; producer state comes from an older snapshot or a replay of the log (sluice-broker verify --repair sets it aside)`,
    );
  }
  if (from >= src.endOffset) return 0;
  let replayed = 0;
  const apply = (r: ReplayBatch): void => {
    if (r.firstOffset < from) return;
    const { firstSeq, lastSeq, firstOffset, lastOffset } = r;
    src.producers.record(r.producerId, r.epoch, { firstSeq, lastSeq, firstOffset, lastOffset });
    replayed++;
  };
  for (const seg of src.segments) {
    if (seg.nextOffset <= from || seg.size === 0) continue;
    const known = src.seen.get(seg);
    if (known !== undefined) {
      for (const r of known) apply(r);
      continue;
    }
    await seg.scan(0, seg.size, false, (b) => {
      const r = replayBatchOf(b);
      if (r !== undefined) apply(r);
      return true;
    });
  }
  return replayed;
}

/** What the producer-state replay needs from one batch. */
export interface ReplayBatch {
  readonly producerId: number;
  readonly epoch: number;
  readonly firstSeq: number;
  readonly lastSeq: number;
  readonly firstOffset: number;
  readonly lastOffset: number;
}

/** The producer fields of a scanned batch, or undefined for non-idempotent batches. */
export function replayBatchOf(b: ScannedBatch): ReplayBatch | undefined {
  const producerId = readInt64(b.buf, b.at + BATCH.PRODUCER_ID);
  if (producerId < 0) return undefined;
  const firstSeq = b.buf.readInt32BE(b.at + BATCH.BASE_SEQUENCE);
  const count = b.buf.readInt32BE(b.at + BATCH.RECORDS_COUNT);
  // Compacted batches keep lastOffsetDelta: the sequence span follows the offsets.
  const span = b.lastOffset - b.baseOffset + 1;
  return {
    producerId,
    epoch: b.buf.readInt16BE(b.at + BATCH.PRODUCER_EPOCH),
    firstSeq,
    lastSeq: lastSequence(firstSeq, Math.max(count, span)),
    firstOffset: b.baseOffset,
    lastOffset: b.lastOffset,
  };
}
