import { promises as fsp } from "node:fs";
import * as path from "node:path";
import type { FdCache, FdLease } from "./fd-cache";
import { fdatasync, ftruncate, pread, preadInto, pwriteAll } from "./fs-io";
import type { TimestampOffset } from "./log-types";
import { OffsetIndex } from "./offset-index";
import type { ReadScope } from "./read-buffers";
import { BATCH, batchProblem, readInt64 } from "./record-batch";
import { firstRecordAtOrAfter } from "./records";
import { TimeIndex } from "./time-index";
import { VerifiedRanges } from "./verified-ranges";
import { writeFileAtomic } from "./write-file-atomic";

/** Bytes of a batch header needed to walk batches: baseOffset, length, …, lastOffsetDelta. */
const WALK_HEADER = BATCH.LAST_OFFSET_DELTA + 4;
/** Chunk size for header walks and recovery scans. */
const SCAN_CHUNK = 8 * 1024 * 1024;
/** Header walks start at an index entry, so the target is usually within a few KiB. */
const WALK_CHUNK = 16 * 1024;
/** Index entries tried (going back) before a walk starts at the segment's start. */
const MAX_INDEX_STEPS_BACK = 4;
/** What a walk from a wrong index entry answers. */
const WRONG_INDEX_ENTRY = -1;

/** `00000000000000012345` — Kafka's 20-digit zero-padded base offset file names. */
export function segmentFileName(baseOffset: number, ext: string): string {
  return `${String(baseOffset).padStart(20, "0")}${ext}`;
}

/** Base offsets of the segment files (`<base>.log`) among a directory's `names`, ascending. */
export function segmentBaseOffsets(names: readonly string[]): number[] {
  return names
    .filter((n) => /^\d{20}\.log$/.test(n))
    .map((n) => Number(n.slice(0, 20)))
    .sort((a, b) => a - b);
}

/** Thrown by reads of a segment that was deleted or replaced meanwhile; the caller retries. */
export class SegmentRetiredError extends Error {
  constructor() {
    super("segment was deleted or replaced during the read");
    this.name = "SegmentRetiredError";
  }
}

/** Header fields a scan visitor sees. */
export interface ScannedBatch {
  readonly position: number;
  readonly size: number;
  readonly baseOffset: number;
  readonly lastOffset: number;
  readonly maxTimestamp: number;
  /** The chunk holding the batch and its start in it (valid only during the visit). */
  readonly buf: Buffer;
  readonly at: number;
}

/** Bytes of a segment that hold no sound batch, between two sound ones (or the end). */
export interface DamagedRange {
  /** Position of the first damaged byte (where a batch should have started). */
  readonly from: number;
  /** Position of the next sound batch, or the segment's end when none follows. */
  readonly to: number;
}

/** What {@link LogSegment.readVerified} read. */
export interface VerifiedRead {
  /** Sound batches only (CRC-32C and structure checked), in order. */
  readonly batches: Buffer[];
  /** Damaged ranges met on the way (skipped). */
  readonly damaged: DamagedRange[];
}

/**
 * One segment: `<base>.log` (batches as stored), `<base>.index`, `<base>.timeindex`. The
 * segment tracks its visible size: bytes past it are being written or are garbage from a crash.
 */
export class LogSegment {
  readonly logPath: string;
  readonly indexPath: string;
  readonly timeIndexPath: string;
  /** Visible bytes (all fully written batches). */
  size = 0;
  /** Offset after the last batch; for sealed segments loaded lazily, an upper bound. */
  nextOffset: number;
  /** Largest batch maxTimestamp, -1 when empty or not yet loaded. */
  maxTimestamp = -1;
  /** Base offset of the batch holding {@link maxTimestamp}. */
  offsetOfMaxTimestamp = -1;
  /** Wall-clock ms when the segment got (or, after a restart, was found with) its first batch. */
  rollBaseMs = -1;
  /**
   * Set when the segment was deleted or replaced by compaction: reads that complete afterwards
   * may have seen the replacement file and must be retried ({@link SegmentRetiredError}).
   */
  retired = false;
  /**
   * Set when an offset-index entry did not point at the batch it names: reads walk around it, and
   * the index files are rebuilt, not loaded, the next time the indexes load.
   */
  indexDamaged = false;
  /** Bytes whose batches are known sound since open: reads skip their CRC check. */
  private readonly verified = new VerifiedRanges();
  private offsetIndex: OffsetIndex | undefined;
  private timeIndex: TimeIndex | undefined;
  private bytesSinceIndexEntry = 0;

