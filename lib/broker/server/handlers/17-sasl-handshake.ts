import { ApiKey, ErrorCode } from "../../protocol";
import { tenancyOf } from "../../tenancy/tenancy";
import type { HandlerFor } from "../handler";

/**
 * SaslHandshake (17), v0-1: picks the SASL mechanism of the connection. Answers
 * UNSUPPORTED_SASL_MECHANISM with the enabled list for anything else (and with an empty list when
 * the broker runs without tenancy). After v1 the exchange continues with SaslAuthenticate.
 */
export const saslHandshakeHandler: HandlerFor<ApiKey.SaslHandshake> = {
  apiKey: ApiKey.SaslHandshake,
  handle(req, ctx, broker) {
    const tenancy = tenancyOf(broker);
    if (tenancy === null)
      return { errorCode: ErrorCode.UNSUPPORTED_SASL_MECHANISM, mechanisms: [] };
    return tenancy.session(ctx.connectionId).handshake(req.mechanism);
  },
};
