import * as net from "node:net";
import { buildRecordBatch } from "../../../lib/broker/log";
import {
  ApiKey,
  decodeResponseFrame,
  ErrorCode,
  encodeRequest,
} from "../../../lib/broker/protocol";
import { residentBytes } from "./memory-cgroup";
import { sleep } from "./tcp-probe";

/**
 * The memory probes of issue "Bounded broker memory under hostile clients", as an attacker with only
 * network access runs them: raw sockets, no client library. They work against any Kafka-compatible
 * broker (the same probes run against Apache Kafka for comparison).
 */

const MiB = 1024 * 1024;

/** One shared payload: ten connections sending 95 MB each must not cost the test 950 MB. */
let payload: Buffer | null = null;
function payloadOf(bytes: number): Buffer {
  if (payload === null || payload.length < bytes) payload = Buffer.alloc(bytes, 0x41);
  return payload.subarray(0, bytes);
}

/** Connections that sent a size prefix and part of a frame, then nothing. */
export interface PartialFrames {
  /** Per connection: ms from sending the size prefix until the broker closed it, or null (still open). */
  readonly closedAfterMs: readonly (number | null)[];
  /**
   * Bytes each connection handed to the kernel (what the broker read, plus what waits in the
   * loopback socket's buffers: a few MB at most).
   */
  readonly bytesSent: readonly number[];
  /** Closes every connection. */
  close(): Promise<void>;
}

/**
 * Opens `count` connections; each sends a `size` prefix and `sent` bytes of the frame, then
 * nothing. Resolves once every connection was closed by the broker or stopped taking bytes for
 * `settleMs` (the broker read what it will, or paused reading).
 */
export async function sendPartialFrames(
  port: number,
  count: number,
  size: number,
  sent: number,
  settleMs = 1000,
): Promise<PartialFrames> {
  const sockets: net.Socket[] = [];
  const closedAfterMs: (number | null)[] = [];
  for (let i = 0; i < count; i++) {
    const socket = await new Promise<net.Socket>((resolve, reject) => {
      const s = net.connect({ host: "127.0.0.1", port }, () => resolve(s));
      s.once("error", reject);
    });
    socket.on("error", () => undefined);
    closedAfterMs.push(null);
    const prefix = Buffer.alloc(4);
    prefix.writeInt32BE(size, 0);
    const t0 = performance.now();
    socket.once("close", () => {
      closedAfterMs[i] = performance.now() - t0;
    });
    socket.write(prefix);
    // In 1 MB writes: a write counts as pending until all of it is in the kernel, so one 95 MB
    // write would hide how much of it the broker took.
    // Queued on the next turn, so this loop's own work does not delay noticing an early close.
    const body = payloadOf(sent);
    setImmediate(() => {
      for (let at = 0; at < sent; at += 1_000_000) socket.write(body.subarray(at, at + 1_000_000));
    });
    sockets.push(socket);
  }
  // bytesWritten also counts what still waits in the socket's own write queue.
  const handedOver = (s: net.Socket) => s.bytesWritten - s.writableLength;
  let last = sockets.map(handedOver);
  let stableSince = performance.now();
  const deadline = performance.now() + 60_000;
  while (performance.now() < deadline) {
    await sleep(100);
    const now = sockets.map(handedOver);
    const done = sockets.every((s, i) => s.destroyed || now[i] === sent + 4 || now[i] === last[i]);
    if (!now.every((n, i) => n === last[i])) stableSince = performance.now();
    last = now;
    if (done && performance.now() - stableSince >= settleMs) break;
  }
  return {
    closedAfterMs,
    bytesSent: sockets.map(handedOver),
    close: async () => {
      for (const s of sockets) s.destroy();
      await sleep(200);
    },
  };
}

/** The highest resident set size of `pid` while `work` runs, sampled every 50 ms. */
export async function peakResident<T>(
  pid: number,
  work: () => Promise<T>,
): Promise<{ result: T; peakBytes: number }> {
  let peak = residentBytes(pid);
  let running = true;
  const sampler = (async () => {
    while (running) {
      try {
        peak = Math.max(peak, residentBytes(pid));
      } catch {
        return; // the process is gone; the caller finds out
      }
      await sleep(50);
    }
  })();
  try {
    const result = await work();
    return { result, peakBytes: peak };
  } finally {
    running = false;
    await sampler;
  }
}

/** Reads size-prefixed frames from a socket, keeping received chunks in a list (no quadratic copying). */
class FrameReader {
  private readonly chunks: Buffer[] = [];
  private buffered = 0;
  private readonly frames: Buffer[] = [];
  private wake: (() => void) | null = null;
  private closed = false;