  constructor(
    readonly dir: string,
    readonly baseOffset: number,
    private readonly fds: FdCache,
  ) {
    this.logPath = path.join(dir, segmentFileName(baseOffset, ".log"));
    this.indexPath = path.join(dir, segmentFileName(baseOffset, ".index"));
    this.timeIndexPath = path.join(dir, segmentFileName(baseOffset, ".timeindex"));
    this.nextOffset = baseOffset;
  }

  /** True once the indexes are in memory. */
  get indexesLoaded(): boolean {
    return this.offsetIndex !== undefined && this.timeIndex !== undefined;
  }

  /** Creates an empty segment file (the caller fsyncs the directory). */
  static async create(dir: string, baseOffset: number, fds: FdCache): Promise<LogSegment> {
    const seg = LogSegment.withEmptyIndexes(dir, baseOffset, fds);
    fds.acquire(seg.logPath, true).release();
    return seg;
  }

  /** A segment object with empty in-memory indexes; touches no file. */
  private static withEmptyIndexes(dir: string, baseOffset: number, fds: FdCache): LogSegment {
    const seg = new LogSegment(dir, baseOffset, fds);
    seg.offsetIndex = new OffsetIndex();
    seg.timeIndex = new TimeIndex();
    return seg;
  }

  /** Writes `buf` at the current end with one positional write; call {@link commit} after. */
  async write(buf: Buffer): Promise<void> {
    const lease = this.fds.acquire(this.logPath);
    try {
      await pwriteAll(lease.fd, buf, this.size);
    } finally {
      lease.release();
    }
  }

  /**
   * Makes a written batch visible and indexes it: an index entry whenever more than
   * `indexIntervalBytes` were appended since the last one (Kafka's rule).
   */
  commitBatch(
    baseOffset: number,
    lastOffset: number,
    maxTimestamp: number,
    size: number,
    indexIntervalBytes: number,
  ): void {
    const position = this.size;
    if (this.bytesSinceIndexEntry > indexIntervalBytes) {
      this.offsetIndex?.append(baseOffset - this.baseOffset, position);
      this.timeIndex?.maybeAppend(
        Math.max(maxTimestamp, this.maxTimestamp),
        baseOffset - this.baseOffset,
      );
      this.bytesSinceIndexEntry = 0;
    }
    this.bytesSinceIndexEntry += size;
    if (maxTimestamp > this.maxTimestamp) {
      this.maxTimestamp = maxTimestamp;
      this.offsetOfMaxTimestamp = baseOffset;
    }
    if (this.rollBaseMs < 0) this.rollBaseMs = Date.now();
    // Appends and recovery commit only batches they validated.
    this.verified.add(position, position + size);
    this.size = position + size;
    this.nextOffset = lastOffset + 1;
  }

  /** fdatasync of the log file. */
  async sync(): Promise<void> {
    const lease = this.fds.acquire(this.logPath);
    try {
      await fdatasync(lease.fd);
    } finally {
      lease.release();
    }
  }

  /**
   * Reads `length` bytes at `position` (fewer at the end of the file), into a buffer of `scope`
   * when one is given.
   */
  async readAt(position: number, length: number, scope?: ReadScope): Promise<Buffer> {
    if (this.retired) throw new SegmentRetiredError();
    let lease: FdLease;
    try {
      lease = this.fds.acquire(this.logPath);
    } catch (err) {
      if (this.retired) throw new SegmentRetiredError();
      throw err;
    }
    try {
      const buf =
        scope === undefined
          ? await pread(lease.fd, length, position)
          : await preadInto(lease.fd, scope.alloc(length), position);
      if (this.retired) throw new SegmentRetiredError();
      return buf;
    } finally {
      lease.release();
    }
  }

