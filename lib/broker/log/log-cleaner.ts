import * as fs from "node:fs";
import { promises as fsp } from "node:fs";
import { buildRecordBatch } from "./build-record-batch";
import { fdatasync, pwriteAll } from "./fs-io";
import type { LogConfig } from "./log-config";
import type { LogSegment } from "./log-segment";
import type { Mutex } from "./mutex";
import { parseBatchHeader } from "./record-batch";
import { decodeRecords } from "./records";
import { fsyncDir } from "./write-file-atomic";

/** Result of one compaction pass. */
export interface CompactionResult {
  readonly segmentsRewritten: number;
  readonly recordsRemoved: number;
}

/**
 * What compaction needs of a partition log (PartitionLog provides it): its directory, config and
 * maintenance lock, the segments it may rewrite, and the swap of a rewritten segment into place.
 */
export interface CompactableLog {
  readonly dir: string;
  readonly config: LogConfig;
  readonly maintenanceLock: Mutex;
  /** Sealed segments older than `min.compaction.lag.ms`. */
  cleanableSegments(now: number): LogSegment[];
  /** Loads the indexes of sealed segments not loaded yet. */
  loadSealedIndexes(): Promise<void>;
  /** Puts the rewritten `<base>.log.swap` of `old` in its place (crash-safe). */
  replaceSegment(old: LogSegment, swapPath: string, newSize: number): Promise<void>;
}

/** Output is written whenever this much accumulated. */
const WRITE_CHUNK = 4 * 1024 * 1024;

/**
 * Log compaction for `cleanup.policy=compact` (and `compact,delete`): keeps the latest record per
 * key among the cleanable segments (sealed, older than `min.compaction.lag.ms`; the active
 * segment is never touched), drops tombstones whose batch is older than `delete.retention.ms`.
 * Batches that keep all their records are copied byte for byte; others are rebuilt uncompressed
 * with their original base offset, lastOffsetDelta, timestamps and producer fields.
 *
 * Crash-safe swap, one segment at a time: write `<base>.log.cleaned` → fdatasync → rename to
 * `<base>.log.swap` → fsync dir → delete old indexes → rename over `<base>.log` → fsync dir →
 * rebuild indexes. On open, `.cleaned` files are discarded and `.swap` files completed.
 */
export async function compactLog(log: CompactableLog, now: number): Promise<CompactionResult> {
  return log.maintenanceLock.run(async () => {
    await log.loadSealedIndexes();
    const segs = log.cleanableSegments(now);
    if (segs.length === 0) return { segmentsRewritten: 0, recordsRemoved: 0 };
    const latest = new Map<string, number>();
    // A segment with damaged bytes is left as it is: rewriting it would drop the damage from sight
    // (and `verify`), and a damaged batch must never be rebuilt into one with a valid CRC. Its sound
    // batches still count as the latest records of their keys.
    const damaged = new Set<LogSegment>();
    for (const seg of segs) {
      await seg.scan(
        0,
        seg.size,
        true,
        (b) => {
          const batch = b.buf.subarray(b.at, b.at + b.size);
          const h = parseBatchHeader(batch);
          if (h.isControl) return true;
          for (const r of decodeRecords(batch).records) {
            if (r.key !== null) latest.set(r.key.toString("latin1"), h.baseOffset + r.offsetDelta);
          }
          return true;
        },
        () => damaged.add(seg),
      );
    }
    let rewritten = 0;
    let removed = 0;
    const tombstoneHorizon = now - log.config.deleteRetentionMs;
    for (const seg of segs) {
      if (damaged.has(seg)) continue;
      const n = await rewriteSegment(log, seg, latest, tombstoneHorizon);
      if (n > 0) {
        rewritten++;
        removed += n;
      }
    }
    return { segmentsRewritten: rewritten, recordsRemoved: removed };
  });
}

async function rewriteSegment(
  log: CompactableLog,
  seg: LogSegment,
  latest: Map<string, number>,
  tombstoneHorizon: number,
): Promise<number> {
  const cleanedPath = `${seg.logPath}.cleaned`;
  const swapPath = `${seg.logPath}.swap`;
  let removed = 0;
  let written = 0;
  const fd = fs.openSync(cleanedPath, "w");
  try {
    let pos = 0;
    while (pos < seg.size) {
      const out: Buffer[] = [];
      let outBytes = 0;
      // Not validated again: the first pass checked every batch of it moments ago, under the lock.
      pos = await seg.scan(pos, seg.size, false, (b) => {
        if (outBytes >= WRITE_CHUNK) return false;
        const batch = b.buf.subarray(b.at, b.at + b.size);
        const h = parseBatchHeader(batch);
        if (h.isControl) {
          out.push(Buffer.from(batch));
          outBytes += batch.length;
          return true;
        }
        const { records } = decodeRecords(batch);
        const kept = records.filter((r) => {
          if (r.key === null) return true;
          if (latest.get(r.key.toString("latin1")) !== h.baseOffset + r.offsetDelta) return false;
          return !(r.value === null && h.maxTimestamp < tombstoneHorizon);
        });
        removed += records.length - kept.length;
        if (kept.length === records.length) {
          out.push(Buffer.from(batch));
          outBytes += batch.length;
        } else if (kept.length > 0) {
          const rebuilt = buildRecordBatch({
            baseOffset: h.baseOffset,
            timestamp: h.baseTimestamp,
            partitionLeaderEpoch: h.partitionLeaderEpoch,
            producerId: h.producerId,
            producerEpoch: h.producerEpoch,
            baseSequence: h.baseSequence,
            transactional: h.isTransactional,
            logAppendTime: (h.attributes & 0x08) !== 0,
            lastOffsetDelta: h.lastOffsetDelta,
            maxTimestamp: h.maxTimestamp,
            records: kept.map((r) => ({
              key: r.key,
              value: r.value,
              headers: r.headers,
              offsetDelta: r.offsetDelta,
              timestamp: h.baseTimestamp + r.timestampDelta,
            })),
          });
          out.push(rebuilt);
          outBytes += rebuilt.length;
        }
        return true;
      });
      if (out.length > 0) {
        const chunk = Buffer.concat(out);
        await pwriteAll(fd, chunk, written);
        written += chunk.length;
      }
    }
    await fdatasync(fd);
  } finally {
    fs.closeSync(fd);
  }
  if (removed === 0) {
    await fsp.rm(cleanedPath, { force: true });
    return 0;
  }
  await fsp.rename(cleanedPath, swapPath);
  await fsyncDir(log.dir);
  await log.replaceSegment(seg, swapPath, written);
  return removed;
}
