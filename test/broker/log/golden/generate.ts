/**
 * Regenerates the golden record batches with kafkajs's own record-batch encoder (a real
 * client's bytes, not ours): `npx tsx test/broker/log/golden/generate.ts`. gzip output depends
 * on zlib's version, so the committed .bin files, not this script's output, are the fixtures.
 */
import { writeFileSync } from "node:fs";
import * as path from "node:path";

interface KjsRecord {
  key?: Buffer | null;
  value: Buffer | null;
  offsetDelta?: number;
  timestampDelta?: number;
  headers?: Record<string, Buffer | string>;
}
interface KjsEncoder {
  buffer: Buffer;
}
type RecordBatchFn = (opts: {
  compression?: number;
  firstOffset?: unknown;
  firstTimestamp?: number;
  maxTimestamp?: number;
  lastOffsetDelta?: number;
  producerId?: unknown;
  producerEpoch?: number;
  firstSequence?: number;
  records: unknown[];
}) => Promise<KjsEncoder>;

const { RecordBatch } = require("kafkajs/src/protocol/recordBatch/v0") as {
  RecordBatch: RecordBatchFn;
};
const Record = require("kafkajs/src/protocol/recordBatch/record/v0") as (r: KjsRecord) => unknown;
const Long = require("kafkajs/src/utils/long") as { fromValue(v: number | string): unknown };

const T0 = 1_700_000_000_000;

function records(n: number, withHeaders: boolean): unknown[] {
  return Array.from({ length: n }, (_, i) =>
    Record({
      key: Buffer.from(`key-${i}`),
      value: Buffer.from(`value-${i}-${"x".repeat(i * 7)}`),
      offsetDelta: i,
      timestampDelta: i * 3,
      headers: withHeaders ? { trace: `t-${i}`, "content-type": "text/plain" } : {},
    }),
  );
}

async function main(): Promise<void> {
  const out = path.join(__dirname);
  const cases: Array<[string, Parameters<RecordBatchFn>[0]]> = [
    [
      "kafkajs-uncompressed",
      { records: records(3, false), firstTimestamp: T0, maxTimestamp: T0 + 6, lastOffsetDelta: 2 },
    ],
    [
      "kafkajs-gzip",
      {
        compression: 1,
        records: records(5, false),
        firstTimestamp: T0,
        maxTimestamp: T0 + 12,
        lastOffsetDelta: 4,
      },
    ],
    [
      "kafkajs-headers",
      { records: records(2, true), firstTimestamp: T0, maxTimestamp: T0 + 3, lastOffsetDelta: 1 },
    ],
    [
      "kafkajs-idempotent",
      {
        records: records(4, false),
        firstTimestamp: T0,
        maxTimestamp: T0 + 9,
        lastOffsetDelta: 3,
        producerId: Long.fromValue(4242),
        producerEpoch: 3,
        firstSequence: 17,
      },
    ],
  ];
  for (const [name, opts] of cases) {
    const enc = await RecordBatch({ firstOffset: Long.fromValue(0), ...opts });
    writeFileSync(path.join(out, `${name}.bin`), enc.buffer);
    console.log(`${name}.bin: ${enc.buffer.length} bytes`);
  }
}

void main();