  /** Loads the index files, rebuilding them by a scan when missing or implausible. */
  async ensureIndexes(indexIntervalBytes: number): Promise<void> {
    if (this.indexesLoaded) return;
    if (this.indexDamaged) {
      // An entry was found wrong: rebuild from the batches and replace the files.
      await this.rebuildIndexes(indexIntervalBytes);
      this.indexDamaged = false;
      // A segment compaction replaced meanwhile has new files with their own indexes.
      if (!this.retired) await this.persistIndexes();
      return;
    }
    const [ib, tb] = await Promise.all([
      fsp.readFile(this.indexPath).catch(() => undefined),
      fsp.readFile(this.timeIndexPath).catch(() => undefined),
    ]);
    const oi = ib ? OffsetIndex.parse(ib, this.size) : undefined;
    const ti = tb ? TimeIndex.parse(tb) : undefined;
    // Sealed segments get a final time index entry on seal, so a non-empty segment has one.
    if (oi && ti && ti.length > 0 === this.size > 0 && (await this.indexPlausible(oi))) {
      this.offsetIndex = oi;
      this.timeIndex = ti;
      if (ti.length > 0) {
        this.maxTimestamp = ti.lastTimestamp;
        this.offsetOfMaxTimestamp = this.baseOffset + ti.lastRelOffset;
      }
      return;
    }
    await this.rebuildIndexes(indexIntervalBytes);
  }

  /**
   * Clean open of the active segment: trust the index files, walk only the bytes after the last
   * index entry (validating it) to find the next offset and the newest timestamp. Returns the
   * bytes truncated (0 unless the tail was invalid).
   */
  async loadActive(
    indexIntervalBytes: number,
    damaged?: (range: DamagedRange) => void,
  ): Promise<number> {
    await this.ensureIndexes(indexIntervalBytes);
    const from = this.offsetIndex?.lastPosition ?? 0;
    let bytes = 0;
    // Validated anyway (it is at most an index interval plus a batch): a marker must never make
    // us serve a bad tail. Anything invalid falls back to the full recovery of this segment.
    const end = await this.scan(from, this.size, true, (b) => {
      this.nextOffset = b.lastOffset + 1;
      if (b.maxTimestamp > this.maxTimestamp) {
        this.maxTimestamp = b.maxTimestamp;
        this.offsetOfMaxTimestamp = b.baseOffset;
      }
      bytes += b.size;
      return true;
    });
    if (end < this.size) return this.recover(indexIntervalBytes, undefined, damaged);
    this.bytesSinceIndexEntry = bytes;
    return 0;
  }

  /** The last entry must point at a batch header with the offset it claims. */
  private async indexPlausible(oi: OffsetIndex): Promise<boolean> {
    if (oi.length === 0) return true;
    const last = oi.entry(oi.length - 1);
    const head = await this.readAt(last.position, WALK_HEADER);
    return head.length === WALK_HEADER && readInt64(head, 0) === this.baseOffset + last.relOffset;
  }

  /**
   * After skipped damage, the next sound batch starts past the visible size: move there and index
   * it, so lookups of later offsets never walk through the damaged bytes.
   */
  private skipTo(position: number, indexIntervalBytes: number): void {
    if (position === this.size) return;
    this.size = position;
    this.bytesSinceIndexEntry = indexIntervalBytes + 1;
  }

  /** Indexes a batch a validating scan found, after any damage it skipped (recovery, rebuilds). */
  private indexScanned(b: ScannedBatch, indexIntervalBytes: number): void {
    this.skipTo(b.position, indexIntervalBytes);
    this.commitBatch(b.baseOffset, b.lastOffset, b.maxTimestamp, b.size, indexIntervalBytes);
  }

