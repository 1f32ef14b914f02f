import * as net from "node:net";
import { describe, expect, it } from "vitest";
import {
  ApiKey,
  concatChunks,
  decodeResponseFrame,
  encodeRequest,
} from "../../../lib/broker/protocol";
import type { BrokerServices } from "../../../lib/broker/server/broker-services";
import { Connection, type ResponseFrame } from "../../../lib/broker/server/connection";
import type { ApiHandler, RequestContext } from "../../../lib/broker/server/handler";
import { memoryLogger } from "../../../lib/broker/server/logger";
import { BrokerMetrics } from "../../../lib/broker/server/metrics";
import {
  type DispatchConnection,
  RequestDispatcher,
} from "../../../lib/broker/server/request-dispatcher";
import type { ServerExtension } from "../../../lib/broker/server/server-extension";

/** A fake monotonic clock that counts its reads. */
function fakeClock() {
  const c = { now: 1000, reads: 0, read: () => 0 };
  c.read = () => {
    c.reads++;
    return c.now;
  };
  return c;
}

/** A connection stub that records mutes. */
function stubConnection(): DispatchConnection & { mutes: number[] } {
  const mutes: number[] = [];
  return {
    id: 7,
    remoteHost: "127.0.0.1",
    listenerName: "PLAINTEXT",
    tlsPrincipal: null,
    mutes,
    muteFor: (ms: number) => {
      mutes.push(ms);
    },
    closeAfterFlush: () => undefined,
  };
}

/**
 * A Heartbeat handler that is busy for `busyMs` of the fake clock before its first await, then
 * "waits" (the clock jumps by `waitMs` while it is suspended, as for an fsync or a long poll).
 */
function heartbeatHandler(
  clock: { now: number },
  busyMs: number,
  waitMs: number,
  respond = true,
): ApiHandler {
  return {
    apiKey: ApiKey.Heartbeat,
    expectsResponse: () => respond,
    handle: () => {
      clock.now += busyMs;
      return new Promise((resolve) =>
        setTimeout(() => {
          clock.now += waitMs;
          resolve({ throttleTimeMs: 0, errorCode: 0 });
        }, 1),
      );
    },
  };
}

function dispatcher(handler: ApiHandler, extension: ServerExtension, clock: () => number) {
  // The dispatcher only logs and counts through its services; the handler here ignores them.
  const services = { metrics: new BrokerMetrics(), logger: memoryLogger() };
  return new RequestDispatcher(
    new Map([[handler.apiKey, handler]]),
    () => services as unknown as BrokerServices,
    extension,
    { busyClock: clock },
  );
}

const heartbeat = () =>
  encodeRequest(ApiKey.Heartbeat, 4, 42, "app", {
    groupId: "g",
    generationId: 1,
    memberId: "m",
    groupInstanceId: null,
  }).subarray(4);

function decodeHeartbeat(res: Buffer[] | ResponseFrame | null) {
  if (res === null) throw new Error("expected a response");
  const chunks = Array.isArray(res) ? res : res.chunks;
  return decodeResponseFrame(ApiKey.Heartbeat, 4, concatChunks(chunks).subarray(4)).body;
}

