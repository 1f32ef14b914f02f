import type { BrokerServices } from "./broker-services";
import type { RequestContext } from "./handler";

/**
 * Hooks through which a layer above the plain server (the tenancy layer: SASL, ACLs, quotas) takes
 * part in connection handling without the server depending on it. Every hook is optional.
 */
export interface ServerExtension {
  /** Called once the services exist, before any connection is accepted (e.g. to attach state). */
  attach?(services: BrokerServices): void | Promise<void>;
  /**
   * Whether connections on this listener must authenticate before anything else (SASL listeners):
   * their frames are bounded by `sasl.server.max.receive.size` until `principalOf` is non-null.
   */
  requiresAuthentication?(listenerName: string): boolean;
  /** The authenticated principal of a connection; null means "User:ANONYMOUS". */
  principalOf?(connectionId: number): string | null;
  /**
   * Whether a decoded request may be served on its connection (e.g. only SASL requests before
   * authentication on a SASL listener). A string is the reason to close the connection instead.
   */
  admit?(ctx: RequestContext): string | null;
  /** After a response was computed: close the connection once it is sent (e.g. failed SASL). */
  closeAfterResponse?(ctx: RequestContext): boolean;
  /**
   * After a request was handled: how long to mute the connection (quota throttling, as Kafka mutes a
   * throttled client's channel); 0 = not throttled.
   */
  throttleMsAfterResponse?(ctx: RequestContext): number;
  /**
   * Whether request time is wanted at all (some `request_percentage` quota exists). Asked once per
   * request before anything is timed: when absent or false the dispatcher reads no clock for quotas.
   */
  measuresRequestTime?(): boolean;
  /**
   * The request's own event-loop time up to its response (see `RequestDispatcher`); returns how
   * long to throttle it (0 = not): the time goes into `throttle_time_ms` and mutes the connection.
   */
  recordRequestTime?(ctx: RequestContext, busyMs: number): number;
  /**
   * The event-loop time spent encoding the response and writing it to the socket, after its
   * throttle was decided: it counts against the quota but cannot throttle this response (Kafka's
   * network-thread time). Not called when the connection closes before the write.
   */
  recordResponseTime?(ctx: RequestContext, busyMs: number): void;
  /** A connection closed (forget its per-connection state). */
  connectionClosed?(connectionId: number): void;
  /** Called on shutdown after the connections are closed. */
  close?(): Promise<void>;
}