  /**
   * Rebuilds both indexes (and max timestamp, next offset) by walking the batches, skipping damage.
   * Built on a scratch segment and swapped in at the end: reads running meanwhile keep seeing this
   * segment's visible size.
   */
  async rebuildIndexes(indexIntervalBytes: number): Promise<void> {
    const scratch = LogSegment.withEmptyIndexes(this.dir, this.baseOffset, this.fds);
    await this.scan(
      0,
      this.size,
      true,
      (b) => {
        scratch.indexScanned(b, indexIntervalBytes);
        return true;
      },
      () => {},
    );
    this.offsetIndex = scratch.offsetIndex;
    this.timeIndex = scratch.timeIndex;
    this.bytesSinceIndexEntry = scratch.bytesSinceIndexEntry;
    this.maxTimestamp = scratch.maxTimestamp;
    this.offsetOfMaxTimestamp = scratch.offsetOfMaxTimestamp;
    if (scratch.nextOffset > this.baseOffset) this.nextOffset = scratch.nextOffset;
  }

  /**
   * Walks the batches in [from, limit) reading large chunks. With `validate`, stops at the first
   * structurally invalid batch (CRC, length, magic, offsets going back) and returns its position;
   * else returns the position where the walk ended. The visitor may stop the walk by returning false.
   * With `onDamage` (and `validate`), an invalid batch does not end the walk: the bytes up to the
   * next sound batch are reported and skipped, so what follows damage stays readable; the walk then
   * ends only where no sound batch follows (a torn tail), at the first damaged byte.
   */
  async scan(
    from: number,
    limit: number,
    validate: boolean,
    visit: (b: ScannedBatch) => boolean,
    onDamage?: (range: DamagedRange) => void,
  ): Promise<number> {
    const state = { expectedMin: this.baseOffset, stopped: false };
    // Taken before the visits: recovery and loading move nextOffset as they go.
    const maxOffset = this.offsetBound();
    let start = from;
    for (;;) {
      const end = await this.scanRun(start, limit, validate, visit, state);
      if (end >= limit || state.stopped || !validate || onDamage === undefined) return end;
      const next = await this.findNextSoundBatch(end + 1, limit, state.expectedMin, maxOffset);
      onDamage({ from: end, to: next ?? limit });
      if (next === undefined) return end;
      start = next;
    }
  }

  private async scanRun(
    from: number,
    limit: number,
    validate: boolean,
    visit: (b: ScannedBatch) => boolean,
    state: { expectedMin: number; stopped: boolean },
  ): Promise<number> {
    let pos = from;
    while (pos < limit) {
      const want = Math.min(SCAN_CHUNK, limit - pos);
      let chunk = await this.readAt(pos, want);
      let p = 0;
      while (p + BATCH.HEADER_SIZE <= chunk.length) {
        const size = chunk.readInt32BE(p + BATCH.LENGTH) + BATCH.LOG_OVERHEAD;
        if (size < BATCH.HEADER_SIZE) return validate ? pos + p : limit;
        if (p + size > chunk.length) {
          if (p > 0) break; // re-read from this batch
          if (pos + size > limit) return validate ? pos : limit;
          chunk = await this.readAt(pos, size); // one batch larger than the chunk
          if (chunk.length < size) return pos;
        }
        const baseOffset = readInt64(chunk, p);
        if (validate) {
          if (
            batchProblem(chunk, p, p + size, false) !== undefined ||
            baseOffset < state.expectedMin
          )
            return pos + p;
        }
        const lastOffset = baseOffset + chunk.readInt32BE(p + BATCH.LAST_OFFSET_DELTA);
        state.expectedMin = lastOffset + 1;
        const ok = visit({
          position: pos + p,
          size,
          baseOffset,
          lastOffset,
          maxTimestamp: readInt64(chunk, p + BATCH.MAX_TIMESTAMP),
          buf: chunk,
          at: p,
        });
        if (!ok) {
          state.stopped = true;
          return pos + p;
        }
        p += size;
      }
      if (p === 0) return validate ? pos : limit; // trailing bytes shorter than a header
      pos += p;
    }
    return pos;
  }

  /**
   * Offsets of this segment's batches are below this: the next offset once known (the next
   * segment's base for a sealed one), else unbounded (a tail being recovered).
   */
  private offsetBound(): number {
    return this.nextOffset > this.baseOffset ? this.nextOffset : Number.POSITIVE_INFINITY;
  }

