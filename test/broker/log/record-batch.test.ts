import { readdirSync, readFileSync } from "node:fs";
import * as path from "node:path";
import * as lz4 from "lz4js";
import * as snappy from "snappyjs";
import { describe, expect, it } from "vitest";
import {
  BATCH,
  buildRecordBatch,
  Compression,
  decodeRecords,
  LogError,
  parseBatchHeader,
  validateBatch,
} from "../../../lib/broker/log";
import { batchProblem, updateBatchCrc } from "../../../lib/broker/log/record-batch";

const goldenDir = path.join(__dirname, "golden");
const golden = readdirSync(goldenDir)
  .filter((f) => f.endsWith(".bin"))
  .map((f) => [f, readFileSync(path.join(goldenDir, f))] as const);

/** Rewraps records bytes as a batch with the given codec (to test decompression paths). */
function withCodec(plain: Buffer, codec: number, compress: (b: Buffer) => Buffer): Buffer {
  const body = compress(plain.subarray(BATCH.HEADER_SIZE));
  const out = Buffer.concat([plain.subarray(0, BATCH.HEADER_SIZE), body]);
  out.writeInt32BE(out.length - BATCH.LOG_OVERHEAD, BATCH.LENGTH);
  out.writeInt16BE(codec, BATCH.ATTRIBUTES);
  updateBatchCrc(out);
  return out;
}

describe("golden batches from kafkajs", () => {
  it("has the four captured batches", () => {
    expect(golden.map(([f]) => f).sort()).toEqual([
      "kafkajs-gzip.bin",
      "kafkajs-headers.bin",
      "kafkajs-idempotent.bin",
      "kafkajs-uncompressed.bin",
    ]);
  });

  for (const [name, buf] of golden) {
    it(`${name} validates and decodes`, () => {
      const h = validateBatch(buf);
      expect(h.magic).toBe(2);
      expect(h.sizeInBytes).toBe(buf.length);
      const { records } = decodeRecords(buf);
      expect(records).toHaveLength(h.recordsCount);
      expect(h.lastOffsetDelta).toBe(h.recordsCount - 1);
      records.forEach((r, i) => {
        expect(r.key?.toString()).toBe(`key-${i}`);
        expect(r.value?.toString()).toBe(`value-${i}-${"x".repeat(i * 7)}`);
        expect(r.offsetDelta).toBe(i);
      });
    });

    it(`${name}: every single flipped byte after the epoch is detected`, () => {
      for (let i = BATCH.MAGIC; i < buf.length; i++) {
        const bad = Buffer.from(buf);
        bad[i] = (bad[i] as number) ^ 0x01;
        expect(batchProblem(bad, 0, bad.length, true), `byte ${i}`).toBeDefined();
      }
    });
  }

  it("gzip batch reports its codec", () => {
    const gz = golden.find(([f]) => f === "kafkajs-gzip.bin")?.[1];
    expect(gz && parseBatchHeader(gz).compression).toBe(Compression.GZIP);
  });

  it("headers survive decoding", () => {
    const hb = golden.find(([f]) => f === "kafkajs-headers.bin")?.[1];
    if (!hb) throw new Error("missing fixture");
    const { records } = decodeRecords(hb);
    expect(records[1]?.headers.map((h) => [h.key, h.value?.toString()])).toEqual([
      ["trace", "t-1"],
      ["content-type", "text/plain"],
    ]);
  });

  it("idempotent producer fields are read", () => {
    const ib = golden.find(([f]) => f === "kafkajs-idempotent.bin")?.[1];
    if (!ib) throw new Error("missing fixture");
    const h = parseBatchHeader(ib);
    expect([h.producerId, h.producerEpoch, h.baseSequence, h.recordsCount]).toEqual([
      4242, 3, 17, 4,
    ]);
  });

  it("baseOffset and partitionLeaderEpoch are outside the CRC", () => {
    const b = Buffer.from(golden[0]?.[1] ?? Buffer.alloc(0));
    b.writeBigInt64BE(123456n, 0);
    b.writeInt32BE(77, BATCH.PARTITION_LEADER_EPOCH);
    expect(batchProblem(b, 0, b.length, true)).toBeUndefined();
  });
});

