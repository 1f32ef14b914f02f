import { decompressRecords } from "./decompress";
import { LogError } from "./log-error";
import type { TimestampOffset } from "./log-types";
import { ATTR_LOG_APPEND_TIME, BATCH, type BatchHeader, parseBatchHeader } from "./record-batch";
import { type Cursor, readVarint } from "./varint";

/** One record header. */
export interface RecordHeader {
  readonly key: string;
  readonly value: Buffer | null;
}

/** One decoded record of a batch (deltas relative to the batch's base offset/timestamp). */
export interface DecodedRecord {
  readonly offsetDelta: number;
  readonly timestampDelta: number;
  readonly key: Buffer | null;
  readonly value: Buffer | null;
  readonly headers: RecordHeader[];
}

function readBytes(c: Cursor): Buffer | null {
  const len = readVarint(c);
  if (len < 0) return null;
  if (c.pos + len > c.buf.length) throw new RangeError("record field truncated");
  const out = c.buf.subarray(c.pos, c.pos + len);
  c.pos += len;
  return out;
}

/**
 * Decodes every record of the batch starting at `pos` of `buf` (decompressing when needed).
 * Throws CORRUPT_MESSAGE when the records do not parse or their count differs from the header.
 */
export function decodeRecords(
  buf: Buffer,
  pos = 0,
): { header: BatchHeader; records: DecodedRecord[] } {
  const header = parseBatchHeader(buf, pos);
  const body = buf.subarray(pos + BATCH.HEADER_SIZE, pos + header.sizeInBytes);
  const data = decompressRecords(header.compression, body);
  const c: Cursor = { buf: data, pos: 0 };
  const records: DecodedRecord[] = [];
  try {
    for (let i = 0; i < header.recordsCount; i++) {
      const len = readVarint(c);
      const end = c.pos + len;
      if (len < 0 || end > data.length)
        throw new RangeError(`record ${i} length ${len} out of bounds`);
      c.pos += 1; // attributes (unused)
      const timestampDelta = readVarint(c);
      const offsetDelta = readVarint(c);
      const key = readBytes(c);
      const value = readBytes(c);
      const nHeaders = readVarint(c);
      if (nHeaders < 0) throw new RangeError("negative header count");
      const headers: RecordHeader[] = [];
      for (let h = 0; h < nHeaders; h++) {
        const k = readBytes(c);
        if (k === null) throw new RangeError("null header key");
        headers.push({ key: k.toString("utf8"), value: readBytes(c) });
      }
      if (c.pos !== end) throw new RangeError(`record ${i} length mismatch`);
      records.push({ offsetDelta, timestampDelta, key, value, headers });
    }
    if (c.pos !== data.length) throw new RangeError("trailing bytes after the last record");
  } catch (err) {
    if (err instanceof LogError) throw err;
    throw new LogError("CORRUPT_MESSAGE", `cannot decode records: ${String(err)}`, { cause: err });
  }
  return { header, records };
}

/**
 * The first record of the batch at `pos` of `buf` whose timestamp is at least `ts` and whose offset
 * is at least `minOffset`, with its absolute offset and timestamp, as Kafka's ListOffsets answers
 * (a record, not its batch). In a LogAppendTime batch every record carries the batch's max
 * timestamp. Undefined when none is.
 */
export function firstRecordAtOrAfter(
  buf: Buffer,
  pos: number,
  ts: number,
  minOffset = 0,
): TimestampOffset | undefined {
  const { header, records } = decodeRecords(buf, pos);
  const appendTime = (header.attributes & ATTR_LOG_APPEND_TIME) !== 0;
  for (const r of records) {
    const timestamp = appendTime ? header.maxTimestamp : header.baseTimestamp + r.timestampDelta;
    const offset = header.baseOffset + r.offsetDelta;
    if (timestamp >= ts && offset >= minOffset) return { offset, timestamp };
  }
  return undefined;
}
