import * as fs from "node:fs";
import { promises as fsp } from "node:fs";
import * as path from "node:path";
import type { FdCache } from "./fd-cache";
import { GroupCommit } from "./group-commit";
import { type CompactableLog, type CompactionResult, compactLog } from "./log-cleaner";
import { isCompacted, isDeleting, type LogConfig } from "./log-config";
import { LogError } from "./log-error";
import {
  type DamagedRange,
  LogSegment,
  type ScannedBatch,
  SegmentRetiredError,
  segmentBaseOffsets,
  segmentFileName,
} from "./log-segment";
import { PARTITION_META_FILE, type PartitionMeta } from "./log-state-files";
import {
  type AppendOptions,
  type AppendResult,
  ListOffsetsTimestamp,
  type ReadResult,
  type TimestampOffset,
} from "./log-types";
import { Mutex } from "./mutex";
import {
  type ReplayBatch,
  replayBatchOf,
  restoreProducerState,
  writeProducerSnapshot,
} from "./producer-snapshots";
import { lastSequence, type ProducerEntry, ProducerState } from "./producer-state";
import { READ_SLACK_BYTES, type ReadScope } from "./read-buffers";
import {
  ATTR_CONTROL,
  ATTR_LOG_APPEND_TIME,
  BATCH,
  batchProblem,
  readInt64,
  updateBatchCrc,
  writeInt64,
} from "./record-batch";
import { decodeRecords } from "./records";
import { writeStateFile } from "./state-file";
import { fsyncDir } from "./write-file-atomic";

const INT32_MAX = 2147483647;

/** What opening a partition found (for logs and tests). */
export interface OpenReport {
  readonly recoveredSegments: number;
  readonly truncatedBytes: number;
  readonly replayedBatches: number;
}

/** Internal options of {@link PartitionLog.open}. */
export interface PartitionOpenOptions {
  readonly dir: string;
  readonly topic: string;
  readonly partition: number;
  /** Broker defaults; the effective config is these plus `overrides`. */
  readonly defaults: LogConfig;
  readonly overrides: Partial<LogConfig>;
  /** The log start offset `partition.json` recorded (an existing partition); absent for a new one. */
  readonly logStartOffset?: number;
  readonly fds: FdCache;
  /** False after an unclean shutdown: the tail is validated and truncated. */
  readonly clean: boolean;
  readonly clock?: () => number;
  /** Told once per damaged range found on disk (reads, recovery). @default - ignored */
  readonly onDamage?: (message: string) => void;
  /** Told of other findings worth an operator's eye (an unreadable snapshot). @default - ignored */
  readonly onWarning?: (message: string) => void;
  /** Told of every failed fsync of a segment file (counted in `/metrics`). @default - ignored */
  readonly onFsyncFailure?: () => void;
}

/** Per-batch facts gathered during validation so the write path needs no second parse. */
interface PendingBatch {
  readonly pos: number;
  readonly size: number;
  readonly lastOffsetDelta: number;
  readonly maxTimestamp: number;
  readonly producerId: number;
  readonly producerEpoch: number;
  readonly firstSeq: number;
  readonly lastSeq: number;
}

/**
 * The log of one topic partition: ordered segments (the last one active), the idempotent
 * producer state, and the durability policy.
 *
 * Durability policy (explicit): an append with `requireFsync` (the produce handler passes it for
 * acks=all) resolves only after an fdatasync covering its bytes; concurrent such appends share
 * one fdatasync (group commit). Other appends (acks=1) resolve after the write reached the page
 * cache; they are fsynced when `flush.messages` records or `flush.ms` milliseconds accumulate
 * (both default to never, i.e. the OS decides), on segment roll, and on close.
 *
 * A failed fsync takes the partition offline for writes until the broker restarts, as Kafka takes
 * a failed log directory offline: after a failed fsync Linux may drop the dirty pages' error and
 * report a later fsync as successful, so no later append could be acknowledged honestly. Recovery
 * at the next start re-reads the log from disk.
 *
 * Appends are serialized per partition; reads run concurrently and see only committed batches.
 */
export class PartitionLog implements CompactableLog {
  readonly topic: string;
  readonly partition: number;
  /** Directory of this partition's files. */
  readonly dir: string;
  /** The most recent open/recovery report. */
  openReport: OpenReport = { recoveredSegments: 0, truncatedBytes: 0, replayedBatches: 0 };

  private defaults: LogConfig;
  private overrides: Partial<LogConfig>;
  private cfg: LogConfig;
  private readonly fds: FdCache;
  private readonly clock: () => number;
  /** Replaced (never mutated in place) so readers can keep iterating a stable list. */
  private segments: LogSegment[] = [];
  private startOffset = 0;
  private endOffset = 0;
  private readonly producers = new ProducerState();
  private readonly onDamage: (message: string) => void;
  private readonly onWarning: (message: string) => void;
  private readonly onFsyncFailure: () => void;
  /** Why the partition takes no more writes: its first failed fsync. */
  private storageFailure: string | undefined;
  /** Files whose failed fsync was logged (once each). */
  private readonly fsyncFailedFiles = new Set<string>();
  private readonly damageSeen = new Set<string>();
  private readonly appendLock = new Mutex();
  /** Serializes retention, compaction, DeleteRecords and meta writes. */
  readonly maintenanceLock = new Mutex();
  private readonly commit: GroupCommit;
  private readonly listeners = new Set<() => void>();
  private unflushedMessages = 0;
  /** Appended to, or recovered, since open: close must persist indexes and a snapshot. */
  private dirty = false;
  private firstUnflushedMs = -1;
  private closed = false;
  /** Sealed bytes appended since the last compaction (compaction trigger). */
  dirtySealedSegments = 0;

