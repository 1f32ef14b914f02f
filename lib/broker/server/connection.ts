import type * as net from "node:net";
import type { BrokerLogger } from "./broker-services";
import type { BrokerMetrics } from "./metrics";
import type { RequestMemoryPool } from "./request-memory-pool";

/** Raised for input that makes the connection unusable; it is closed with one log line. */
export class ConnectionClosedError extends Error {
  override readonly name = "ConnectionClosedError";
}

/** A response frame that wants to hear about its writing. */
export interface ResponseFrame {
  readonly chunks: Buffer[];
  /**
   * Told the event-loop ms spent writing this response to the socket (request quotas count it, as
   * Kafka's network thread time).
   */
  readonly written?: (busyMs: number) => void;
  /**
   * Called once the socket is done with every chunk — written to the kernel, or dropped because the
   * connection closed — or when the response is never written: then the buffers it refers to may
   * be reused.
   */
  readonly sent?: () => void;
}

/**
 * Processes one request frame (the bytes after the size prefix) and resolves to the whole response
 * frame (size prefix included) as chunks, or null when the request gets no response (Produce acks=0).
 * Rejecting closes the connection.
 */
export type FrameProcessor = (
  frame: Buffer,
  conn: Connection,
) => Promise<Buffer[] | ResponseFrame | null>;

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
  /** The broker-wide bound on request bytes held; none = unbounded. */
  readonly pool?: RequestMemoryPool;
  /**
   * On listeners that require authentication: the largest frame read before it succeeds (Kafka's
   * `sasl.server.max.receive.size`) and how to tell that it has.
   */
  readonly preAuth?: { readonly maxBytes: number; readonly isAuthenticated: () => boolean };
  /**
   * Frames that run alone (Fetch): such a frame starts only once every earlier response is written
   * and the socket has drained, and no later frame starts before its response is written — Kafka's
   * one request in flight per connection, for the requests whose responses can be large.
   */
  readonly isExclusive?: (frame: Buffer) => boolean;
}

interface Pending {
  done: boolean;
  chunks: Buffer[] | ResponseFrame | null;
  exclusive: boolean;
}

