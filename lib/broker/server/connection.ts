import type * as net from "node:net";
import type { BrokerLogger } from "./broker-services";
import type { BrokerMetrics } from "./metrics";

/** Raised for input that makes the connection unusable; it is closed with one log line. */
export class ConnectionClosedError extends Error {
  override readonly name = "ConnectionClosedError";
}

/** A response frame whose writing is timed (request quotas count it, as Kafka's network thread time). */
export interface TimedResponse {
  readonly chunks: Buffer[];
  /** Told the event-loop ms spent writing this response to the socket. */
  readonly written: (busyMs: number) => void;
}

/**
 * Processes one request frame (the bytes after the size prefix) and resolves to the whole response
 * frame (size prefix included) as chunks, or null when the request gets no response (Produce acks=0).
 * Rejecting closes the connection.
 */
export type FrameProcessor = (
  frame: Buffer,
  conn: Connection,
) => Promise<Buffer[] | TimedResponse | null>;

/** Options of a {@link Connection}. */
export interface ConnectionOptions {
  readonly id: number;
  readonly listenerName: string;
  readonly maxRequestBytes: number;
  readonly process: FrameProcessor;
  readonly logger: BrokerLogger;
  readonly metrics: BrokerMetrics;
  /** Requests in progress before reading pauses (clients pipeline up to 5). @default 32 */
  readonly maxInFlight?: number;
  /** Close the connection after this long without traffic while no request is in progress; 0 = never. */
  readonly idleTimeoutMs?: number;
  /** Buffered response bytes above which reading pauses until the socket drains. @default 4 MiB */
  readonly writeHighWaterBytes?: number;
  /** Principal proven by a TLS client certificate (SSL listeners with client auth); used when SASL is not. */
  readonly tlsPrincipal?: string | null;
}

interface Pending {
  done: boolean;
  chunks: Buffer[] | TimedResponse | null;
}

/**
 * One client TCP connection: 4-byte big-endian size framing, requests processed concurrently but
 * answered strictly in arrival order (Kafka clients match pipelined responses by order as well as by
 * correlation id), and backpressure both ways: reading pauses while too many requests are in progress
 * or the socket's write buffer is full.
 */
export class Connection {
  readonly id: number;
  readonly remoteHost: string;
  private readonly chunks: Buffer[] = [];
  private buffered = 0;
  private readonly queue: Pending[] = [];
  private closed = false;
  private readingPaused = false;
  /** Set by {@link stopReading}: reading stays paused for good. */
  private stopped = false;
  /** Set by {@link closeAfterFlush}. */
  private closeWhenIdle = false;
  /** Pending end of a {@link muteFor} (quota throttling); null when not muted. */
  private muteTimer: NodeJS.Timeout | null = null;
  private mutedUntilMs = 0;
  private readonly maxInFlight: number;
  private readonly highWater: number;
  private idleWaiters: (() => void)[] = [];

  constructor(
    readonly socket: net.Socket,
    private readonly opts: ConnectionOptions,
  ) {
    this.id = opts.id;
    this.remoteHost = socket.remoteAddress ?? "unknown";
    this.maxInFlight = opts.maxInFlight ?? 32;
    this.highWater = opts.writeHighWaterBytes ?? 4 * 1024 * 1024;
    socket.setNoDelay(true);
    socket.setKeepAlive(true, 60_000);
    if (opts.idleTimeoutMs) {
      socket.setTimeout(opts.idleTimeoutMs, () => {
        if (this.queue.length === 0) this.end();
      });
    }
    socket.on("data", (data: Buffer) => this.onData(data));
    socket.on("drain", () => this.updateFlow());
    socket.on("error", () => this.destroy());
    socket.on("close", () => this.destroy());
  }

  /** The listener the connection arrived on. */
  get listenerName(): string {
    return this.opts.listenerName;
  }

  /** Principal from the client's TLS certificate, or null. */
  get tlsPrincipal(): string | null {
    return this.opts.tlsPrincipal ?? null;
  }

  /** Requests received whose response has not been written yet. */
  get inFlight(): number {
    return this.queue.length;
  }

  /** True once the socket is closed. */
  get isClosed(): boolean {
    return this.closed;
  }

  /** Stops reading new requests (graceful shutdown); requests in progress still get their answers. */
  stopReading(): void {
    this.socket.pause();
    this.readingPaused = true;
    this.stopped = true;
  }

  /**
   * Stops reading and starting requests for `ms` (Kafka mutes a throttled client's channel, KIP-219);
   * responses already computed are still written. Overlapping mutes extend to the latest end.
   */
  muteFor(ms: number): void {
    if (this.closed || !(ms > 0)) return;
    const until = Date.now() + ms;
    if (this.muteTimer !== null && until <= this.mutedUntilMs) return;
    this.mutedUntilMs = until;
    if (this.muteTimer !== null) clearTimeout(this.muteTimer);
    this.muteTimer = setTimeout(() => {
      this.muteTimer = null;
      if (this.buffered >= 4) this.drainFrames();
      else this.updateFlow();
    }, ms);
    this.muteTimer.unref();
    this.updateFlow();
  }