  private constructor(o: PartitionOpenOptions) {
    this.dir = o.dir;
    this.topic = o.topic;
    this.partition = o.partition;
    this.defaults = o.defaults;
    this.overrides = { ...o.overrides };
    this.cfg = { ...o.defaults, ...stripUndefined(o.overrides) };
    this.fds = o.fds;
    this.clock = o.clock ?? Date.now;
    this.commit = new GroupCommit(() => this.syncActive());
    this.onDamage = o.onDamage ?? (() => {});
    this.onWarning = o.onWarning ?? (() => {});
    this.onFsyncFailure = o.onFsyncFailure ?? (() => {});
  }

  /** Opens (creating when absent) and, after an unclean shutdown, recovers a partition directory. */
  static async open(o: PartitionOpenOptions): Promise<PartitionLog> {
    const log = new PartitionLog(o);
    await fsp.mkdir(o.dir, { recursive: true });
    await log.load(o.clean, o.logStartOffset);
    return log;
  }

  /** First offset still readable. */
  get logStartOffset(): number {
    return this.startOffset;
  }

  /** Offset the next record gets (single node: high watermark = log end offset). */
  get highWatermark(): number {
    return this.endOffset;
  }

  /** Effective config (broker defaults merged with topic overrides). */
  get config(): LogConfig {
    return this.cfg;
  }

  /** Topic-level overrides only. */
  get configOverrides(): Partial<LogConfig> {
    return { ...this.overrides };
  }

  /** Number of segments (tests, metrics). */
  get segmentCount(): number {
    return this.segments.length;
  }

  /** Base offsets of the segments (tests, diagnostics). */
  segmentBaseOffsets(): number[] {
    return this.segments.map((s) => s.baseOffset);
  }

  /** Number of fdatasyncs done for this partition (tests, benchmarks). */
  get syncCount(): number {
    return this.commit.syncCount;
  }

  /** Idempotent producer state (tests, diagnostics). */
  get producerState(): ProducerState {
    return this.producers;
  }

  /**
   * Changes topic overrides at run time and resolves once the partition's metadata file holds them.
   * If that write fails the overrides are put back and a {@link LogError} KAFKA_STORAGE_ERROR is
   * thrown: a change the log could not make durable is not reported as made (it would be gone after
   * a restart).
   */
  async setConfig(overrides: Partial<LogConfig>): Promise<void> {
    const previous = this.overrides;
    const next: Partial<LogConfig> = { ...previous, ...overrides };
    for (const [k, v] of Object.entries(overrides)) {
      if (v === undefined) delete (next as Record<string, unknown>)[k];
    }
    this.applyOverrides(next);
    try {
      await this.maintenanceLock.run(() => this.writeMeta());
    } catch (e) {
      // Only if no later change replaced this one meanwhile.
      if (this.overrides === next) this.applyOverrides(previous);
      throw new LogError(
        "KAFKA_STORAGE_ERROR",
        `${this.topic}-${this.partition}: the config change could not be written to ${PARTITION_META_FILE}: ${(e as Error).message}`,
        { cause: e },
      );
    }
  }

  private applyOverrides(overrides: Partial<LogConfig>): void {
    this.overrides = overrides;
    this.cfg = { ...this.defaults, ...stripUndefined(overrides) };
  }

  /** Changes the broker defaults below the overrides (manager-wide config changes). */
  setDefaults(defaults: LogConfig): void {
    this.defaults = defaults;
    this.cfg = { ...defaults, ...stripUndefined(this.overrides) };
  }

  /** Bytes on disk of all segments. */
  sizeBytes(): number {
    let n = 0;
    for (const s of this.segments) n += s.size;
    return n;
  }

  /** Why the partition takes no writes (a failed fsync), or undefined while it does. */
  get offlineForWrites(): string | undefined {
    return this.storageFailure;
  }

  /** Registers a listener called after each append (Fetch long-polling); returns unsubscribe. */
  onAppend(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => {
      this.listeners.delete(listener);
    };
  }

  // ---------------------------------------------------------------------------------- append

