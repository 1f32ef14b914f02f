import { afterEach, describe, expect, it } from "vitest";
import { buildRecordBatch } from "../../../../lib/broker/log";
import {
  ApiKey,
  decodeResponseFrame,
  ErrorCode,
  encodeRequest,
  type ResponseOf,
} from "../../../../lib/broker/protocol";
import { RawClient } from "../raw-client";
import { startTestBroker, type TestBroker } from "../test-broker";

// Fetch over several partitions: the reads run concurrently, and the response budget must still be
// applied in request order exactly as reading one partition after another would.

let tb: TestBroker | undefined;
let client: RawClient | undefined;
const others: RawClient[] = [];
afterEach(async () => {
  client?.close();
  for (const c of others.splice(0)) c.close();
  await tb?.destroy();
  tb = undefined;
  client = undefined;
});

const PARTITIONS = 4;
const BATCHES = 5;
const VALUE_BYTES = 100_000;

async function filledBroker(): Promise<RawClient> {
  tb = await startTestBroker();
  await tb.broker.services.topics.create("multi", PARTITIONS, {});
  client = await RawClient.connect(tb.port);
  let id = 1;
  for (let p = 0; p < PARTITIONS; p++) {
    for (let i = 0; i < BATCHES; i++) {
      client.send(
        encodeRequest(ApiKey.Produce, 7, id++, "t", {
          transactionalId: null,
          acks: 1,
          timeoutMs: 5000,
          topicData: [
            {
              name: "multi",
              partitionData: [
                {
                  index: p,
                  records: buildRecordBatch({ records: [{ value: Buffer.alloc(VALUE_BYTES, i) }] }),
                },
              ],
            },
          ],
        }),
      );
      const res = decodeResponseFrame(ApiKey.Produce, 7, await client.nextFrame()).body;
      expect(res.responses[0]?.partitionResponses[0]?.errorCode).toBe(ErrorCode.NONE);
    }
  }
  return client;
}

function fetchRequest(
  maxBytes: number,
  partitionMaxBytes: number,
  partitions: readonly number[],
): Buffer {
  return encodeRequest(ApiKey.Fetch, 11, 99, "t", {
    maxWaitMs: 0,
    minBytes: 0,
    maxBytes,
    topics: [
      {
        topic: "multi",
        partitions: partitions.map((partition) => ({
          partition,
          fetchOffset: 0n,
          partitionMaxBytes,
        })),
      },
    ],
  });
}

async function fetch(
  c: RawClient,
  maxBytes: number,
  partitionMaxBytes: number,
  partitions: readonly number[],
): Promise<ResponseOf<ApiKey.Fetch>> {
  c.send(fetchRequest(maxBytes, partitionMaxBytes, partitions));
  return decodeResponseFrame(ApiKey.Fetch, 11, await c.nextFrame()).body;
}

/** Per partition: error code, record bytes and high watermark. */
function summary(res: ResponseOf<ApiKey.Fetch>) {
  return (res.responses[0]?.partitions ?? []).map((p) => ({
    partition: p.partitionIndex,
    error: p.errorCode,
    bytes: p.records?.length ?? 0,
    hw: Number(p.highWatermark),
  }));
}

