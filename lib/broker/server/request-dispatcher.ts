import {
  type ApiKey,
  decodeRequest,
  encodeApiVersionsFallback,
  encodeResponse,
  isSupportedVersion,
  ProtocolError,
  readRequestHeader,
} from "../protocol";
import type { BrokerServices } from "./broker-services";
import { type Connection, ConnectionClosedError } from "./connection";
import type { ApiHandler, RequestContext } from "./handler";
import type { ServerExtension } from "./server-extension";

const API_VERSIONS_KEY = 18;

/** A request the broker cannot serve at all (unknown API or version); the connection is closed. */
export class UnsupportedRequestError extends Error {
  override readonly name = "UnsupportedRequestError";
}

/**
 * Turns request frames into response frames: reads the header, finds the handler, decodes, runs it and
 * encodes the answer. ApiVersions with a too-new version gets Kafka's v0 fallback (KIP-511); any other
 * unsupported API or version closes the connection, as Kafka does.
 */
export class RequestDispatcher {
  constructor(
    private readonly handlers: ReadonlyMap<number, ApiHandler>,
    private readonly services: () => BrokerServices,
    private readonly extension: ServerExtension = {},
  ) {}

  /** The API keys with a handler (what ApiVersions advertises). */
  handledKeys(): number[] {
    return [...this.handlers.keys()].sort((a, b) => a - b);
  }

  /** See {@link FrameProcessor}. */
  async process(frame: Buffer, conn: Connection): Promise<Buffer[] | null> {
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
    const ctx: RequestContext = {
      apiKey,
      apiVersion,
      correlationId,
      clientId: header.clientId,
      connectionId: conn.id,
      clientHost: conn.remoteHost,
      listenerName: conn.listenerName,
      principal: this.extension.principalOf?.(conn.id) ?? conn.tlsPrincipal ?? "User:ANONYMOUS",
    };
    const refusal = this.extension.admit?.(ctx) ?? null;
    if (refusal !== null) throw new ConnectionClosedError(refusal);
    const services = this.services();
    const started = performance.now();
    let failed = true;
    try {
      const res = await handler.handle(req, ctx, services);
      failed = false;
      const throttleMs = this.extension.throttleMsAfterResponse?.(ctx) ?? 0;
      if (throttleMs > 0) conn.muteFor(throttleMs);
      if (handler.expectsResponse && !handler.expectsResponse(req, ctx)) {
        const reason = handler.closeWithoutResponse?.(res) ?? null;
        if (reason !== null) throw new ConnectionClosedError(reason);
        return null;
      }
      // The handler returned the response type of this API key (ApiHandler<RequestOf<K>, …>).
      const frame = encodeResponse(key, apiVersion, correlationId, res as never);
      if (this.extension.closeAfterResponse?.(ctx)) conn.closeAfterFlush();
      return frame;
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