  /**
   * Appends the raw records of one produce partition (1+ batches). Everything is validated
   * before anything is written: structure and CRC (CORRUPT_MESSAGE), size (MESSAGE_TOO_LARGE),
   * control batches and keyless records on compacted topics (INVALID_RECORD), idempotent
   * sequences (OUT_OF_ORDER_SEQUENCE_NUMBER, INVALID_PRODUCER_EPOCH). The buffer's baseOffset
   * and partitionLeaderEpoch fields are rewritten in place (outside the CRC); LogAppendTime
   * topics also get their timestamp attribute and maxTimestamp set (CRC recomputed).
   */
  append(records: Buffer, opts: AppendOptions): Promise<AppendResult> {
    // Stateless validation (CRC, structure, keys) runs before taking the lock, so with several
    // producers it overlaps with the write in flight instead of adding to it.
    let batches: PendingBatch[];
    try {
      batches = this.validate(records, this.cfg);
    } catch (err) {
      return Promise.reject(err);
    }
    return this.appendLock
      .run(() => this.appendLocked(records, batches))
      .then(async (r) => {
        // A duplicate's original may still be waiting for its fsync (or was written with acks=1):
        // an acks=all retry must not be acknowledged before the bytes are durable either.
        if (opts.requireFsync) {
          await this.commit.request().catch((err: unknown) => {
            throw new LogError("KAFKA_STORAGE_ERROR", `fsync failed: ${String(err)}`, {
              cause: err,
            });
          });
        } else if (!r.duplicate) this.maybeFlushByCount();
        return r;
      });
  }

  private async appendLocked(records: Buffer, batches: PendingBatch[]): Promise<AppendResult> {
    if (this.closed)
      throw new LogError(
        "UNKNOWN_TOPIC_OR_PARTITION",
        `log ${this.topic}-${this.partition} is closed`,
      );
    if (this.storageFailure !== undefined)
      throw new LogError(
        "KAFKA_STORAGE_ERROR",
        `${this.topic}-${this.partition} takes no writes until the broker restarts: ${this.storageFailure}`,
      );
    const cfg = this.cfg;
    const first = batches[0];
    if (first === undefined)
      throw new LogError("CORRUPT_MESSAGE", "no record batch in the produce data");

    // Idempotence: check all batches against the state plus the earlier batches of this append.
    const pendingState = new Map<number, ProducerEntry>();
    for (const b of batches) {
      if (b.producerId < 0) continue;
      const check = this.producers.check(
        b.producerId,
        b.producerEpoch,
        b.firstSeq,
        b.lastSeq,
        pendingState.get(b.producerId),
      );
      if (check.kind === "duplicate") {
        if (batches.length > 1) {
          throw new LogError(
            "DUPLICATE_SEQUENCE_NUMBER",
            "a duplicate batch inside a multi-batch append",
          );
        }
        return {
          baseOffset: check.batch.firstOffset,
          lastOffset: check.batch.lastOffset,
          logAppendTimeMs: cfg.messageTimestampType === "LogAppendTime" ? this.clock() : -1,
          logStartOffset: this.startOffset,
          duplicate: true,
        };
      }
      // Offsets are not known yet; record with placeholders, fixed below.
      pendingState.set(
        b.producerId,
        this.producers.record(
          b.producerId,
          b.producerEpoch,
          { firstSeq: b.firstSeq, lastSeq: b.lastSeq, firstOffset: -1, lastOffset: -1 },
          pendingState.get(b.producerId) ??
            this.producers.get(b.producerId) ?? { epoch: -1, batches: [] },
        ),
      );
    }

    const now = this.clock();
    let active = this.activeSegment();
    const total = records.length;
    let next = this.endOffset;
    const lastOffset = next + batches.reduce((n, b) => n + b.lastOffsetDelta + 1, 0) - 1;
    if (
      active.size > 0 &&
      (active.size + total > cfg.segmentBytes ||
        now - active.rollBaseMs >= cfg.segmentMs ||
        lastOffset - active.baseOffset > INT32_MAX)
    ) {
      active = await this.roll();
    }

    // Assign offsets in place (outside the CRC, no CRC recomputation).
    const appendTime = cfg.messageTimestampType === "LogAppendTime";
    for (const b of batches) {
      writeInt64(records, next, b.pos + BATCH.BASE_OFFSET);
      records.writeInt32BE(0, b.pos + BATCH.PARTITION_LEADER_EPOCH);
      if (appendTime) {
        const attrs = records.readInt16BE(b.pos + BATCH.ATTRIBUTES);
        records.writeInt16BE(attrs | ATTR_LOG_APPEND_TIME, b.pos + BATCH.ATTRIBUTES);
        writeInt64(records, now, b.pos + BATCH.MAX_TIMESTAMP);
        updateBatchCrc(records, b.pos);
      }
      next += b.lastOffsetDelta + 1;
    }

    try {
      await active.write(records);
    } catch (err) {
      throw new LogError("KAFKA_STORAGE_ERROR", `write failed: ${String(err)}`, { cause: err });
    }

    const firstOffset = this.endOffset;
    next = firstOffset;
    let messages = 0;
    for (const b of batches) {
      const base = next;
      const last = base + b.lastOffsetDelta;
      active.commitBatch(
        base,
        last,
        appendTime ? now : b.maxTimestamp,
        b.size,
        cfg.indexIntervalBytes,
      );
      if (b.producerId >= 0) {
        this.producers.record(b.producerId, b.producerEpoch, {
          firstSeq: b.firstSeq,
          lastSeq: b.lastSeq,
          firstOffset: base,
          lastOffset: last,
        });
      }
      messages += b.lastOffsetDelta + 1;
      next = last + 1;
    }
    this.endOffset = next;
    this.dirty = true;
    this.unflushedMessages += messages;
    if (this.firstUnflushedMs < 0) this.firstUnflushedMs = now;
    for (const l of this.listeners) {
      try {
        l();
      } catch {
        // a listener's failure is not the producer's
      }
    }
    return {
      baseOffset: firstOffset,
      lastOffset,
      logAppendTimeMs: appendTime ? now : -1,
      logStartOffset: this.startOffset,
      duplicate: false,
    };
  }

