import {
  type ApiKey,
  concatChunks,
  decodeRequest,
  decodeResponseFrame,
  encodeRequest,
  encodeResponse,
  type RequestInputOf,
  type ResponseOf,
  readRequestHeader,
} from "../../../lib/broker/protocol";
import type { BrokerServices } from "../../../lib/broker/server/broker-services";
import type { HandlerFor, RequestContext } from "../../../lib/broker/server/handler";

/** A request context for handler tests. */
export function context(over: Partial<RequestContext> = {}): RequestContext {
  return {
    apiKey: 0,
    apiVersion: 0,
    correlationId: 1,
    clientId: "test",
    connectionId: 1,
    clientHost: "127.0.0.1",
    listenerName: "SASL_PLAINTEXT",
    principal: "User:ANONYMOUS",
    ...over,
  };
}

/**
 * Runs a handler the way the server does, through the codec in both directions: encode the request,
 * decode it, handle it, encode the response, decode it as a client would.
 */
export async function call<K extends ApiKey>(
  handler: HandlerFor<K>,
  version: number,
  body: RequestInputOf<K>,
  ctx: RequestContext,
  broker: object,
): Promise<ResponseOf<K>> {
  const frame = encodeRequest(
    handler.apiKey as K,
    version,
    ctx.correlationId,
    ctx.clientId,
    body,
  ).subarray(4);
  const h = readRequestHeader(frame);
  const req = decodeRequest(handler.apiKey as K, version, frame, h.bodyOffset);
  const res = await handler.handle(
    req,
    { ...ctx, apiKey: handler.apiKey, apiVersion: version },
    broker as BrokerServices,
  );
  const out = concatChunks(
    encodeResponse(handler.apiKey as K, version, ctx.correlationId, res),
  ).subarray(4);
  return decodeResponseFrame(handler.apiKey as K, version, out).body;
}
