import { Kafka, logLevel } from "kafkajs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildRecordBatch } from "../../../lib/broker/log";
import {
  ApiKey,
  decodeResponseFrame,
  ErrorCode,
  encodeRequest,
  SUPPORTED_APIS,
} from "../../../lib/broker/protocol";
import { RawClient } from "./raw-client";
import { startTestBroker, type TestBroker } from "./test-broker";

let tb: TestBroker;

beforeAll(async () => {
  tb = await startTestBroker({ maxRequestBytes: 1024 * 1024 });
  await tb.broker.services.topics.create("wire", 1, {});
});

afterAll(async () => {
  await tb?.destroy();
});

function produceRequest(version: number, correlationId: number, acks: number, value: string) {
  return encodeRequest(ApiKey.Produce, version, correlationId, "wire-test", {
    transactionalId: null,
    acks,
    timeoutMs: 5000,
    topicData: [
      {
        name: "wire",
        partitionData: [{ index: 0, records: buildRecordBatch({ records: [{ value }] }) }],
      },
    ],
  });
}

describe("framing and dispatch", () => {
  it("answers pipelined requests in order", async () => {
    const c = await RawClient.connect(tb.port);
    try {
      // A long-polling Fetch first, then quick requests: their answers must wait for it.
      const fetch = encodeRequest(ApiKey.Fetch, 11, 1, "t", {
        maxWaitMs: 300,
        minBytes: 1_000_000,
        maxBytes: 1_000_000,
        topics: [
          {
            topic: "wire",
            partitions: [{ partition: 0, fetchOffset: 0n, partitionMaxBytes: 1_000_000 }],
          },
        ],
      });
      const apiVersions = (id: number) =>
        encodeRequest(ApiKey.ApiVersions, 3, id, "t", {
          clientSoftwareName: "t",
          clientSoftwareVersion: "1",
        });
      c.send(Buffer.concat([fetch, apiVersions(2), produceRequest(7, 3, 1, "x"), apiVersions(4)]));
      const ids: number[] = [];
      for (const key of [ApiKey.Fetch, ApiKey.ApiVersions, ApiKey.Produce, ApiKey.ApiVersions]) {
        const version = key === ApiKey.Fetch ? 11 : key === ApiKey.Produce ? 7 : 3;
        ids.push(decodeResponseFrame(key, version, await c.nextFrame()).correlationId);
      }
      expect(ids).toEqual([1, 2, 3, 4]);
    } finally {
      c.close();
    }
  });

  it("answers a too-new ApiVersions with a v0 UNSUPPORTED_VERSION response and the API list", async () => {
    const c = await RawClient.connect(tb.port);
    try {
      // Header v2 with an empty client id and no tagged fields; body of a future version.
      const frame = Buffer.alloc(4 + 2 + 2 + 4 + 2 + 1 + 3);
      let o = frame.writeInt32BE(frame.length - 4, 0);
      o = frame.writeInt16BE(ApiKey.ApiVersions, o);
      o = frame.writeInt16BE(99, o);
      o = frame.writeInt32BE(77, o);
      o = frame.writeInt16BE(-1, o);
      frame.writeUInt8(0, o);
      c.send(frame);
      const res = decodeResponseFrame(ApiKey.ApiVersions, 0, await c.nextFrame());
      expect(res.correlationId).toBe(77);
      expect(res.body.errorCode).toBe(ErrorCode.UNSUPPORTED_VERSION);
      const produce = res.body.apiKeys.find((k) => k.apiKey === ApiKey.Produce);
      expect(produce?.minVersion).toBe(0);
      expect(produce?.maxVersion).toBe(SUPPORTED_APIS[ApiKey.Produce].max);
    } finally {
      c.close();
    }
  });

  it("rejects Produce v0-2 per partition with UNSUPPORTED_VERSION", async () => {
    const c = await RawClient.connect(tb.port);
    try {
      c.send(produceRequest(2, 5, 1, "old"));
      const res = decodeResponseFrame(ApiKey.Produce, 2, await c.nextFrame());
      expect(res.body.responses[0]?.partitionResponses[0]?.errorCode).toBe(
        ErrorCode.UNSUPPORTED_VERSION,
      );
    } finally {
      c.close();
    }
  });

  it("sends no response to acks=0 but stores the records", async () => {
    const c = await RawClient.connect(tb.port);
    const log = tb.broker.services.logs.get("wire", 0);
    const before = log?.highWatermark ?? -1;
    try {
      c.send(produceRequest(9, 10, 0, "fire-and-forget"));
      c.send(produceRequest(9, 11, 1, "acked"));
      const res = decodeResponseFrame(ApiKey.Produce, 9, await c.nextFrame());
      expect(res.correlationId).toBe(11);
      expect(log?.highWatermark).toBe(before + 2);
    } finally {
      c.close();
    }
  });

  it("closes the connection when an acks=0 produce fails, as Kafka does", async () => {
    const c = await RawClient.connect(tb.port);
    c.send(
      encodeRequest(ApiKey.Produce, 9, 1, "t", {
        transactionalId: null,
        acks: 0,
        timeoutMs: 1000,
        topicData: [
          {
            name: "wire",
            partitionData: [{ index: 9, records: buildRecordBatch({ records: [{ value: "v" }] }) }],
          },
        ],
      }),
    );
    expect(await c.waitClosed()).toBe(true);
  });

  it("answers unknown topics and partitions with UNKNOWN_TOPIC_OR_PARTITION", async () => {
    const c = await RawClient.connect(tb.port);
    try {
      c.send(
        encodeRequest(ApiKey.Produce, 9, 1, "t", {
          transactionalId: null,
          acks: 1,
          timeoutMs: 1000,
          topicData: [
            {
              name: "wire",
              partitionData: [
                { index: 7, records: buildRecordBatch({ records: [{ value: "v" }] }) },
              ],
            },
          ],
        }),
      );
      const res = decodeResponseFrame(ApiKey.Produce, 9, await c.nextFrame());
      expect(res.body.responses[0]?.partitionResponses[0]?.errorCode).toBe(
        ErrorCode.UNKNOWN_TOPIC_OR_PARTITION,
      );
    } finally {
      c.close();
    }
  });

  it("closes a connection that sends an unsupported API key", async () => {
    const c = await RawClient.connect(tb.port);
    const frame = Buffer.alloc(4 + 10);
    frame.writeInt32BE(10, 0);
    frame.writeInt16BE(999, 4);
    frame.writeInt16BE(0, 6);
    frame.writeInt32BE(1, 8);
    frame.writeInt16BE(-1, 12);
    c.send(frame);
    expect(await c.waitClosed()).toBe(true);
  });
});