  /** Structural and policy validation of every batch; no side effects. */
  private validate(records: Buffer, cfg: LogConfig): PendingBatch[] {
    const out: PendingBatch[] = [];
    const compacted = isCompacted(cfg);
    let pos = 0;
    while (pos < records.length) {
      const problem = batchProblem(records, pos, records.length, true);
      if (problem !== undefined)
        throw new LogError("CORRUPT_MESSAGE", `invalid record batch at byte ${pos}: ${problem}`);
      const size = records.readInt32BE(pos + BATCH.LENGTH) + BATCH.LOG_OVERHEAD;
      if (size > cfg.maxMessageBytes) {
        throw new LogError(
          "MESSAGE_TOO_LARGE",
          `record batch of ${size} bytes exceeds max.message.bytes ${cfg.maxMessageBytes}`,
        );
      }
      const attributes = records.readInt16BE(pos + BATCH.ATTRIBUTES);
      if ((attributes & ATTR_CONTROL) !== 0)
        throw new LogError("INVALID_RECORD", "clients may not write control batches");
      if (compacted) {
        const { records: recs } = decodeRecords(records.subarray(pos, pos + size));
        if (recs.some((r) => r.key === null)) {
          throw new LogError("INVALID_RECORD", "compacted topics require a key on every record");
        }
      }
      const lastOffsetDelta = records.readInt32BE(pos + BATCH.LAST_OFFSET_DELTA);
      const count = records.readInt32BE(pos + BATCH.RECORDS_COUNT);
      const producerId = readInt64(records, pos + BATCH.PRODUCER_ID);
      const firstSeq = records.readInt32BE(pos + BATCH.BASE_SEQUENCE);
      out.push({
        pos,
        size,
        lastOffsetDelta,
        maxTimestamp: readInt64(records, pos + BATCH.MAX_TIMESTAMP),
        producerId,
        producerEpoch: records.readInt16BE(pos + BATCH.PRODUCER_EPOCH),
        firstSeq,
        lastSeq: producerId >= 0 ? lastSequence(firstSeq, count) : -1,
      });
      pos += size;
    }
    return out;
  }

  private activeSegment(): LogSegment {
    const s = this.segments[this.segments.length - 1];
    if (s === undefined) throw new LogError("KAFKA_STORAGE_ERROR", "partition has no segment");
    return s;
  }

  /**
   * Seals the active segment (fdatasync, indexes, producer snapshot) and starts a new one at the
   * log end offset. Sealed segments are therefore always durable: recovery scans only the tail.
   */
  private async roll(): Promise<LogSegment> {
    const old = this.activeSegment();
    await this.syncSegment(old);
    await old.persistIndexes();
    await this.writeSnapshot();
    const seg = await LogSegment.create(this.dir, this.endOffset, this.fds);
    await fsyncDir(this.dir);
    this.segments = [...this.segments, seg];
    old.unloadIndexes();
    this.dirtySealedSegments++;
    return seg;
  }

  private async syncActive(): Promise<void> {
    const messages = this.unflushedMessages;
    this.unflushedMessages = 0;
    this.firstUnflushedMs = -1;
    try {
      await this.syncSegment(this.activeSegment());
    } catch (err) {
      this.unflushedMessages += messages;
      throw err;
    }
  }

  /** fdatasync of a segment; a failure takes the partition offline for writes (see the class). */
  private async syncSegment(segment: LogSegment): Promise<void> {
    try {
      await segment.sync();
    } catch (err) {
      const reason = `fsync of ${segment.logPath} failed: ${err instanceof Error ? err.message : String(err)}`;
      this.storageFailure ??= reason;
      this.onFsyncFailure();
      if (!this.fsyncFailedFiles.has(segment.logPath)) {
        this.fsyncFailedFiles.add(segment.logPath);
        this.onWarning(
          `${this.topic}-${this.partition}: ${reason}; the partition takes no writes until the broker restarts (recovery then re-reads the log from disk)`,
        );
      }
      throw err;
    }
  }

  private maybeFlushByCount(): void {
    if (this.unflushedMessages >= this.cfg.flushMessages)
      void this.commit.request().catch(() => {});
  }

  /** Fsyncs unflushed data now (close, tests). */
  async flush(): Promise<void> {
    await this.appendLock.run(async () => {});
    await this.commit.request();
  }

  // ------------------------------------------------------------------------------------ read

  /**
   * Whole batches from the one containing `fetchOffset`, up to `maxBytes` but at least one batch
   * (from one segment); OFFSET_OUT_OF_RANGE when fetchOffset < logStartOffset or > highWatermark.
   * With a `scope`, the records are views of its pooled buffers: valid until it is released.
   */
  async read(fetchOffset: number, maxBytes: number, scope?: ReadScope): Promise<ReadResult> {
    for (let attempt = 0; ; attempt++) {
      try {
        return await this.readOnce(fetchOffset, maxBytes, scope);
      } catch (err) {
        // A segment was deleted or compacted under us: its replacement is in the list by now.
        if (!(err instanceof SegmentRetiredError) || attempt >= 100) throw err;
        await new Promise((r) => setImmediate(r));
      }
    }
  }