  /**
   * The position of the first sound batch in [from, limit) whose base offset is in
   * [`minOffset`, `maxOffset`), found byte by byte (damaged bytes carry no framing to follow): magic 2, a length
   * that fits, and a matching CRC-32C — which random bytes pass with odds of 2^-32. Undefined when
   * none.
   */
  async findNextSoundBatch(
    from: number,
    limit: number,
    minOffset: number,
    maxOffset = this.offsetBound(),
  ): Promise<number | undefined> {
    let pos = from;
    while (pos + BATCH.HEADER_SIZE <= limit) {
      const chunk = await this.readAt(pos, Math.min(SCAN_CHUNK, limit - pos));
      const last = chunk.length - BATCH.HEADER_SIZE;
      for (let i = 0; i <= last; i++) {
        if (chunk[i + BATCH.MAGIC] !== 2) continue;
        const base = readInt64(chunk, i);
        if (base < minOffset || base >= maxOffset) continue;
        const size = chunk.readInt32BE(i + BATCH.LENGTH) + BATCH.LOG_OVERHEAD;
        if (size < BATCH.HEADER_SIZE || pos + i + size > limit) continue;
        const whole = i + size <= chunk.length ? chunk : await this.readAt(pos + i, size);
        const at = whole === chunk ? i : 0;
        if (batchProblem(whole, at, at + size, false) === undefined) return pos + i;
      }
      if (chunk.length < BATCH.HEADER_SIZE) return undefined;
      pos += last + 1;
    }
    return undefined;
  }

  /**
   * Crash recovery of a tail segment: validates every batch from the start, rebuilds the indexes and
   * truncates the file where no sound batch follows (a torn write). Damage with sound batches after
   * it is skipped, not truncated: those batches were acknowledged. Returns the number of bytes dropped.
   * `onBatch` sees every valid batch (producer-state replay without a second scan).
   */
  async recover(
    indexIntervalBytes: number,
    onBatch?: (b: ScannedBatch) => void,
    damaged?: (range: DamagedRange) => void,
  ): Promise<number> {
    const st = await fsp.stat(this.logPath);
    const fileSize = st.size;
    this.offsetIndex = new OffsetIndex();
    this.timeIndex = new TimeIndex();
    this.bytesSinceIndexEntry = 0;
    this.size = 0;
    this.nextOffset = this.baseOffset;
    this.maxTimestamp = -1;
    this.offsetOfMaxTimestamp = -1;
    const validEnd = await this.scan(
      0,
      fileSize,
      true,
      (b) => {
        this.indexScanned(b, indexIntervalBytes);
        onBatch?.(b);
        return true;
      },
      (range) => {
        if (range.to < fileSize) damaged?.(range);
      },
    );
    if (validEnd < fileSize) {
      const lease = this.fds.acquire(this.logPath);
      try {
        await ftruncate(lease.fd, validEnd);
        await fdatasync(lease.fd);
      } finally {
        lease.release();
      }
    }
    this.rollBaseMs = this.size > 0 ? Date.now() : -1;
    return fileSize - validEnd;
  }

  /**
   * The offset index's entry at or before `offset` (loaded indexes only), else the segment's start:
   * the batch starting there and its position, unchecked — the caller confirms the batch there
   * starts with that offset.
   */
  indexFloor(offset: number): { offset: number; position: number } | undefined {
    const idx = this.offsetIndex;
    if (!idx) return undefined;
    const i = idx.floorEntry(offset - this.baseOffset);
    if (i < 0) return { offset: this.baseOffset, position: 0 };
    const e = idx.entry(i);
    return { offset: this.baseOffset + e.relOffset, position: e.position };
  }