describe("hostile input", () => {
  it("closes only the offending connections while another client keeps producing", async () => {
    const kafka = new Kafka({ brokers: [tb.bootstrap], logLevel: logLevel.NOTHING });
    const producer = kafka.producer();
    await producer.connect();
    let produced = 0;
    let stop = false;
    const loop = (async () => {
      while (!stop) {
        await producer.send({ topic: "wire", acks: -1, messages: [{ value: `ok-${produced}` }] });
        produced++;
      }
    })();
    const attacks: Buffer[] = [
      // Random bytes (whatever size prefix they imply is either refused or a bogus request).
      Buffer.from(Array.from({ length: 64 }, (_, i) => (i * 97 + 13) % 256)),
      // A valid size prefix whose frame is shorter than a request header.
      Buffer.from([0, 0, 0, 3, 1, 2, 3]),
      // A Produce frame cut short inside its body (the size prefix promises more than is sent, then
      // a second frame claims the rest as a bogus header).
      (() => {
        const full = produceRequest(9, 1, 1, "truncated");
        const cut = Buffer.from(full.subarray(0, 30));
        cut.writeInt32BE(26, 0);
        return cut;
      })(),
      // An oversized length prefix (above max request bytes).
      Buffer.from([0x7f, 0xff, 0xff, 0xff, 0, 0]),
      // A negative length prefix.
      Buffer.from([0xff, 0xff, 0xff, 0xfe]),
    ];
    for (const bytes of attacks) {
      const c = await RawClient.connect(tb.port);
      c.send(bytes);
      expect(await c.waitClosed()).toBe(true);
    }
    // A frame that stops half-way and a client that hangs up mid-request.
    const half = await RawClient.connect(tb.port);
    half.send(produceRequest(9, 1, 1, "half").subarray(0, 20));
    half.close();
    const afterAttacks = produced;
    await new Promise<void>((resolve) => {
      const check = () => (produced >= afterAttacks + 5 ? resolve() : setTimeout(check, 10));
      check();
    });
    stop = true;
    await loop;
    await producer.disconnect();
    expect(produced).toBeGreaterThanOrEqual(afterAttacks + 5);
    expect(tb.broker.isReady()).toBe(true);
    expect(tb.logLines.some((l) => l.includes("closing connection"))).toBe(true);
  });
});
