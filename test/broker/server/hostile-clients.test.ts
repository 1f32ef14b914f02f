import { afterEach, describe, expect, it } from "vitest";
import { buildRecordBatch } from "../../../lib/broker/log";
import {
  ApiKey,
  decodeResponseFrame,
  ErrorCode,
  encodeRequest,
  type ResponseOf,
} from "../../../lib/broker/protocol";
import type { ApiHandler } from "../../../lib/broker/server/handler";
import { HANDLERS } from "../../../lib/broker/server/handlers";
import { SaslWireClient } from "../tenancy/sasl-wire-client";
import { startTenancyBroker, type TenancyBroker } from "../tenancy/tenancy-broker";
import { RawClient } from "./raw-client";
import { startTestBroker, type TestBroker } from "./test-broker";

const MiB = 1024 * 1024;
const started: { destroy(): Promise<void> }[] = [];
const clients: RawClient[] = [];

afterEach(async () => {
  for (const c of clients.splice(0)) c.close();
  for (const b of started.splice(0)) await b.destroy();
});

async function broker(...args: Parameters<typeof startTestBroker>): Promise<TestBroker> {
  const tb = await startTestBroker(...args);
  started.push(tb);
  return tb;
}

async function connect(port: number): Promise<RawClient> {
  const c = await RawClient.connect(port);
  clients.push(c);
  return c;
}

/** One value of the broker's `/metrics` text. */
function metric(
  b: { broker: { services: { metrics: { render(n: (k: number) => string): string } } } },
  name: string,
): number {
  const line = b.broker.services.metrics
    .render(String)
    .split("\n")
    .find((l) => l.startsWith(`${name} `));
  if (line === undefined) throw new Error(`metric ${name} not rendered`);
  return Number(line.slice(name.length + 1));
}

