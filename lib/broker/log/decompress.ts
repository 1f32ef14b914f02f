import * as zlib from "node:zlib";
import { decompress as zstdDecompress } from "fzstd";
import * as lz4 from "lz4js";
import * as snappy from "snappyjs";
import { LogError } from "./log-error";
import { Compression } from "./record-batch";

/** Magic of the xerial snappy framing used by the Java client (`SnappyOutputStream`). */
const XERIAL_MAGIC = Buffer.from([0x82, 0x53, 0x4e, 0x41, 0x50, 0x50, 0x59, 0x00]);

function unsnappy(data: Buffer): Buffer {
  if (data.length >= 16 && data.subarray(0, 8).equals(XERIAL_MAGIC)) {
    // xerial framing: 8-byte magic, int32 version, int32 compatible version, then
    // blocks of (int32 compressed length, raw snappy block).
    const parts: Buffer[] = [];
    let pos = 16;
    while (pos < data.length) {
      if (pos + 4 > data.length) throw new Error("xerial snappy block length truncated");
      const len = data.readInt32BE(pos);
      pos += 4;
      if (len < 0 || pos + len > data.length) throw new Error("xerial snappy block truncated");
      parts.push(Buffer.from(snappy.uncompress(data.subarray(pos, pos + len))));
      pos += len;
    }
    return Buffer.concat(parts);
  }
  return Buffer.from(snappy.uncompress(data));
}

/**
 * Decompresses the records section of a batch. Only needed off the hot path: for compaction and
 * for checking keys on compacted topics. Throws CORRUPT_MESSAGE on undecodable input.
 */
export function decompressRecords(
  codec: number,
  data: Buffer,
  maxBytes = 256 * 1024 * 1024,
): Buffer {
  try {
    switch (codec) {
      case Compression.NONE:
        return data;
      case Compression.GZIP:
        return zlib.gunzipSync(data, { maxOutputLength: maxBytes });
      case Compression.SNAPPY:
        return unsnappy(data);
      case Compression.LZ4:
        return Buffer.from(lz4.decompress(data, maxBytes));
      case Compression.ZSTD:
        return Buffer.from(zstdDecompress(data));
      default:
        throw new LogError("UNSUPPORTED_COMPRESSION_TYPE", `unknown compression codec ${codec}`);
    }
  } catch (err) {
    if (err instanceof LogError) throw err;
    throw new LogError(
      "CORRUPT_MESSAGE",
      `cannot decompress records (codec ${codec}): ${String(err)}`,
      { cause: err },
    );
  }
}