  constructor(socket: net.Socket) {
    socket.on("data", (d: Buffer) => {
      this.chunks.push(d);
      this.buffered += d.length;
      this.split();
      this.wake?.();
    });
    socket.on("close", () => {
      this.closed = true;
      this.wake?.();
    });
  }

  private split(): void {
    for (;;) {
      if (this.buffered < 4) return;
      const head = Buffer.concat(this.chunks, 4);
      const size = head.readInt32BE(0);
      if (this.buffered < 4 + size) return;
      const all = Buffer.concat(this.chunks, this.buffered);
      this.frames.push(all.subarray(4, 4 + size));
      const rest = all.subarray(4 + size);
      this.chunks.length = 0;
      this.buffered = rest.length;
      if (rest.length > 0) this.chunks.push(rest);
    }
  }

  async next(timeoutMs: number): Promise<Buffer> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const f = this.frames.shift();
      if (f) return f;
      if (this.closed) throw new Error("the broker closed the connection");
      if (Date.now() > deadline) throw new Error(`no frame within ${timeoutMs} ms`);
      await new Promise<void>((resolve) => {
        const t = setTimeout(resolve, 1000);
        this.wake = () => {
          clearTimeout(t);
          resolve();
        };
      });
      this.wake = null;
    }
  }
}

async function connect(port: number): Promise<{ socket: net.Socket; reader: FrameReader }> {
  const socket = await new Promise<net.Socket>((resolve, reject) => {
    const s = net.connect({ host: "127.0.0.1", port }, () => resolve(s));
    s.once("error", reject);
  });
  return { socket, reader: new FrameReader(socket) };
}

/** Produces `bytes` into partition 0 of `topic` as batches of one 1,000,000-byte record (acks=1, 8 in flight). */
export async function fillPartition(port: number, topic: string, bytes: number): Promise<void> {
  const { socket, reader } = await connect(port);
  try {
    const batches = Math.ceil(bytes / 1_000_000);
    const value = Buffer.alloc(1_000_000, 0x5a);
    let answered = 0;
    let sent = 0;
    while (answered < batches) {
      while (sent < batches && sent - answered < 8) {
        socket.write(
          encodeRequest(ApiKey.Produce, 7, sent, "probe", {
            transactionalId: null,
            acks: 1,
            timeoutMs: 30_000,
            topicData: [
              {
                name: topic,
                partitionData: [{ index: 0, records: buildRecordBatch({ records: [{ value }] }) }],
              },
            ],
          }),
        );
        sent++;
      }
      const res = decodeResponseFrame(ApiKey.Produce, 7, await reader.next(60_000)).body;
      const code = res.responses[0]?.partitionResponses[0]?.errorCode;
      if (code !== ErrorCode.NONE) throw new Error(`produce to ${topic} failed with error ${code}`);
      answered++;
    }
  } finally {
    socket.destroy();
  }
}

/** What one pipelined Fetch returned. */
export interface FetchAnswer {
  readonly correlationId: number;
  readonly recordBytes: number;
}

/**
 * Sends `count` Fetch v11 requests at once on one connection, each asking for `maxBytes` (response
 * and partition limit) from partition 0 at offsets spread over the log, and reads every answer.
 */
export async function pipelinedFetches(
  port: number,
  topic: string,
  count: number,
  maxBytes: number,
  records: number,
): Promise<FetchAnswer[]> {
  const { socket, reader } = await connect(port);
  try {
    const requests: Buffer[] = [];
    for (let i = 0; i < count; i++) {
      const fetchOffset = BigInt(Math.floor((records * i) / (count + 1)));
      requests.push(
        encodeRequest(ApiKey.Fetch, 11, i + 1, "probe", {
          maxWaitMs: 500,
          minBytes: 1,
          maxBytes,
          isolationLevel: 0,
          sessionId: 0,
          sessionEpoch: -1,
          topics: [
            { topic, partitions: [{ partition: 0, fetchOffset, partitionMaxBytes: maxBytes }] },
          ],
        }),
      );
    }
    socket.write(Buffer.concat(requests));
    const out: FetchAnswer[] = [];
    for (let i = 0; i < count; i++) {
      const { correlationId, body } = decodeResponseFrame(
        ApiKey.Fetch,
        11,
        await reader.next(120_000),
      );
      let recordBytes = 0;
      for (const t of body.responses) {
        for (const p of t.partitions) {
          if (p.errorCode !== ErrorCode.NONE)
            throw new Error(`fetch answered error ${p.errorCode}`);
          recordBytes += p.records?.length ?? 0;
        }
      }
      out.push({ correlationId, recordBytes });
    }
    return out;
  } finally {
    socket.destroy();
  }
}

/** Mebibytes, rounded, for messages. */
export function mib(bytes: number): number {
  return Math.round(bytes / MiB);
}