  private async readOnce(
    fetchOffset: number,
    maxBytes: number,
    scope?: ReadScope,
  ): Promise<ReadResult> {
    this.assertOpen();
    const hwm = this.endOffset;
    const lso = this.startOffset;
    const result = (records: Buffer[]): ReadResult => ({
      records,
      highWatermark: hwm,
      logStartOffset: lso,
      lastStableOffset: hwm,
    });
    if (fetchOffset < lso || fetchOffset > hwm) {
      throw new LogError(
        "OFFSET_OUT_OF_RANGE",
        `offset ${fetchOffset} is outside [${lso}, ${hwm}]`,
      );
    }
    if (fetchOffset === hwm) return result([]);
    const segs = this.segments;
    let damagedAtEnd = false;
    for (let i = this.floorSegment(segs, fetchOffset); i < segs.length; i++) {
      const seg = segs[i];
      if (seg === undefined) break;
      const limit = seg.size;
      if (limit === 0) continue;
      await seg.ensureIndexes(this.cfg.indexIntervalBytes);
      const direct = await this.readIndexed(seg, fetchOffset, maxBytes, limit, scope);
      if (direct !== undefined) return result(direct);
      const pos = await seg.findPosition(fetchOffset, limit, undefined, scope);
      if (seg.indexDamaged) await this.indexDamageFound(seg, seg !== segs.at(-1));
      if (pos >= limit) continue;
      const read = await seg.readVerified(pos, fetchOffset, maxBytes, limit, scope);
      for (const d of read.damaged) this.reportDamage(seg, d);
      if (read.batches.length > 0) return result(read.batches);
      damagedAtEnd = read.damaged.length > 0;
    }
    if (damagedAtEnd) {
      // Nothing sound follows the damage: an empty answer would leave consumers fetching this
      // offset forever, so they are told (Kafka's clients raise CORRUPT_MESSAGE to the application).
      throw new LogError(
        "CORRUPT_MESSAGE",
        `${this.topic}-${this.partition}: the batch holding offset ${fetchOffset} is damaged on disk and no readable batch follows it (see sluice-broker verify)`,
      );
    }
    return result([]);
  }

  /**
   * One read instead of a walk and a read: from the offset index's entry at or before
   * `fetchOffset`, `maxBytes` plus the bytes an entry can lie before its batches (a consumer
   * continuing where its last batch ended reads at an entry, or a few small batches after one),
   * skipping in memory to the batch holding `fetchOffset`. Undefined when the index has no entry
   * there, when what is read is not sound batches starting at the entry (a damaged index or log),
   * or when the batch is further than that from the entry: then the walk decides and reports, as
   * without this shortcut.
   */
  private async readIndexed(
    seg: LogSegment,
    fetchOffset: number,
    maxBytes: number,
    limit: number,
    scope: ReadScope | undefined,
  ): Promise<Buffer[] | undefined> {
    const entry = seg.indexFloor(fetchOffset);
    if (entry === undefined || entry.position >= limit) return undefined;
    const slack =
      entry.offset === fetchOffset
        ? 0
        : Math.min(2 * this.cfg.indexIntervalBytes, READ_SLACK_BYTES);
    const read = await seg.readVerified(
      entry.position,
      entry.offset,
      maxBytes + slack,
      limit,
      scope,
    );
    const batches = read.batches;
    const first = batches[0];
    if (read.damaged.length > 0 || first === undefined) return undefined;
    if (readInt64(first, BATCH.BASE_OFFSET) !== entry.offset) return undefined;
    let i = 0;
    let skipped = 0;
    for (; i < batches.length; i++) {
      const b = batches[i] as Buffer;
      const last = readInt64(b, BATCH.BASE_OFFSET) + b.readInt32BE(BATCH.LAST_OFFSET_DELTA);
      if (last >= fetchOffset) break;
      skipped += b.length;
    }
    // Past the slack, what follows the batch may have been cut short of `maxBytes`.
    if (i === batches.length || skipped > slack) return undefined;
    const out: Buffer[] = [];
    let size = 0;
    for (; i < batches.length; i++) {
      const b = batches[i] as Buffer;
      if (out.length > 0 && size + b.length > maxBytes) break;
      out.push(b);
      size += b.length;
    }
    return out;
  }

  private reportDamage(seg: LogSegment, d: DamagedRange): void {
    const key = `${seg.baseOffset}:${d.from}`;
    if (this.damageSeen.has(key)) return;
    this.damageSeen.add(key);
    this.onDamage(
      `${this.topic}-${this.partition}: damaged bytes ${d.from}..${d.to} of ${seg.logPath} skipped (records there are not served; the gap shows as missing offsets)`,
    );
  }