  /**
   * Position of the first batch whose last offset is >= `offset` (or `limit` when none), walking
   * from `from` (a batch start), by default from the index entry at or before `offset`. That entry
   * is checked against the header it points at (a damaged index must not make a read skip sound
   * batches): a wrong one sets {@link indexDamaged} and the walk starts at an earlier entry that
   * checks out, or at the segment's start.
   */
  async findPosition(
    offset: number,
    limit: number,
    from?: number,
    scope?: ReadScope,
  ): Promise<number> {
    if (from !== undefined) return this.walkTo(offset, limit, from, undefined, scope);
    const idx = this.offsetIndex;
    let i = idx ? idx.floorEntry(offset - this.baseOffset) : -1;
    for (let tries = 0; ; tries++, i--) {
      const e = idx && i >= 0 && tries < MAX_INDEX_STEPS_BACK ? idx.entry(i) : undefined;
      const pos = await this.walkTo(
        offset,
        limit,
        e?.position ?? 0,
        e ? this.baseOffset + e.relOffset : undefined,
        scope,
      );
      if (pos !== WRONG_INDEX_ENTRY) return pos;
      this.indexDamaged = true;
    }
  }

  /**
   * The walk of {@link findPosition} from `pos`; {@link WRONG_INDEX_ENTRY} when `entryOffset` is
   * given and the batch at `pos` does not start there.
   */
  private async walkTo(
    offset: number,
    limit: number,
    start: number,
    entryOffset: number | undefined,
    scope?: ReadScope,
  ): Promise<number> {
    let pos = start;
    let previousLast = this.baseOffset - 1;
    while (pos < limit) {
      const chunk = await this.readAt(pos, Math.min(WALK_CHUNK, limit - pos), scope);
      if (pos === start && entryOffset !== undefined) {
        const sound = chunk.length >= WALK_HEADER && chunk[BATCH.MAGIC] === 2;
        if (!sound || readInt64(chunk, 0) !== entryOffset) return WRONG_INDEX_ENTRY;
      }
      let p = 0;
      while (p + WALK_HEADER <= chunk.length) {
        // A header that cannot be a batch's is damage: stop there, where reading resynchronises.
        if (chunk[p + BATCH.MAGIC] !== 2) return pos + p;
        const base = readInt64(chunk, p);
        const last = base + chunk.readInt32BE(p + BATCH.LAST_OFFSET_DELTA);
        if (base < previousLast || last < base) return pos + p;
        if (last >= offset) return pos + p;
        const size = chunk.readInt32BE(p + BATCH.LENGTH) + BATCH.LOG_OVERHEAD;
        if (size < BATCH.HEADER_SIZE) return pos + p;
        previousLast = last;
        p += size;
      }
      if (p === 0) return limit;
      pos += p;
    }
    // An entry at or past the visible end cannot be right either (the walk read nothing).
    return entryOffset !== undefined && start >= limit ? WRONG_INDEX_ENTRY : limit;
  }

  /**
   * The first record at or after `minOffset` with a timestamp >= `ts` (its offset and timestamp),
   * found through the time index and the batches whose maxTimestamp reaches `ts`; undefined when
   * none.
   */
  async findByTimestamp(
    ts: number,
    limit: number,
    minOffset = 0,
  ): Promise<TimestampOffset | undefined> {
    const rel = this.timeIndex ? this.timeIndex.lookupBefore(ts) : -1;
    // Through findPosition: its start is checked against the batch header (a damaged index).
    const start = rel >= 0 ? await this.findPosition(this.baseOffset + rel, limit) : 0;
    let found: TimestampOffset | undefined;
    // Validated, skipping damage: a damaged header must not answer with a made-up offset.
    await this.scan(
      start,
      limit,
      true,
      (b) => {
        if (b.maxTimestamp < ts || b.lastOffset < minOffset) return true;
        // A compacted batch keeps its maxTimestamp after losing the record that carried it.
        found = firstRecordAtOrAfter(b.buf, b.at, ts, minOffset);
        return found === undefined;
      },
      () => {},
    );
    return found;
  }

