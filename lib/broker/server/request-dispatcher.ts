import {
  ApiKey,
  decodeRequest,
  encodeApiVersionsFallback,
  encodeResponse,
  isSupportedVersion,
  ProtocolError,
  readRequestHeader,
} from "../protocol";
import type { BrokerServices } from "./broker-services";
import { type Connection, ConnectionClosedError, type ResponseFrame } from "./connection";
import type { ApiHandler, RequestContext } from "./handler";
import type { ServerExtension } from "./server-extension";

const API_VERSIONS_KEY = 18;

/** A request the broker cannot serve at all (unknown API or version); the connection is closed. */
export class UnsupportedRequestError extends Error {
  override readonly name = "UnsupportedRequestError";
}

/** What the dispatcher uses of a {@link Connection} (tests pass a stub). */
export type DispatchConnection = Pick<
  Connection,
  "id" | "remoteHost" | "listenerName" | "tlsPrincipal" | "muteFor" | "closeAfterFlush"
>;

/** Options of a {@link RequestDispatcher}. */
export interface RequestDispatcherOptions {
  /** Monotonic milliseconds for request time (request_percentage). @default performance.now */
  readonly busyClock?: () => number;
}

/**
 * The response with its `throttleTimeMs` raised to `ms`, when its type has that field. A copy:
 * handlers may hand out shared response objects.
 */
function withThrottle(res: unknown, ms: number): unknown {
  if (typeof res !== "object" || res === null || !("throttleTimeMs" in res)) return res;
  const current = typeof res.throttleTimeMs === "number" ? res.throttleTimeMs : 0;
  return current >= ms ? res : { ...res, throttleTimeMs: ms };
}

/** Calls every function of `fns` the first time it is called, and nothing after. */
function runOnce(fns: (() => void)[]): () => void {
  return () => {
    for (const fn of fns.splice(0)) fn();
  };
}

/**
 * Turns request frames into response frames: reads the header, finds the handler, decodes, runs it and
 * encodes the answer. ApiVersions with a too-new version gets Kafka's v0 fallback (KIP-511); any other
 * unsupported API or version closes the connection, as Kafka does.
 *
 * Request time (`request_percentage`, Kafka's ClientRequestQuotaManager), measured only while the
 * extension asks for it: Kafka counts a request's time on its I/O thread (and, without throttling,
 * on its network thread), not the time it waits in purgatory. Sluice has one thread, so a
 * request's time is the event-loop time it takes synchronously: header and body decoding plus the
 * handler up to its first `await` (Produce: the CRC and structure check of every batch; most other
 * handlers: all their work), reported before the response is built so its throttle goes into
 * `throttle_time_ms`; then encoding the response and writing it to the socket (timed by the
 * {@link Connection}), reported without throttling this response, like Kafka's network-thread time.
 * Not counted: the handler's continuations after an `await` (for Produce the append under the
 * partition lock; for Fetch assembling what the reads returned), because the wall time until they
 * run is waiting — for file I/O, the fsync of acks=all, a long-poll Fetch, a lock — or other
 * requests' work, and attributing only the continuations' own time would need async hooks on every
 * promise of the broker; nor reading and framing requests, GC, or libuv's threads.
 */
export class RequestDispatcher {
  private readonly busyClock: () => number;

  constructor(
    private readonly handlers: ReadonlyMap<number, ApiHandler>,
    private readonly services: () => BrokerServices,
    private readonly extension: ServerExtension = {},
    options: RequestDispatcherOptions = {},
  ) {
    this.busyClock = options.busyClock ?? (() => performance.now());
  }

  /** The API keys with a handler (what ApiVersions advertises). */
  handledKeys(): number[] {
    return [...this.handlers.keys()].sort((a, b) => a - b);
  }

  /**
   * Whether a request frame runs alone on its connection (see `ConnectionOptions.isExclusive`):
   * Fetch, whose response can be as large as `fetch.max.bytes`, so pipelined fetches are built one
   * after another instead of all at once.
   */
  runsAlone(frame: Buffer): boolean {
    return frame.length >= 2 && frame.readInt16BE(0) === ApiKey.Fetch;
  }