  /** Rebuilds a sealed segment's damaged indexes (replacing the files) and says so once. */
  private async indexDamageFound(seg: LogSegment, sealed: boolean): Promise<void> {
    const key = `${seg.baseOffset}:index`;
    if (!this.damageSeen.has(key)) {
      this.damageSeen.add(key);
      this.onWarning(
        `${this.topic}-${this.partition}: ${seg.indexPath} has an entry that does not point at its batch; reads walk around it and ${sealed ? "the indexes are rebuilt" : "sluice-broker verify --repair rebuilds them"}`,
      );
    }
    if (!sealed) return;
    seg.unloadIndexes();
    await seg.ensureIndexes(this.cfg.indexIntervalBytes);
  }

  /** A deleted or closed partition answers like an unknown one (reads racing a topic deletion). */
  private assertOpen(): void {
    if (this.closed) {
      throw new LogError(
        "UNKNOWN_TOPIC_OR_PARTITION",
        `log ${this.topic}-${this.partition} is closed`,
      );
    }
  }

  private floorSegment(segs: LogSegment[], offset: number): number {
    let lo = 0;
    let hi = segs.length - 1;
    let best = 0;
    while (lo <= hi) {
      const mid = (lo + hi) >>> 1;
      if ((segs[mid]?.baseOffset ?? 0) <= offset) {
        best = mid;
        lo = mid + 1;
      } else hi = mid - 1;
    }
    return best;
  }

  /**
   * ListOffsets' lookups ({@link ListOffsetsTimestamp}): -2 earliest and -4 earliest local (the log
   * start: no tiered storage), -1 latest, -3 the first record carrying the largest timestamp, -5
   * none (nothing is tiered), else the first record at or after the log start whose timestamp is
   * >= `ts`; null if none.
   */
  async offsetForTimestamp(ts: number): Promise<TimestampOffset | null> {
    for (let attempt = 0; ; attempt++) {
      try {
        return await this.offsetForTimestampOnce(ts);
      } catch (err) {
        if (!(err instanceof SegmentRetiredError) || attempt >= 100) throw err;
        await new Promise((r) => setImmediate(r));
      }
    }
  }

  private async offsetForTimestampOnce(ts: number): Promise<TimestampOffset | null> {
    this.assertOpen();
    if (ts === ListOffsetsTimestamp.EARLIEST || ts === ListOffsetsTimestamp.EARLIEST_LOCAL)
      return { offset: this.startOffset, timestamp: -1 };
    if (ts === ListOffsetsTimestamp.LATEST) return { offset: this.endOffset, timestamp: -1 };
    // Nothing is tiered: Kafka answers offset -1 when remote storage is off.
    if (ts === ListOffsetsTimestamp.LATEST_TIERED) return null;
    const segs = this.segments;
    const interval = this.cfg.indexIntervalBytes;
    if (ts === ListOffsetsTimestamp.MAX) {
      // The first segment holding the largest timestamp, then its first record carrying it.
      let best: LogSegment | undefined;
      for (const seg of segs) {
        if (seg.size === 0) continue;
        await seg.ensureIndexes(interval);
        if (seg.maxTimestamp >= 0 && (best === undefined || seg.maxTimestamp > best.maxTimestamp))
          best = seg;
      }
      if (best === undefined) return null;
      const found = await best.findByTimestamp(best.maxTimestamp, best.size, this.startOffset);
      return (
        found ?? {
          offset: Math.max(best.offsetOfMaxTimestamp, this.startOffset),
          timestamp: best.maxTimestamp,
        }
      );
    }
    for (const seg of segs) {
      if (seg.size === 0) continue;
      await seg.ensureIndexes(interval);
      if (seg.maxTimestamp < ts) continue;
      const found = await seg.findByTimestamp(ts, seg.size, this.startOffset);
      if (found !== undefined && found.offset < this.endOffset) return found;
    }
    return null;
  }

  // ------------------------------------------------------------------------- log start / retention

  /**
   * Advances the log start offset (DeleteRecords) and deletes segments wholly below it. Refused
   * with POLICY_VIOLATION on a compact-only log, as Kafka refuses it: there the log start is the
   * cleaner's to move.
   */
  deleteRecords(beforeOffset: number): Promise<number> {
    return this.maintenanceLock.run(async () => {
      if (!isDeleting(this.cfg)) {
        throw new LogError(
          "POLICY_VIOLATION",
          `records of partition ${this.topic}-${this.partition} can not be deleted: its cleanup.policy is compact (only)`,
        );
      }
      const target = beforeOffset === -1 ? this.endOffset : beforeOffset;
      if (target < 0 || target > this.endOffset) {
        throw new LogError(
          "OFFSET_OUT_OF_RANGE",
          `offset ${beforeOffset} is beyond the high watermark ${this.endOffset}`,
        );
      }
      if (target > this.startOffset) {
        this.startOffset = target;
        await this.writeMeta();
        await this.deleteSegmentsBelowStart();
      }
      return this.startOffset;
    });
  }

  /**
   * One bounded round of background work: interval flush (`flush.ms`), retention by time and
   * size (whole non-active segments). Compaction is separate ({@link LogCleaner}).
   */
  async maintain(now = this.clock()): Promise<void> {
    if (this.closed) return;
    if (
      this.storageFailure === undefined &&
      this.unflushedMessages > 0 &&
      this.firstUnflushedMs >= 0 &&
      now - this.firstUnflushedMs >= this.cfg.flushMs
    ) {
      await this.commit.request().catch(() => {});
    }
    if (isDeleting(this.cfg)) await this.maintenanceLock.run(() => this.applyRetention(now));
  }

