import { crc32c } from "./crc32c";
import {
  ATTR_CONTROL,
  ATTR_LOG_APPEND_TIME,
  ATTR_TRANSACTIONAL,
  BATCH,
  writeInt64,
} from "./record-batch";
import { varintSize, writeVarint } from "./varint";

/** A record to put in a batch built by {@link buildRecordBatch}. */
export interface RecordInput {
  readonly key?: Buffer | string | null;
  readonly value: Buffer | string | null;
  readonly headers?: ReadonlyArray<{
    readonly key: string;
    readonly value: Buffer | string | null;
  }>;
  /** Absolute timestamp; defaults to the batch's `timestamp`. */
  readonly timestamp?: number;
  /** Offset delta inside the batch; defaults to the record's index (compaction keeps gaps). */
  readonly offsetDelta?: number;
}

/** Options of {@link buildRecordBatch}. */
export interface BuildBatchOptions {
  readonly records: ReadonlyArray<RecordInput>;
  readonly baseOffset?: number;
  /** Base timestamp (default: the first record's timestamp, else `Date.now()`). */
  readonly timestamp?: number;
  readonly partitionLeaderEpoch?: number;
  readonly producerId?: number;
  readonly producerEpoch?: number;
  readonly baseSequence?: number;
  readonly transactional?: boolean;
  readonly control?: boolean;
  readonly logAppendTime?: boolean;
  /** Override `lastOffsetDelta` (compaction keeps the original batch's). */
  readonly lastOffsetDelta?: number;
  /** Override `maxTimestamp` (compaction keeps the original batch's). */
  readonly maxTimestamp?: number;
}

function toBuf(v: Buffer | string | null | undefined): Buffer | null {
  if (v === null || v === undefined) return null;
  return typeof v === "string" ? Buffer.from(v, "utf8") : v;
}

function bytesSize(b: Buffer | null): number {
  return b === null ? varintSize(-1) : varintSize(b.length) + b.length;
}

function writeBytes(buf: Buffer, b: Buffer | null, pos: number): number {
  if (b === null) return writeVarint(buf, -1, pos);
  const p = writeVarint(buf, b.length, pos);
  b.copy(buf, p);
  return p + b.length;
}

/**
 * Builds an uncompressed magic-2 record batch with a valid CRC: for tests, internal topics and
 * compaction. Producers' batches are never rebuilt on the produce path.
 */
export function buildRecordBatch(opts: BuildBatchOptions): Buffer {
  const first = opts.records[0];
  const baseTs = opts.timestamp ?? first?.timestamp ?? Date.now();
  const prepared = opts.records.map((r, i) => {
    const key = toBuf(r.key);
    const value = toBuf(r.value);
    const headers = (r.headers ?? []).map((h) => ({
      key: Buffer.from(h.key, "utf8"),
      value: toBuf(h.value),
    }));
    const tsDelta = (r.timestamp ?? baseTs) - baseTs;
    const offsetDelta = r.offsetDelta ?? i;
    let body =
      1 + varintSize(tsDelta) + varintSize(offsetDelta) + bytesSize(key) + bytesSize(value);
    body += varintSize(headers.length);
    for (const h of headers) body += bytesSize(h.key) + bytesSize(h.value);
    return { key, value, headers, tsDelta, offsetDelta, body };
  });
  let size: number = BATCH.HEADER_SIZE;
  for (const r of prepared) size += varintSize(r.body) + r.body;
  const buf = Buffer.alloc(size);
  let maxTs = baseTs;
  let lastDelta = 0;
  let p: number = BATCH.HEADER_SIZE;
  for (const r of prepared) {
    p = writeVarint(buf, r.body, p);
    buf[p++] = 0;
    p = writeVarint(buf, r.tsDelta, p);
    p = writeVarint(buf, r.offsetDelta, p);
    p = writeBytes(buf, r.key, p);
    p = writeBytes(buf, r.value, p);
    p = writeVarint(buf, r.headers.length, p);
    for (const h of r.headers) {
      p = writeBytes(buf, h.key, p);
      p = writeBytes(buf, h.value, p);
    }
    maxTs = Math.max(maxTs, baseTs + r.tsDelta);
    lastDelta = Math.max(lastDelta, r.offsetDelta);
  }
  let attributes = 0;
  if (opts.logAppendTime) attributes |= ATTR_LOG_APPEND_TIME;
  if (opts.transactional) attributes |= ATTR_TRANSACTIONAL;
  if (opts.control) attributes |= ATTR_CONTROL;
  writeInt64(buf, opts.baseOffset ?? 0, BATCH.BASE_OFFSET);
  buf.writeInt32BE(size - BATCH.LOG_OVERHEAD, BATCH.LENGTH);
  buf.writeInt32BE(opts.partitionLeaderEpoch ?? 0, BATCH.PARTITION_LEADER_EPOCH);
  buf.writeInt8(2, BATCH.MAGIC);
  buf.writeInt16BE(attributes, BATCH.ATTRIBUTES);
  buf.writeInt32BE(opts.lastOffsetDelta ?? lastDelta, BATCH.LAST_OFFSET_DELTA);
  writeInt64(buf, baseTs, BATCH.BASE_TIMESTAMP);
  writeInt64(buf, opts.maxTimestamp ?? maxTs, BATCH.MAX_TIMESTAMP);
  writeInt64(buf, opts.producerId ?? -1, BATCH.PRODUCER_ID);
  buf.writeInt16BE(opts.producerEpoch ?? -1, BATCH.PRODUCER_EPOCH);
  buf.writeInt32BE(opts.baseSequence ?? -1, BATCH.BASE_SEQUENCE);
  buf.writeInt32BE(prepared.length, BATCH.RECORDS_COUNT);
  buf.writeUInt32BE(crc32c(buf.subarray(BATCH.ATTRIBUTES)), BATCH.CRC);
  return buf;
}