  /**
   * Whole batches from `position`: as many as fit in `maxBytes`, at least one; never past `limit`.
   * Returned buffers are views of one read (into a buffer of `scope` when one is given).
   */
  async readBatches(
    position: number,
    maxBytes: number,
    limit: number,
    scope?: ReadScope,
  ): Promise<Buffer[]> {
    if (position >= limit) return [];
    const want = Math.min(limit - position, Math.max(maxBytes, BATCH.HEADER_SIZE));
    let buf = await this.readAt(position, want, scope);
    const out: Buffer[] = [];
    let p = 0;
    while (p + BATCH.LOG_OVERHEAD <= buf.length) {
      const size = buf.readInt32BE(p + BATCH.LENGTH) + BATCH.LOG_OVERHEAD;
      if (size < BATCH.HEADER_SIZE || p + size > buf.length) break;
      out.push(buf.subarray(p, p + size));
      p += size;
    }
    if (out.length === 0 && buf.length >= BATCH.LOG_OVERHEAD) {
      // The first batch is larger than maxBytes: read only its missing tail.
      const size = buf.readInt32BE(BATCH.LENGTH) + BATCH.LOG_OVERHEAD;
      if (size >= BATCH.HEADER_SIZE && position + size <= limit) {
        const rest = await this.readAt(position + buf.length, size - buf.length);
        buf = Buffer.concat([buf, rest], buf.length + rest.length);
        if (buf.length === size) out.push(buf);
      }
    }
    return out;
  }

  /**
   * Like {@link readBatches}, but only sound batches (CRC-32C and structure checked: no corrupt
   * batch is ever handed on). Reading stops before a damaged batch that follows sound ones; when
   * the batch at `position` itself is damaged, the bytes up to the next sound batch are skipped and
   * reported, and reading goes on from the first batch there that holds `offset` or later — the
   * skipped offsets show as a gap, as after compaction.
   */
  async readVerified(
    position: number,
    offset: number,
    maxBytes: number,
    limit: number,
    scope?: ReadScope,
  ): Promise<VerifiedRead> {
    const damaged: DamagedRange[] = [];
    let pos = position;
    for (;;) {
      const raw = await this.readBatches(pos, maxBytes, limit, scope);
      const batches: Buffer[] = [];
      let expectedMin = this.baseOffset;
      let at = pos;
      for (const b of raw) {
        const base = readInt64(b, 0);
        // The CRC is checked once per batch and broker run (see VerifiedRanges).
        const known = this.verified.covers(at, at + b.length);
        if (base < expectedMin || (!known && batchProblem(b, 0, b.length, false) !== undefined))
          break;
        expectedMin = base + b.readInt32BE(BATCH.LAST_OFFSET_DELTA) + 1;
        batches.push(b);
        at += b.length;
      }
      this.verified.add(pos, at);
      if (batches.length > 0 || pos >= limit) return { batches, damaged };
      if (raw.length === 0 && pos + BATCH.HEADER_SIZE > limit) return { batches, damaged };
      // The batch at `pos` is damaged (or its framing is: raw is empty).
      const next = await this.findNextSoundBatch(pos + 1, limit, this.baseOffset);
      damaged.push({ from: pos, to: next ?? limit });
      if (next === undefined) return { batches, damaged };
      pos = await this.findPosition(offset, limit, next, scope);
    }
  }

  /** Adds the final time index entry (so its last entry is the segment max) and writes both indexes. */
  async persistIndexes(): Promise<void> {
    if (!this.offsetIndex || !this.timeIndex) return;
    if (this.maxTimestamp >= 0)
      this.timeIndex.maybeAppend(this.maxTimestamp, this.offsetOfMaxTimestamp - this.baseOffset);
    await writeFileAtomic(this.indexPath, this.offsetIndex.serialize());
    await writeFileAtomic(this.timeIndexPath, this.timeIndex.serialize());
  }

  /** Drops the in-memory indexes of a sealed segment (they reload lazily). */
  unloadIndexes(): void {
    this.offsetIndex = undefined;
    this.timeIndex = undefined;
  }

  /** Retires the segment and deletes its files. */
  async delete(): Promise<void> {
    this.retired = true;
    this.fds.invalidate(this.logPath);
    await Promise.all([
      fsp.rm(this.logPath, { force: true }),
      fsp.rm(this.indexPath, { force: true }),
      fsp.rm(this.timeIndexPath, { force: true }),
    ]);
  }
}
