import { describe, expect, it } from "vitest";
import { ApiKey, decodeResponseFrame, encodeRequest } from "../../../lib/broker/protocol";
import { RawClient } from "./raw-client";
import { startTestBroker } from "./test-broker";

function longFetch(id: number) {
  return encodeRequest(ApiKey.Fetch, 11, id, "t", {
    maxWaitMs: 30_000,
    minBytes: 1,
    maxBytes: 1 << 20,
    topics: [
      {
        topic: "idle",
        partitions: [{ partition: 0, fetchOffset: 0n, partitionMaxBytes: 1 << 20 }],
      },
    ],
  });
}

describe("graceful shutdown", () => {
  it("answers a long poll in progress before closing, then refuses new connections", async () => {
    const tb = await startTestBroker();
    await tb.broker.services.topics.create("idle", 1, {});
    const c = await RawClient.connect(tb.port);
    c.send(longFetch(42));
    // Let the request reach the broker and start waiting.
    await new Promise((r) => setTimeout(r, 100));
    const stopping = tb.stop();
    const res = decodeResponseFrame(ApiKey.Fetch, 11, await c.nextFrame(10_000));
    expect(res.correlationId).toBe(42);
    expect(res.body.responses[0]?.partitions[0]?.records?.length ?? 0).toBe(0);
    await stopping;
    expect(await c.waitClosed()).toBe(true);
    await expect(RawClient.connect(tb.port)).rejects.toThrow();
    expect(tb.logLines.at(-1)).toContain("broker stopped cleanly");
    await tb.destroy();
  });
});

describe("pipelining", () => {
  it("answers hundreds of pipelined requests in order (reading pauses and resumes)", async () => {
    const tb = await startTestBroker();
    try {
      const c = await RawClient.connect(tb.port);
      const n = 300;
      const frames = Array.from({ length: n }, (_, i) =>
        encodeRequest(ApiKey.Metadata, 12, i + 1, "t", {
          topics: null,
          allowAutoTopicCreation: false,
          includeTopicAuthorizedOperations: false,
        }),
      );
      c.send(Buffer.concat(frames));
      const ids: number[] = [];
      for (let i = 0; i < n; i++) {
        ids.push(decodeResponseFrame(ApiKey.Metadata, 12, await c.nextFrame()).correlationId);
      }
      expect(ids).toEqual(Array.from({ length: n }, (_, i) => i + 1));
      c.close();
    } finally {
      await tb.destroy();
    }
  });
});

describe("data directory", () => {
  it("refuses a second broker on the same data directory, and frees it on stop", async () => {
    const first = await startTestBroker();
    await expect(startTestBroker({}, first.dataDir)).rejects.toThrow(/in use by another broker/);
    await first.stop();
    const second = await startTestBroker({}, first.dataDir);
    await second.destroy();
  });

  it("refuses a data directory written by another node id", async () => {
    const first = await startTestBroker();
    await first.stop();
    await expect(startTestBroker({ nodeId: 7 }, first.dataDir)).rejects.toThrow(
      /belongs to node 0/,
    );
    await first.destroy();
  });
});

describe("idle connections", () => {
  it("are closed after connections.max.idle.ms", async () => {
    const tb = await startTestBroker({ connectionsMaxIdleMs: 200 });
    try {
      const c = await RawClient.connect(tb.port);
      expect(await c.waitClosed(5000)).toBe(true);
    } finally {
      await tb.destroy();
    }
  });
});