  private async applyRetention(now: number): Promise<void> {
    const cfg = this.cfg;
    let changed = false;
    if (cfg.retentionMs >= 0) {
      while (this.segments.length > 1) {
        const oldest = this.segments[0];
        if (oldest === undefined) break;
        await oldest.ensureIndexes(cfg.indexIntervalBytes);
        if (oldest.maxTimestamp >= now - cfg.retentionMs && oldest.size > 0) break;
        await this.dropOldestSegment();
        changed = true;
      }
    }
    if (cfg.retentionBytes >= 0) {
      let total = this.sizeBytes();
      while (this.segments.length > 1) {
        const oldest = this.segments[0];
        if (oldest === undefined || total - oldest.size < cfg.retentionBytes) break;
        total -= oldest.size;
        await this.dropOldestSegment();
        changed = true;
      }
    }
    if (changed) await this.writeMeta();
  }

  /** Removes the oldest segment from the list, moves the log start offset past it, deletes it. */
  private async dropOldestSegment(): Promise<void> {
    const [oldest, ...rest] = this.segments;
    const next = rest[0];
    if (oldest === undefined || next === undefined) return;
    this.segments = rest;
    this.startOffset = Math.max(this.startOffset, next.baseOffset);
    await this.writeMeta();
    await oldest.delete();
  }

  private async deleteSegmentsBelowStart(): Promise<void> {
    while (this.segments.length > 1) {
      const second = this.segments[1];
      if (second === undefined || second.baseOffset > this.startOffset) break;
      await this.dropOldestSegment();
    }
  }

  // -------------------------------------------------------------------------- compaction hooks

  /** Runs one compaction pass now (compacted topics; no-op otherwise). */
  async compact(now = this.clock()): Promise<CompactionResult> {
    if (!isCompacted(this.cfg)) return { segmentsRewritten: 0, recordsRemoved: 0 };
    this.dirtySealedSegments = 0;
    return compactLog(this, now);
  }

  /** Sealed segments eligible for compaction (oldest first): not active, older than the lag. */
  cleanableSegments(now = this.clock()): LogSegment[] {
    const out: LogSegment[] = [];
    const sealed = this.segments.slice(0, -1);
    for (const s of sealed) {
      if (s.maxTimestamp > now - this.cfg.minCompactionLagMs) break;
      out.push(s);
    }
    return out;
  }

  /** Loads the indexes (and so the max timestamps) of every sealed segment. */
  async loadSealedIndexes(): Promise<void> {
    for (const s of this.segments.slice(0, -1)) await s.ensureIndexes(this.cfg.indexIntervalBytes);
  }

  /**
   * Atomically replaces `old` by the compacted file at `swapPath` (`<base>.log.swap`): the old
   * segment is retired (readers retry), the rename happens synchronously so no read can observe
   * a half state, then indexes are rebuilt and written.
   */
  async replaceSegment(old: LogSegment, swapPath: string, newSize: number): Promise<void> {
    if (!this.segments.includes(old)) {
      await fsp.rm(swapPath, { force: true });
      return;
    }
    await fsp.rm(old.indexPath, { force: true });
    await fsp.rm(old.timeIndexPath, { force: true });
    const seg = new LogSegment(this.dir, old.baseOffset, this.fds);
    seg.size = newSize;
    seg.nextOffset = old.nextOffset;
    seg.rollBaseMs = old.rollBaseMs;
    old.retired = true;
    fs.renameSync(swapPath, old.logPath);
    this.fds.invalidate(old.logPath);
    this.segments = this.segments.map((s) => (s === old ? seg : s));
    await fsyncDir(this.dir);
    await seg.ensureIndexes(this.cfg.indexIntervalBytes);
    await seg.persistIndexes();
  }

  // -------------------------------------------------------------------------------- persistence

  private async writeMeta(): Promise<void> {
    const meta: PartitionMeta = {
      topic: this.topic,
      partition: this.partition,
      overrides: this.overrides,
      logStartOffset: this.startOffset,
    };
    await writeStateFile(path.join(this.dir, PARTITION_META_FILE), JSON.stringify(meta));
  }

  /** Writes `<logEndOffset>.snapshot` of the producer state and prunes older snapshots. */
  private writeSnapshot(): Promise<void> {
    return writeProducerSnapshot(this.dir, this.producers, this.endOffset);
  }

  // ---------------------------------------------------------------------------------- loading