describe("request time (request_percentage) in the dispatcher", () => {
  it("reports the handler's synchronous time, not the time it waits", async () => {
    const clock = fakeClock();
    const recorded: Array<[RequestContext, number]> = [];
    const d = dispatcher(
      heartbeatHandler(clock, 30, 500),
      {
        measuresRequestTime: () => true,
        recordRequestTime: (ctx, ms) => {
          recorded.push([ctx, ms]);
          return 0;
        },
      },
      clock.read,
    );
    const res = decodeHeartbeat(await d.process(heartbeat(), stubConnection()));
    expect(recorded).toHaveLength(1);
    expect(recorded[0]?.[1]).toBe(30);
    expect(recorded[0]?.[0].clientId).toBe("app");
    expect(res.throttleTimeMs).toBe(0);
  });

  it("puts the request throttle into throttle_time_ms and mutes the connection for it", async () => {
    const clock = fakeClock();
    const conn = stubConnection();
    const d = dispatcher(
      heartbeatHandler(clock, 5, 0),
      { measuresRequestTime: () => true, recordRequestTime: () => 250 },
      clock.read,
    );
    const res = decodeHeartbeat(await d.process(heartbeat(), conn));
    expect(res.throttleTimeMs).toBe(250);
    expect(conn.mutes).toEqual([250]);
  });

  it("mutes for the larger of the byte-rate and the request throttle", async () => {
    const clock = fakeClock();
    const conn = stubConnection();
    const d = dispatcher(
      heartbeatHandler(clock, 5, 0),
      {
        measuresRequestTime: () => true,
        recordRequestTime: () => 250,
        throttleMsAfterResponse: () => 400,
      },
      clock.read,
    );
    await d.process(heartbeat(), conn);
    expect(conn.mutes).toEqual([400]);
  });

  it("mutes a throttled request that gets no response (acks=0)", async () => {
    const clock = fakeClock();
    const conn = stubConnection();
    const d = dispatcher(
      heartbeatHandler(clock, 5, 0, false),
      { measuresRequestTime: () => true, recordRequestTime: () => 300 },
      clock.read,
    );
    expect(await d.process(heartbeat(), conn)).toBeNull();
    expect(conn.mutes).toEqual([300]);
  });

  it("charges encoding and writing after the throttle decision, without throttling again", async () => {
    const clock = fakeClock();
    const order: string[] = [];
    const d = dispatcher(
      heartbeatHandler(clock, 5, 0),
      {
        measuresRequestTime: () => true,
        recordRequestTime: () => {
          order.push("request");
          return 0;
        },
        recordResponseTime: (_ctx, ms) => {
          order.push(`response ${ms}`);
        },
      },
      clock.read,
    );
    const res = await d.process(heartbeat(), stubConnection());
    expect(order).toEqual(["request"]);
    if (res === null || Array.isArray(res)) throw new Error("expected a timed response");
    res.written?.(7); // what the connection reports once the frame is on the socket
    expect(order).toEqual(["request", "response 7"]);
  });

  it("reads no clock and reports nothing while no request quota exists", async () => {
    const clock = fakeClock();
    let reported = 0;
    const conn = stubConnection();
    const d = dispatcher(
      heartbeatHandler(clock, 30, 0),
      {
        measuresRequestTime: () => false,
        recordRequestTime: () => {
          reported++;
          return 1000;
        },
        recordResponseTime: () => {
          reported++;
        },
      },
      clock.read,
    );
    const res = decodeHeartbeat(await d.process(heartbeat(), conn));
    expect(clock.reads).toBe(0);
    expect(reported).toBe(0);
    expect(res.throttleTimeMs).toBe(0);
    expect(conn.mutes).toEqual([]);
  });
});

describe("response write time in the connection", () => {
  it("tells a timed response how long writing it took, and writes plain ones untimed", async () => {
    const written: number[] = [];
    let n = 0;
    const server = net.createServer((socket) => {
      new Connection(socket, {
        id: 1,
        listenerName: "PLAINTEXT",
        maxRequestBytes: 1024,
        logger: memoryLogger(),
        metrics: new BrokerMetrics(),
        // Answers each 1-byte request with a 5-byte frame; the first answer is timed.
        process: async () => {
          const chunks = [Buffer.from([0, 0, 0, 1, n])];
          return n++ === 0 ? { chunks, written: (ms: number) => written.push(ms) } : chunks;
        },
      });
    });
    await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
    const address = server.address();
    const port = typeof address === "object" && address !== null ? address.port : 0;
    const client = net.connect({ host: "127.0.0.1", port });
    const received: Buffer[] = [];
    let bytes = 0;
    const done = new Promise<void>((resolve) =>
      client.on("data", (d: Buffer) => {
        received.push(d);
        bytes += d.length;
        if (bytes >= 10) resolve();
      }),
    );
    client.write(Buffer.from([0, 0, 0, 1, 9, 0, 0, 0, 1, 9]));
    await done;
    client.destroy();
    await new Promise<void>((r) => server.close(() => r()));
    expect(Buffer.concat(received)).toEqual(Buffer.from([0, 0, 0, 1, 0, 0, 0, 0, 1, 1]));
    expect(written).toHaveLength(1);
    expect(written[0]).toBeGreaterThanOrEqual(0);
  });
});