describe("Fetch over several partitions", () => {
  it("returns every partition's records when the budget allows", async () => {
    const c = await filledBroker();
    const one = summary(await fetch(c, 1, 1, [0]))[0]?.bytes ?? 0;
    expect(one).toBeGreaterThan(VALUE_BYTES);
    const res = summary(await fetch(c, 50 * 1024 * 1024, 1024 * 1024, [0, 1, 2, 3]));
    expect(res).toEqual(
      [0, 1, 2, 3].map((partition) => ({
        partition,
        error: ErrorCode.NONE,
        bytes: BATCHES * one,
        hw: BATCHES,
      })),
    );
  });

  it("applies the response budget in request order, whole batches, at least one where any is read", async () => {
    const c = await filledBroker();
    const one = summary(await fetch(c, 1, 1, [0]))[0]?.bytes ?? 0;
    // Budget 3.5 batches, 2.5 batches per partition. Read one after another: partition 3 gets 2
    // batches (2.5 allowed), 0 gets 1 (1.5 left), 2 gets its first batch although only 0.5 is left
    // (at least one), 1 nothing (the budget is used up) but its offsets; 7 does not exist.
    const res = summary(
      await fetch(c, Math.floor(3.5 * one), Math.floor(2.5 * one), [3, 0, 2, 1, 7]),
    );
    expect(res).toEqual([
      { partition: 3, error: ErrorCode.NONE, bytes: 2 * one, hw: BATCHES },
      { partition: 0, error: ErrorCode.NONE, bytes: one, hw: BATCHES },
      { partition: 2, error: ErrorCode.NONE, bytes: one, hw: BATCHES },
      { partition: 1, error: ErrorCode.NONE, bytes: 0, hw: BATCHES },
      { partition: 7, error: ErrorCode.UNKNOWN_TOPIC_OR_PARTITION, bytes: 0, hw: -1 },
    ]);
  });

  it("drops what a concurrent read got once an earlier partition's oversized batch used up the budget", async () => {
    const c = await filledBroker();
    const one = summary(await fetch(c, 1, 1, [0]))[0]?.bytes ?? 0;
    // Half a batch per partition, 1.2 batches in all: 3 and 0 each get one whole batch (at least
    // one), which uses up the budget, so 2 — read concurrently with them — must come back empty.
    const res = summary(await fetch(c, Math.floor(1.2 * one), Math.floor(0.5 * one), [3, 0, 2, 1]));
    expect(res.map((p) => p.bytes)).toEqual([one, one, 0, 0]);
    expect(res.every((p) => p.error === ErrorCode.NONE && p.hw === BATCHES)).toBe(true);
  });

  it("keeps a response's pooled buffers until the socket took it, while other fetches reuse the pool", async () => {
    const c = await filledBroker();
    const all = [0, 1, 2, 3];
    const big = 64 * 1024 * 1024;
    const expected = (await fetch(c, big, 1024 * 1024, all)).responses[0]?.partitions.map((p) =>
      Buffer.from(p.records ?? Buffer.alloc(0)),
    );
    expect(expected?.every((r) => r.length > 4 * VALUE_BYTES)).toBe(true);
    const pool = (tb as TestBroker).broker.services.readBuffers;
    const reusedBefore = pool.reuseCount;
    // A slow consumer: it stops reading while ten 2 MB responses are due, so some wait in the
    // broker's socket buffers, holding pooled memory, while two other connections fetch the same
    // partitions over and over (taking whatever the pool has).
    const slow = await RawClient.connect((tb as TestBroker).port);
    others.push(slow);
    slow.socket.pause();
    for (let i = 0; i < 10; i++) slow.send(fetchRequest(big, 1024 * 1024, all));
    const busy = await Promise.all(
      [0, 1].map(async () => {
        const b = await RawClient.connect((tb as TestBroker).port);
        others.push(b);
        for (let i = 0; i < 15; i++) {
          const res = await fetch(b, big, 1024 * 1024, [3, 2, 1, 0]);
          const parts = res.responses[0]?.partitions ?? [];
          for (const p of parts) {
            if (
              !(p.records ?? Buffer.alloc(0)).equals(
                expected?.[p.partitionIndex] ?? Buffer.alloc(0),
              )
            )
              return false;
          }
        }
        return true;
      }),
    );
    expect(busy).toEqual([true, true]);
    slow.socket.resume();
    for (let i = 0; i < 10; i++) {
      const res = decodeResponseFrame(ApiKey.Fetch, 11, await slow.nextFrame()).body;
      const parts = res.responses[0]?.partitions ?? [];
      expect(
        parts.map((p) =>
          (p.records ?? Buffer.alloc(0)).equals(expected?.[p.partitionIndex] ?? Buffer.alloc(0)),
        ),
      ).toEqual([true, true, true, true]);
    }
    // The pool was really reused meanwhile (or this would prove nothing).
    expect(pool.reuseCount - reusedBefore).toBeGreaterThan(20);
  });
});
