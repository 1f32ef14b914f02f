import type { ApiKey, RequestOf, ResponseInputOf } from "../protocol";
import type { BrokerServices } from "./broker-services";

/** Facts about one decoded request that every handler may need, independent of its body. */
export interface RequestContext {
  /** Kafka API key of the request (e.g. 0 = Produce). */
  apiKey: number;
  /** Version of the request (and of the response the handler must produce). */
  apiVersion: number;
  /** Echoed in the response header; clients match responses by it. */
  correlationId: number;
  /** `client.id` from the request header (null when the client sent none). */
  clientId: string | null;
  /** Broker-unique, monotonically increasing id of the TCP connection. */
  connectionId: number;
  /** Remote address of the client. */
  clientHost: string;
  /** Listener the connection arrived on (e.g. "PLAINTEXT"). */
  listenerName: string;
  /** Authenticated principal; "User:ANONYMOUS" until SASL is in place. */
  principal: string;
  /**
   * Registers `fn` to run once the response has been handed to the socket (or is known never to be
   * sent): the moment buffers the response refers to may be reused. Absent where responses are not
   * written to a socket (direct handler calls).
   */
  onResponseSent?: (fn: () => void) => void;
}

/**
 * Serves one Kafka API (one module per API key under `handlers/`).
 *
 * `handle` receives the decoded request body and returns the response body of the same version; the
 * server encodes it and sends it in request order. A thrown error closes the connection (it means the
 * broker could not produce any valid answer), so per-partition problems must become error codes instead.
 */
export interface ApiHandler<Req = unknown, Res = unknown> {
  /** Kafka API key served by this handler. */
  readonly apiKey: number;
  handle(req: Req, ctx: RequestContext, broker: BrokerServices): Promise<Res> | Res;
  /**
   * Whether the client waits for a response. Only Produce with `acks = 0` answers `false`: Kafka sends
   * nothing back for it. Absent means "always respond".
   */
  expectsResponse?(req: Req, ctx: RequestContext): boolean;
  /**
   * For requests that get no response: why the connection should be closed anyway, or null. Kafka
   * closes the connection when an acks=0 produce fails, so that the client notices and refreshes its
   * metadata.
   */
  closeWithoutResponse?(res: Res): string | null;
}

/** The handler type of one API key: its decoded request in, its encodable response out. */
export type HandlerFor<K extends ApiKey> = ApiHandler<RequestOf<K>, ResponseInputOf<K>>;
