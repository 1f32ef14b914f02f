import { crc32c } from "./crc32c";
import { LogError } from "./log-error";

/**
 * Record batch (magic 2) layout. The CRC covers everything from `attributes` to the end, so the
 * broker may rewrite `baseOffset` and `partitionLeaderEpoch` without recomputing it.
 */
export const BATCH = {
  BASE_OFFSET: 0,
  LENGTH: 8,
  PARTITION_LEADER_EPOCH: 12,
  MAGIC: 16,
  CRC: 17,
  ATTRIBUTES: 21,
  LAST_OFFSET_DELTA: 23,
  BASE_TIMESTAMP: 27,
  MAX_TIMESTAMP: 35,
  PRODUCER_ID: 43,
  PRODUCER_EPOCH: 51,
  BASE_SEQUENCE: 53,
  RECORDS_COUNT: 57,
  /** Size of the fixed header; records start here. */
  HEADER_SIZE: 61,
  /** baseOffset + length: the part not counted by the length field. */
  LOG_OVERHEAD: 12,
} as const;

/** Compression codec ids (attribute bits 0-2). */
export const Compression = { NONE: 0, GZIP: 1, SNAPPY: 2, LZ4: 3, ZSTD: 4 } as const;
/** A compression codec id. */
export type CompressionType = (typeof Compression)[keyof typeof Compression];

/** Attribute bit 3: timestamps are LogAppendTime. */
export const ATTR_LOG_APPEND_TIME = 0x08;
/** Attribute bit 4: transactional batch. */
export const ATTR_TRANSACTIONAL = 0x10;
/** Attribute bit 5: control batch (transaction markers). */
export const ATTR_CONTROL = 0x20;

/** The decoded fixed header of one record batch. */
export interface BatchHeader {
  readonly baseOffset: number;
  /** Value of the length field (bytes after it). */
  readonly length: number;
  /** Whole batch size in bytes (`length + 12`). */
  readonly sizeInBytes: number;
  readonly partitionLeaderEpoch: number;
  readonly magic: number;
  readonly crc: number;
  readonly attributes: number;
  readonly lastOffsetDelta: number;
  readonly baseTimestamp: number;
  readonly maxTimestamp: number;
  readonly producerId: number;
  readonly producerEpoch: number;
  readonly baseSequence: number;
  readonly recordsCount: number;
  /** `baseOffset + lastOffsetDelta`. */
  readonly lastOffset: number;
  readonly compression: number;
  readonly isTransactional: boolean;
  readonly isControl: boolean;
}

/** Reads a signed big-endian int64 as a JS number (exact below 2^53). */
export function readInt64(buf: Buffer, pos: number): number {
  return buf.readInt32BE(pos) * 4294967296 + buf.readUInt32BE(pos + 4);
}

/** Writes a JS integer (|v| < 2^53) as a big-endian int64. */
export function writeInt64(buf: Buffer, v: number, pos: number): void {
  const hi = Math.floor(v / 4294967296);
  buf.writeInt32BE(hi, pos);
  buf.writeUInt32BE(v - hi * 4294967296, pos + 4);
}

/**
 * Decodes the fixed header of the batch at `pos`. Throws CORRUPT_MESSAGE when fewer than 61 bytes
 * remain or the magic is not 2. Does not check the CRC (see {@link validateBatch}).
 */