describe("validateBatch", () => {
  it("rejects a truncated batch with CORRUPT_MESSAGE", () => {
    const b = buildRecordBatch({ records: [{ value: "x" }] });
    expect(() => validateBatch(b.subarray(0, b.length - 1))).toThrow(LogError);
    try {
      validateBatch(b.subarray(0, 20));
    } catch (e) {
      expect((e as LogError).errorCode).toBe(2);
    }
  });

  it("rejects magic 1", () => {
    const b = buildRecordBatch({ records: [{ value: "x" }] });
    b.writeInt8(1, BATCH.MAGIC);
    expect(batchProblem(b, 0, b.length, true)).toMatch(/magic/);
  });

  it("rejects a lastOffsetDelta that does not match the count (strict) but not for compacted batches", () => {
    const b = buildRecordBatch({ records: [{ value: "x" }, { value: "y" }], lastOffsetDelta: 5 });
    expect(batchProblem(b, 0, b.length, true)).toMatch(/lastOffsetDelta/);
    expect(batchProblem(b, 0, b.length, false)).toBeUndefined();
  });
});

describe("buildRecordBatch / decodeRecords", () => {
  it("round-trips keys, null values, headers and timestamps", () => {
    const b = buildRecordBatch({
      baseOffset: 10,
      timestamp: 1000,
      records: [
        { key: "a", value: "1", timestamp: 1000 },
        { key: null, value: null, timestamp: 5000, headers: [{ key: "h", value: null }] },
      ],
    });
    const h = validateBatch(b);
    expect([h.baseOffset, h.baseTimestamp, h.maxTimestamp, h.lastOffset]).toEqual([
      10, 1000, 5000, 11,
    ]);
    const { records } = decodeRecords(b);
    expect(records[0]?.key?.toString()).toBe("a");
    expect(records[1]?.key).toBeNull();
    expect(records[1]?.value).toBeNull();
    expect(records[1]?.timestampDelta).toBe(4000);
    expect(records[1]?.headers).toEqual([{ key: "h", value: null }]);
  });

  it("decodes snappy (raw and xerial-framed) and lz4 frame records", () => {
    const plain = buildRecordBatch({
      records: [
        { key: "k", value: "v".repeat(100) },
        { key: "k2", value: "w" },
      ],
    });
    const raw = withCodec(plain, Compression.SNAPPY, (b) => Buffer.from(snappy.compress(b)));
    const block = Buffer.from(snappy.compress(plain.subarray(BATCH.HEADER_SIZE)));
    const xerialHead = Buffer.from([
      0x82, 0x53, 0x4e, 0x41, 0x50, 0x50, 0x59, 0x00, 0, 0, 0, 1, 0, 0, 0, 1,
    ]);
    const len = Buffer.alloc(4);
    len.writeInt32BE(block.length);
    const xerial = withCodec(plain, Compression.SNAPPY, () =>
      Buffer.concat([xerialHead, len, block]),
    );
    const l4 = withCodec(plain, Compression.LZ4, (b) => Buffer.from(lz4.compress(b)));
    for (const b of [raw, xerial, l4]) {
      const { records } = decodeRecords(b);
      expect(records.map((r) => r.key?.toString())).toEqual(["k", "k2"]);
    }
  });

  it("reports undecodable compressed data as CORRUPT_MESSAGE", () => {
    const plain = buildRecordBatch({ records: [{ key: "k", value: "v" }] });
    const bad = withCodec(plain, Compression.GZIP, () => Buffer.from("not gzip"));
    expect(() => decodeRecords(bad)).toThrow(/CORRUPT_MESSAGE/);
  });
});