  /** See {@link FrameProcessor}. */
  async process(frame: Buffer, conn: DispatchConnection): Promise<Buffer[] | ResponseFrame | null> {
    const timed = this.extension.measuresRequestTime?.() === true;
    const t0 = timed ? this.busyClock() : 0;
    const header = readRequestHeader(frame);
    const { apiKey, apiVersion, correlationId } = header;
    const handler = this.handlers.get(apiKey);
    if (!handler) {
      throw new UnsupportedRequestError(`unsupported API key ${apiKey} (version ${apiVersion})`);
    }
    if (!isSupportedVersion(apiKey, apiVersion)) {
      if (apiKey === API_VERSIONS_KEY) {
        return encodeApiVersionsFallback(correlationId, this.handledKeys());
      }
      throw new UnsupportedRequestError(`unsupported version ${apiVersion} of API key ${apiKey}`);
    }
    const key = apiKey as ApiKey;
    const req = decodeRequest(key, apiVersion, frame, header.bodyOffset);
    // Allocated only for a handler that registers (Fetch): this path runs for every request.
    let onSent: (() => void)[] | undefined;
    const ctx: RequestContext = {
      apiKey,
      apiVersion,
      correlationId,
      clientId: header.clientId,
      connectionId: conn.id,
      clientHost: conn.remoteHost,
      listenerName: conn.listenerName,
      principal: this.extension.principalOf?.(conn.id) ?? conn.tlsPrincipal ?? "User:ANONYMOUS",
      onResponseSent: (fn) => {
        onSent ??= [];
        onSent.push(fn);
      },
    };
    const refusal = this.extension.admit?.(ctx) ?? null;
    if (refusal !== null) throw new ConnectionClosedError(refusal);
    const services = this.services();
    const started = performance.now();
    let failed = true;
    try {
      const pending = handler.handle(req, ctx, services);
      const busyMs = timed ? this.busyClock() - t0 : 0;
      let res = await pending;
      const resumed = timed ? this.busyClock() : 0;
      failed = false;
      const requestThrottleMs = timed ? (this.extension.recordRequestTime?.(ctx, busyMs) ?? 0) : 0;
      // Kafka mutes for the larger of the byte-rate and the request throttle.
      const throttleMs = Math.max(
        this.extension.throttleMsAfterResponse?.(ctx) ?? 0,
        requestThrottleMs,
      );
      if (throttleMs > 0) conn.muteFor(throttleMs);
      if (handler.expectsResponse && !handler.expectsResponse(req, ctx)) {
        const reason = handler.closeWithoutResponse?.(res) ?? null;
        if (reason !== null) throw new ConnectionClosedError(reason);
        if (onSent) runOnce(onSent)();
        return null;
      }
      if (requestThrottleMs > 0) res = withThrottle(res, requestThrottleMs);
      // The handler returned the response type of this API key (ApiHandler<RequestOf<K>, …>).
      const frame = encodeResponse(key, apiVersion, correlationId, res as never);
      if (this.extension.closeAfterResponse?.(ctx)) conn.closeAfterFlush();
      const record = this.extension.recordResponseTime;
      const timing = timed && record !== undefined;
      if (!timing && onSent === undefined) return frame;
      const encodeMs = timing ? this.busyClock() - resumed : 0;
      return {
        chunks: frame,
        ...(timing && { written: (ms: number) => record.call(this.extension, ctx, encodeMs + ms) }),
        ...(onSent && { sent: runOnce(onSent) }),
      };
    } catch (e) {
      if (e instanceof ProtocolError) throw e;
      services.logger.error(
        `handler for API key ${apiKey} v${apiVersion} failed: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`,
      );
      throw e;
    } finally {
      services.metrics.observeRequest(apiKey, (performance.now() - started) / 1000, failed);
    }
  }
}