  /** Resolves when no request is in progress (or the connection is closed). */
  whenIdle(): Promise<void> {
    if (this.queue.length === 0 || this.closed) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  /**
   * Ends the connection once the responses already queued are written, and stops reading new
   * requests (used after a failed authentication).
   */
  closeAfterFlush(): void {
    this.stopReading();
    this.closeWhenIdle = true;
    if (this.queue.length === 0) this.end();
  }

  /** Closes the socket after writing what is buffered. */
  end(): void {
    if (this.closed) return;
    this.socket.end();
  }

  /** Closes the connection at once. */
  destroy(): void {
    if (this.closed) return;
    this.closed = true;
    if (this.muteTimer !== null) clearTimeout(this.muteTimer);
    this.muteTimer = null;
    this.chunks.length = 0;
    this.buffered = 0;
    this.socket.destroy();
    for (const w of this.idleWaiters) w();
    this.idleWaiters = [];
  }

  /** Closes the connection because of bad input, with one log line. */
  fail(reason: string): void {
    if (this.closed) return;
    this.opts.metrics.connectionsClosedOnError++;
    this.opts.logger.warn(
      `closing connection ${this.id} from ${this.remoteHost} (${this.opts.listenerName}): ${reason}`,
    );
    this.destroy();
  }

  private onData(data: Buffer): void {
    if (this.closed) return;
    this.opts.metrics.bytesIn += data.length;
    this.chunks.push(data);
    this.buffered += data.length;
    try {
      this.drainFrames();
    } catch (e) {
      // A bug in framing must cost this connection, never the process.
      this.fail(`internal error while reading: ${e instanceof Error ? e.message : String(e)}`);
    }
  }

  private drainFrames(): void {
    while (!this.closed && !this.stopped && this.muteTimer === null && this.buffered >= 4) {
      if (this.queue.length >= this.maxInFlight) break;
      const size = this.peekSize();
      if (size < 0 || size > this.opts.maxRequestBytes) {
        this.fail(
          `request size ${size} is outside 0..${this.opts.maxRequestBytes} (max request bytes)`,
        );
        return;
      }
      if (this.buffered < 4 + size) break;
      this.take(4);
      this.startRequest(this.take(size));
    }
    this.updateFlow();
  }

  private peekSize(): number {
    const first = this.chunks[0];
    if (first && first.length >= 4) return first.readInt32BE(0);
    const head = Buffer.concat(this.chunks, Math.min(this.buffered, 4));
    return head.readInt32BE(0);
  }

  /** Removes `n` bytes from the front of the buffered chunks (copying only when a frame spans chunks). */
  private take(n: number): Buffer {
    this.buffered -= n;
    const first = this.chunks[0];
    if (first && first.length >= n) {
      if (first.length === n) this.chunks.shift();
      else this.chunks[0] = first.subarray(n);
      return first.subarray(0, n);
    }
    const out = Buffer.allocUnsafe(n);
    let filled = 0;
    while (filled < n) {
      const c = this.chunks[0];
      if (!c) throw new Error("framing invariant violated");
      const want = n - filled;
      if (c.length <= want) {
        c.copy(out, filled);
        filled += c.length;
        this.chunks.shift();
      } else {
        c.copy(out, filled, 0, want);
        this.chunks[0] = c.subarray(want);
        filled += want;
      }
    }
    return out;
  }

  private startRequest(frame: Buffer): void {
    const entry: Pending = { done: false, chunks: null };
    this.queue.push(entry);
    let promise: Promise<Buffer[] | TimedResponse | null>;
    try {
      promise = this.opts.process(frame, this);
    } catch (e) {
      promise = Promise.reject(e);
    }
    promise.then(
      (chunks) => {
        entry.done = true;
        entry.chunks = chunks;
        this.flush();
      },
      (err: unknown) => {
        this.fail(err instanceof Error ? err.message : String(err));
      },
    );
  }

  /** Writes every finished response at the head of the queue, in order. */
  private flush(): void {
    if (this.closed) return;
    let wrote = false;
    let timed: TimedResponse[] | null = null;
    let timedStart = 0;
    while (this.queue.length > 0) {
      const head = this.queue[0];
      if (!head?.done) break;
      this.queue.shift();
      const res = head.chunks;
      if (res === null) continue;
      let chunks: Buffer[];
      if (Array.isArray(res)) chunks = res;
      else {
        if (timed === null) {
          timed = [];
          timedStart = performance.now();
        }
        timed.push(res);
        chunks = res.chunks;
      }
      if (!wrote) this.socket.cork();
      wrote = true;
      for (const c of chunks) {
        this.socket.write(c);
        this.opts.metrics.bytesOut += c.length;
      }
    }
    if (wrote) this.socket.uncork();
    // The socket write happens at uncork, for all corked responses at once: each timed response
    // gets an equal share (usually there is one: clients mostly wait for each response).
    if (timed !== null) {
      const share = (performance.now() - timedStart) / timed.length;
      for (const t of timed) t.written(share);
    }
    if (this.queue.length === 0) {
      for (const w of this.idleWaiters) w();
      this.idleWaiters = [];
      if (this.closeWhenIdle) {
        this.end();
        return;
      }
    }
    // Room in the queue may let buffered frames start.
    if (this.buffered >= 4) this.drainFrames();
    else this.updateFlow();
  }

  private updateFlow(): void {
    if (this.closed) return;
    const shouldPause =
      this.stopped ||
      this.muteTimer !== null ||
      this.queue.length >= this.maxInFlight ||
      this.socket.writableLength > this.highWater;
    if (shouldPause && !this.readingPaused) {
      this.socket.pause();
      this.readingPaused = true;
    } else if (!shouldPause && this.readingPaused) {
      this.readingPaused = false;
      this.socket.resume();
      if (this.buffered >= 4) this.drainFrames();
    }
  }
}