async function until(check: () => boolean, what: string, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

/** A size prefix and the first `sent` bytes of a frame of `size` bytes that never completes. */
function partialFrame(size: number, sent: number): Buffer {
  const b = Buffer.alloc(4 + sent, 0x41);
  b.writeInt32BE(size, 0);
  return b;
}

/** ApiVersions v3 padded with trailing bytes (ignored by the decoder) to a frame of `size` bytes. */
function paddedApiVersions(correlationId: number, size: number): Buffer {
  const req = encodeRequest(ApiKey.ApiVersions, 3, correlationId, "t", {
    clientSoftwareName: "t",
    clientSoftwareVersion: "1",
  });
  const out = Buffer.alloc(4 + size);
  req.copy(out);
  out.writeInt32BE(size, 0);
  return out;
}

function produce(topic: string, correlationId: number, value: Buffer): Buffer {
  return encodeRequest(ApiKey.Produce, 7, correlationId, "t", {
    transactionalId: null,
    acks: 1,
    timeoutMs: 5000,
    topicData: [
      {
        name: topic,
        partitionData: [{ index: 0, records: buildRecordBatch({ records: [{ value }] }) }],
      },
    ],
  });
}

function fetch(topic: string, correlationId: number, maxBytes: number): Buffer {
  return encodeRequest(ApiKey.Fetch, 11, correlationId, "t", {
    maxWaitMs: 0,
    minBytes: 0,
    maxBytes,
    topics: [
      { topic, partitions: [{ partition: 0, fetchOffset: 0n, partitionMaxBytes: maxBytes }] },
    ],
  });
}

function recordBytes(res: ResponseOf<ApiKey.Fetch>): number {
  let n = 0;
  for (const t of res.responses) {
    for (const p of t.partitions) {
      expect(p.errorCode).toBe(ErrorCode.NONE);
      n += p.records?.length ?? 0;
    }
  }
  return n;
}

/** Produces `count` batches of one `valueBytes` record each and reads the answers. */
async function fill(c: RawClient, topic: string, count: number, valueBytes: number): Promise<void> {
  for (let i = 0; i < count; i++) {
    c.send(produce(topic, 1000 + i, Buffer.alloc(valueBytes, i)));
    const res = decodeResponseFrame(ApiKey.Produce, 7, await c.nextFrame()).body;
    expect(res.responses[0]?.partitionResponses[0]?.errorCode).toBe(ErrorCode.NONE);
  }
}

describe("before SASL authentication", () => {
  let tb: TenancyBroker;
  afterEach(async () => {
    await tb?.destroy();
  });

  it("closes a connection at once when a size prefix is above sasl.server.max.receive.size, buffering nothing", async () => {
    tb = await startTenancyBroker({ users: { admin: "admin-secret" } });
    const c = await connect(tb.port);
    const t0 = performance.now();
    c.send(partialFrame(100_000_000, 1 * MiB));
    expect(await c.waitClosed(2000)).toBe(true);
    const ms = performance.now() - t0;
    expect(ms).toBeLessThan(1000);
    expect(metric(tb, "sluice_connections_closed_preauth_oversize_total")).toBe(1);
    expect(metric(tb, "sluice_request_memory_held_bytes")).toBe(0);
  });

  it("reads frames up to the limit before authentication and larger ones after it", async () => {
    tb = await startTenancyBroker({ users: { admin: "admin-secret" } });
    const small = await connect(tb.port);
    small.send(paddedApiVersions(1, 512 * 1024));
    expect(decodeResponseFrame(ApiKey.ApiVersions, 3, await small.nextFrame()).correlationId).toBe(
      1,
    );
    const big = await connect(tb.port);
    big.send(paddedApiVersions(2, 512 * 1024 + 1));
    expect(await big.waitClosed(2000)).toBe(true);

    const admin = await SaslWireClient.login(tb.port, "admin", "admin-secret");
    try {
      const created = await admin.call(ApiKey.CreateTopics, 5, {
        topics: [
          { name: "big", numPartitions: 1, replicationFactor: 1, assignments: [], configs: [] },
        ],
        timeoutMs: 5000,
        validateOnly: false,
      });
      expect(created.topics[0]?.errorCode).toBe(ErrorCode.NONE);
      const res = await admin.call(ApiKey.Produce, 7, {
        transactionalId: null,
        acks: 1,
        timeoutMs: 5000,
        topicData: [
          {
            name: "big",
            partitionData: [
              {
                index: 0,
                records: buildRecordBatch({ records: [{ value: Buffer.alloc(700_000, 7) }] }),
              },
            ],
          },
        ],
      });
      expect(res.responses[0]?.partitionResponses[0]?.errorCode).toBe(ErrorCode.NONE);
    } finally {
      admin.close();
    }
    expect(metric(tb, "sluice_connections_closed_preauth_oversize_total")).toBe(1);
  });
});

describe("fetch.max.bytes", () => {
  /** Record bytes of one 2^31−1-byte Fetch from a broker with `fetchMaxBytes` and `batches` 200 kB batches. */
  async function fetchAll(fetchMaxBytes: number, batches: number): Promise<number> {
    const tb = await broker({ fetchMaxBytes });
    await tb.broker.services.topics.create("capped", 1, {});
    const c = await connect(tb.port);
    await fill(c, "capped", batches, 200_000);
    c.send(fetch("capped", 1, 2 ** 31 - 1));
    return recordBytes(decodeResponseFrame(ApiKey.Fetch, 11, await c.nextFrame()).body);
  }

  it("caps a Fetch that asks for 2^31-1 bytes", async () => {
    const bytes = await fetchAll(1 * MiB, 12);
    expect(bytes).toBeGreaterThan(800_000);
    expect(bytes).toBeLessThanOrEqual(1 * MiB);
  });

  it("still returns one whole batch when a batch is larger than the cap, so consumers progress", async () => {
    const bytes = await fetchAll(1024, 3);
    expect(bytes).toBeGreaterThan(200_000);
    expect(bytes).toBeLessThan(400_000);
  });
});

describe("pipelined requests on one connection", () => {
  it("builds pipelined Fetch responses one at a time and answers everything in order", async () => {
    let running = 0;
    let maxRunning = 0;
    const handlers: ApiHandler[] = HANDLERS.map((h) =>
      h.apiKey !== ApiKey.Fetch
        ? h
        : {
            ...h,
            async handle(req, ctx, services) {
              running++;
              maxRunning = Math.max(maxRunning, running);
              try {
                return await h.handle(req, ctx, services);
              } finally {
                running--;
              }
            },
          },
    );
    const tb = await broker({ fetchMaxBytes: 2 * MiB }, undefined, handlers);
    await tb.broker.services.topics.create("piped", 1, {});
    const c = await connect(tb.port);
    await fill(c, "piped", 20, 200_000);
    const apiVersions = (id: number) =>
      encodeRequest(ApiKey.ApiVersions, 3, id, "t", {
        clientSoftwareName: "t",
        clientSoftwareVersion: "1",
      });
    const frames: Buffer[] = [];
    for (let i = 1; i <= 8; i++)
      frames.push(fetch("piped", i * 2, 2 ** 31 - 1), apiVersions(i * 2 + 1));
    c.send(Buffer.concat(frames));
    for (let i = 1; i <= 8; i++) {
      const f = decodeResponseFrame(ApiKey.Fetch, 11, await c.nextFrame(10_000));
      expect(f.correlationId).toBe(i * 2);
      expect(recordBytes(f.body)).toBeLessThanOrEqual(2 * MiB);
      expect(decodeResponseFrame(ApiKey.ApiVersions, 3, await c.nextFrame()).correlationId).toBe(
        i * 2 + 1,
      );
    }
    expect(maxRunning).toBe(1);
  });
});

/**
 * On a broker with an 8 MiB pool (6 MiB for large frames): connection `a` reserves 5 MiB with a
 * partial frame that never completes, then `b` sends `bFrame` (5 MiB) and has to wait for room.
 */
async function fillPoolThenWait(
  tb: TestBroker,
  bFrame: Buffer,
): Promise<{ a: RawClient; b: RawClient }> {
  const a = await connect(tb.port);
  a.send(partialFrame(5 * MiB, 1 * MiB));
  await until(() => metric(tb, "sluice_request_memory_held_bytes") === 5 * MiB, "a's reservation");
  const b = await connect(tb.port);
  b.send(bFrame);
  await until(() => metric(tb, "sluice_request_memory_waiting_connections") === 1, "b to wait");
  return { a, b };
}

describe("queued.max.request.bytes", () => {
  it("pauses reading when large partial frames fill the pool, keeps serving small requests, and resumes on release", async () => {
    const tb = await broker({ queuedMaxRequestBytes: 8 * MiB });
    await tb.broker.services.topics.create("small", 1, {});
    const { a, b } = await fillPoolThenWait(tb, partialFrame(5 * MiB, 1 * MiB));

    // Small requests still flow: a produce and a fetch back.
    const c = await connect(tb.port);
    await fill(c, "small", 3, 1000);
    c.send(fetch("small", 1, 1 * MiB));
    expect(
      recordBytes(decodeResponseFrame(ApiKey.Fetch, 11, await c.nextFrame()).body),
    ).toBeGreaterThan(3000);

    // A frame larger than the pool can ever hold is refused, not parked forever.
    const huge = await connect(tb.port);
    huge.send(partialFrame(7 * MiB, 64 * 1024));
    expect(await huge.waitClosed(2000)).toBe(true);
    expect(tb.logLines.some((l) => l.includes("queued.max.request.bytes"))).toBe(true);

    a.close();
    await until(
      () => metric(tb, "sluice_request_memory_waiting_connections") === 0,
      "b to get room",
    );
    expect(metric(tb, "sluice_request_memory_held_bytes")).toBe(5 * MiB);
    expect(metric(tb, "sluice_request_memory_paused_seconds_total")).toBeGreaterThan(0);
    b.close();
    await until(() => metric(tb, "sluice_request_memory_held_bytes") === 0, "b's release");
  });

  it("completes a frame that waited for room once its turn comes", async () => {
    const tb = await broker({ queuedMaxRequestBytes: 8 * MiB });
    const { a, b } = await fillPoolThenWait(tb, paddedApiVersions(9, 5 * MiB));
    a.close();
    expect(decodeResponseFrame(ApiKey.ApiVersions, 3, await b.nextFrame()).correlationId).toBe(9);
    await until(() => metric(tb, "sluice_request_memory_held_bytes") === 0, "release after answer");
  });
});