/** A complete frame read but not started yet (an exclusive one waiting for its turn). */
interface Parked {
  readonly frame: Buffer;
  readonly reserved: number;
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
  /** Pool bytes reserved for the frame at the head of the buffer; -1 = not reserved yet. */
  private headReserved = -1;
  /** Cancels the wait for pool room while reading is paused for it; null when not waiting. */
  private cancelPoolWait: (() => void) | null = null;
  private poolWaitStartedAt = 0;
  private parked: Parked | null = null;
  /** Exclusive requests in the queue (0 or 1). */
  private exclusiveQueued = 0;

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
    socket.on("drain", () => this.resumeWork());
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
      this.resumeWork();
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
    this.cancelPoolWait?.();
    this.cancelPoolWait = null;
    if (this.headReserved > 0) this.opts.pool?.release(this.headReserved);
    this.headReserved = -1;
    if (this.parked !== null) this.opts.pool?.release(this.parked.reserved);
    this.parked = null;
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
    while (this.mayStart()) {
      if (this.parked !== null) {
        if (!this.exclusiveMayStart()) break;
        const { frame, reserved } = this.parked;
        this.parked = null;
        this.startRequest(frame, reserved, true);
        continue;
      }
      if (this.buffered < 4) break;
      const size = this.peekSize();
      if (this.headReserved < 0 && !this.admitFrame(size)) break;
      if (this.buffered < 4 + size) break;
      this.take(4);
      const frame = this.take(size);
      const reserved = Math.max(this.headReserved, 0);
      this.headReserved = -1;
      if (this.opts.isExclusive?.(frame)) {
        this.parked = { frame, reserved };
        continue;
      }
      this.startRequest(frame, reserved, false);
    }
    this.updateFlow();
  }

  /** Whether a (parked or buffered) frame may start now, exclusivity aside. */
  private mayStart(): boolean {
    return (
      !this.closed &&
      !this.stopped &&
      this.muteTimer === null &&
      this.cancelPoolWait === null &&
      this.exclusiveQueued === 0 &&
      this.queue.length < this.maxInFlight
    );
  }

  private exclusiveMayStart(): boolean {
    return this.queue.length === 0 && this.socket.writableLength <= this.highWater;
  }

  /**
   * Checks a frame's size prefix and reserves its bytes in the pool, before any of the frame is
   * buffered beyond what the socket already delivered. False when the frame must wait for room (or
   * the connection was closed).
   */
  private admitFrame(size: number): boolean {
    if (size < 0 || size > this.opts.maxRequestBytes) {
      this.fail(
        `request size ${size} is outside 0..${this.opts.maxRequestBytes} (max request bytes)`,
      );
      return false;
    }
    const preAuth = this.opts.preAuth;
    if (preAuth !== undefined && size > preAuth.maxBytes && !preAuth.isAuthenticated()) {
      this.opts.metrics.connectionsClosedPreAuthOversize++;
      this.fail(
        `request size ${size} before authentication is above sasl.server.max.receive.size ${preAuth.maxBytes}`,
      );
      return false;
    }
    const pool = this.opts.pool;
    if (pool === undefined) {
      this.headReserved = 0;
      return true;
    }
    const outcome = pool.reserve(size);
    if (outcome === "reserved") {
      this.headReserved = size;
      return true;
    }
    if (outcome === "never") {
      this.fail(
        `request size ${size} is larger than queued.max.request.bytes ${pool.capacity} can hold (largest ${pool.largeLimit})`,
      );
      return false;
    }
    this.poolWaitStartedAt = performance.now();
    this.cancelPoolWait = pool.waitForRoom(() => {
      this.cancelPoolWait = null;
      pool.addPausedMs(performance.now() - this.poolWaitStartedAt);
      this.resumeWork();
    });
    return false;
  }

  /** After something that may let work continue: start what can start, then resume or pause reading. */
  private resumeWork(): void {
    if (this.closed) return;
    try {
      this.drainFrames();
    } catch (e) {
      this.fail(`internal error while reading: ${e instanceof Error ? e.message : String(e)}`);
    }
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

  private startRequest(frame: Buffer, reserved: number, exclusive: boolean): void {
    const entry: Pending = { done: false, chunks: null, exclusive };
    this.queue.push(entry);
    if (exclusive) this.exclusiveQueued++;
    // The frame's bytes stay referenced (decoded records are views into it) until the response is
    // built; then its reservation goes back to the pool.
    const release = () => this.opts.pool?.release(reserved);
    let promise: Promise<Buffer[] | ResponseFrame | null>;
    try {
      promise = this.opts.process(frame, this);
    } catch (e) {
      promise = Promise.reject(e);
    }
    promise.then(
      (chunks) => {
        release();
        entry.done = true;
        entry.chunks = chunks;
        this.flush();
      },
      (err: unknown) => {
        release();
        this.fail(err instanceof Error ? err.message : String(err));
      },
    );
  }

  /** Writes every finished response at the head of the queue, in order. */
  private flush(): void {
    if (this.closed) return;
    let wrote = false;
    let timed: ResponseFrame[] | null = null;
    let timedStart = 0;
    while (this.queue.length > 0) {
      const head = this.queue[0];
      if (!head?.done) break;
      this.queue.shift();
      if (head.exclusive) this.exclusiveQueued--;
      const res = head.chunks;
      if (res === null) continue;
      let chunks: Buffer[];
      let sent: (() => void) | undefined;
      if (Array.isArray(res)) chunks = res;
      else {
        if (res.written !== undefined) {
          if (timed === null) {
            timed = [];
            timedStart = performance.now();
          }
          timed.push(res);
        }
        chunks = res.chunks;
        sent = res.sent;
      }
      if (!wrote) this.socket.cork();
      wrote = true;
      const last = chunks.length - 1;
      for (let i = 0; i <= last; i++) {
        const c = chunks[i] as Buffer;
        // Writes complete in order: when the last chunk's callback runs, the socket is done with all.
        if (i === last && sent !== undefined) this.socket.write(c, sent);
        else this.socket.write(c);
        this.opts.metrics.bytesOut += c.length;
      }
      if (last < 0) sent?.();
    }
    if (wrote) this.socket.uncork();
    // The socket write happens at uncork, for all corked responses at once: each timed response
    // gets an equal share (usually there is one: clients mostly wait for each response).
    if (timed !== null) {
      const share = (performance.now() - timedStart) / timed.length;
      for (const t of timed) t.written?.(share);
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
    this.drainFrames();
  }

  private updateFlow(): void {
    if (this.closed) return;
    // Reading also pauses while a complete frame waits for its turn (parked) or for pool room:
    // what the client sends meanwhile stays in the kernel's buffers, not in ours.
    const shouldPause =
      this.stopped ||
      this.muteTimer !== null ||
      this.cancelPoolWait !== null ||
      this.parked !== null ||
      this.exclusiveQueued > 0 ||
      this.queue.length >= this.maxInFlight ||
      this.socket.writableLength > this.highWater;
    if (shouldPause && !this.readingPaused) {
      this.socket.pause();
      this.readingPaused = true;
    } else if (!shouldPause && this.readingPaused) {
      this.readingPaused = false;
      this.socket.resume();
    }
  }
}