export function parseBatchHeader(buf: Buffer, pos = 0): BatchHeader {
  if (buf.length - pos < BATCH.HEADER_SIZE) {
    throw new LogError(
      "CORRUPT_MESSAGE",
      `record batch header truncated: ${buf.length - pos} bytes at ${pos}`,
    );
  }
  const magic = buf.readInt8(pos + BATCH.MAGIC);
  if (magic !== 2) throw new LogError("CORRUPT_MESSAGE", `unsupported record batch magic ${magic}`);
  const baseOffset = readInt64(buf, pos);
  const length = buf.readInt32BE(pos + BATCH.LENGTH);
  const attributes = buf.readInt16BE(pos + BATCH.ATTRIBUTES);
  const lastOffsetDelta = buf.readInt32BE(pos + BATCH.LAST_OFFSET_DELTA);
  return {
    baseOffset,
    length,
    sizeInBytes: length + BATCH.LOG_OVERHEAD,
    partitionLeaderEpoch: buf.readInt32BE(pos + BATCH.PARTITION_LEADER_EPOCH),
    magic,
    crc: buf.readUInt32BE(pos + BATCH.CRC),
    attributes,
    lastOffsetDelta,
    baseTimestamp: readInt64(buf, pos + BATCH.BASE_TIMESTAMP),
    maxTimestamp: readInt64(buf, pos + BATCH.MAX_TIMESTAMP),
    producerId: readInt64(buf, pos + BATCH.PRODUCER_ID),
    producerEpoch: buf.readInt16BE(pos + BATCH.PRODUCER_EPOCH),
    baseSequence: buf.readInt32BE(pos + BATCH.BASE_SEQUENCE),
    recordsCount: buf.readInt32BE(pos + BATCH.RECORDS_COUNT),
    lastOffset: baseOffset + lastOffsetDelta,
    compression: attributes & 0x07,
    isTransactional: (attributes & ATTR_TRANSACTIONAL) !== 0,
    isControl: (attributes & ATTR_CONTROL) !== 0,
  };
}

/**
 * Returns why the batch at `pos` is structurally invalid, or undefined when it is sound: enough
 * bytes for its length, magic 2, CRC-32C over attributes..end. With `strictCounts` (producer
 * input, not compacted batches) the records count must be >= 1 and equal `lastOffsetDelta + 1`.
 */
export function batchProblem(
  buf: Buffer,
  pos: number,
  end: number,
  strictCounts: boolean,
): string | undefined {
  const avail = end - pos;
  if (avail < BATCH.HEADER_SIZE) return `truncated header (${avail} bytes)`;
  const length = buf.readInt32BE(pos + BATCH.LENGTH);
  const size = length + BATCH.LOG_OVERHEAD;
  if (size < BATCH.HEADER_SIZE) return `batch length ${length} too small`;
  if (size > avail) return `batch length ${length} exceeds the ${avail} available bytes`;
  const magic = buf.readInt8(pos + BATCH.MAGIC);
  if (magic !== 2) return `unsupported magic ${magic}`;
  const stored = buf.readUInt32BE(pos + BATCH.CRC);
  const actual = crc32c(buf.subarray(pos + BATCH.ATTRIBUTES, pos + size));
  if (stored !== actual) return `CRC-32C mismatch (stored ${stored}, computed ${actual})`;
  const count = buf.readInt32BE(pos + BATCH.RECORDS_COUNT);
  const lastOffsetDelta = buf.readInt32BE(pos + BATCH.LAST_OFFSET_DELTA);
  if (count < 0 || lastOffsetDelta < 0)
    return `negative records count ${count} or lastOffsetDelta ${lastOffsetDelta}`;
  if (strictCounts) {
    if (count < 1) return "empty record batch";
    if (lastOffsetDelta !== count - 1)
      return `lastOffsetDelta ${lastOffsetDelta} does not match ${count} records`;
  }
  return undefined;
}

/** Throws CORRUPT_MESSAGE unless the batch at `pos` is sound (see {@link batchProblem}). */
export function validateBatch(buf: Buffer, pos = 0, strictCounts = true): BatchHeader {
  const problem = batchProblem(buf, pos, buf.length, strictCounts);
  if (problem !== undefined)
    throw new LogError("CORRUPT_MESSAGE", `invalid record batch at byte ${pos}: ${problem}`);
  return parseBatchHeader(buf, pos);
}

/** Recomputes and stores the CRC of the batch at `pos` (after changing attributes or timestamps). */
export function updateBatchCrc(buf: Buffer, pos = 0): void {
  const size = buf.readInt32BE(pos + BATCH.LENGTH) + BATCH.LOG_OVERHEAD;
  buf.writeUInt32BE(crc32c(buf.subarray(pos + BATCH.ATTRIBUTES, pos + size)), pos + BATCH.CRC);
}