  private async load(clean: boolean, recordedStart: number | undefined): Promise<void> {
    // A new partition (the log manager read an existing one's partition.json before opening it).
    if (recordedStart === undefined) await this.writeMeta();
    const metaStart = recordedStart ?? 0;

    // Finish or undo interrupted compactions and atomic writes.
    const names = await fsp.readdir(this.dir);
    for (const n of names) {
      const full = path.join(this.dir, n);
      if (n.endsWith(".cleaned") || n.includes(".tmp-")) await fsp.rm(full, { force: true });
    }
    for (const n of names) {
      if (!n.endsWith(".log.swap")) continue;
      const base = Number(n.slice(0, 20));
      await fsp.rm(path.join(this.dir, segmentFileName(base, ".index")), { force: true });
      await fsp.rm(path.join(this.dir, segmentFileName(base, ".timeindex")), { force: true });
      fs.renameSync(path.join(this.dir, n), path.join(this.dir, segmentFileName(base, ".log")));
      await fsyncDir(this.dir);
    }
    const after = await fsp.readdir(this.dir);
    const bases = segmentBaseOffsets(after);
    const baseSet = new Set(bases);
    for (const n of after) {
      const m = /^(\d{20})\.(index|timeindex)$/.exec(n);
      if (m && !baseSet.has(Number(m[1]))) await fsp.rm(path.join(this.dir, n), { force: true });
    }

    if (bases.length === 0) {
      const seg = await LogSegment.create(this.dir, metaStart, this.fds);
      await fsyncDir(this.dir);
      this.segments = [seg];
      this.startOffset = metaStart;
      this.endOffset = metaStart;
      return;
    }

    const segs = bases.map((b) => new LogSegment(this.dir, b, this.fds));
    const sizes = await Promise.all(segs.map((s) => fsp.stat(s.logPath)));
    segs.forEach((s, i) => {
      s.size = sizes[i]?.size ?? 0;
      const next = segs[i + 1];
      if (next !== undefined) s.nextOffset = next.baseOffset;
      s.rollBaseMs = sizes[i]?.mtimeMs ?? Date.now();
    });
    this.segments = segs;
    const interval = this.cfg.indexIntervalBytes;

    let recovered = 0;
    let truncated = 0;
    // Producer batches seen while recovering, so the replay need not scan those segments again.
    const seen = new Map<LogSegment, ReplayBatch[]>();
    const collect = (seg: LogSegment) => {
      const list: ReplayBatch[] = [];
      seen.set(seg, list);
      return (b: ScannedBatch) => {
        const r = replayBatchOf(b);
        if (r !== undefined) list.push(r);
      };
    };
    const tail = this.activeSegment();
    if (clean) {
      truncated += await tail.loadActive(interval, (d) => this.reportDamage(tail, d));
    } else {
      // Sealed segments were fdatasynced at roll; only the tail can hold torn writes. An empty
      // tail may follow a roll interrupted right after it created the file: check one more.
      const previous = segs[segs.length - 2];
      if (tail.size === 0 && previous !== undefined) {
        truncated += await previous.recover(interval, collect(previous), (d) =>
          this.reportDamage(previous, d),
        );
        previous.nextOffset = tail.baseOffset;
        recovered++;
      }
      truncated += await tail.recover(interval, collect(tail), (d) => this.reportDamage(tail, d));
      recovered++;
    }
    if (tail.size === 0) tail.nextOffset = tail.baseOffset;
    this.endOffset = tail.nextOffset;
    this.startOffset = Math.max(metaStart, segs[0]?.baseOffset ?? 0);
    if (this.startOffset > this.endOffset) this.startOffset = this.endOffset;
    await this.deleteSegmentsBelowStart();
    const replayed = await restoreProducerState({
      dir: this.dir,
      producers: this.producers,
      startOffset: this.startOffset,
      endOffset: this.endOffset,
      segments: this.segments,
      seen,
      onWarning: this.onWarning,
    });
    this.dirty = !clean || truncated > 0;
    this.openReport = {
      recoveredSegments: recovered,
      truncatedBytes: truncated,
      replayedBatches: replayed,
    };
  }

  // ---------------------------------------------------------------------------------- closing

  /**
   * Waits for appends, fsyncs, writes indexes and a producer snapshot, and closes the files.
   * The caller (LogManager) writes the clean-shutdown marker afterwards.
   */
  async close(): Promise<void> {
    if (this.closed) return;
    await this.appendLock.run(async () => {
      this.closed = true;
    });
    await this.maintenanceLock.run(async () => {});
    await this.commit.idle();
    // Untouched since a clean open: its files are exactly as the last close left them (this
    // keeps closing 10,000 idle partitions cheap).
    // After a failed fsync nothing written since can be called durable: leave the files for
    // recovery (the manager writes no clean-shutdown marker).
    if (this.dirty && this.storageFailure === undefined) {
      const active = this.activeSegment();
      await this.syncSegment(active);
      await active.persistIndexes();
      await this.writeSnapshot();
    }
    for (const s of this.segments) this.fds.invalidate(s.logPath);
    this.listeners.clear();
  }

  /** Closes without flushing (the files are about to be deleted). */
  async abandon(): Promise<void> {
    await this.appendLock.run(async () => {
      this.closed = true;
    });
    await this.maintenanceLock.run(async () => {});
    await this.commit.idle();
    for (const s of this.segments) s.retired = true;
    this.fds.invalidatePrefix(this.dir + path.sep);
    this.listeners.clear();
  }
}

function stripUndefined(o: Partial<LogConfig>): Partial<LogConfig> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(o)) if (v !== undefined) out[k] = v;
  return out as Partial<LogConfig>;
}
