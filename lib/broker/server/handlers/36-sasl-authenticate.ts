import { ApiKey, ErrorCode } from "../../protocol";
import { SaslError } from "../../tenancy/sasl-error";
import { tenancyOf } from "../../tenancy/tenancy";
import { TenantLimits } from "../../tenancy/tenant-limits";
import type { HandlerFor } from "../handler";

const EMPTY = Buffer.alloc(0);

/**
 * SaslAuthenticate (36), v0-2: one round of the mechanism chosen by SaslHandshake. On success the
 * connection's principal becomes `User:<name>` (see `Tenancy.principalOf`) once the tenant's
 * connection limit allows it. Failures carry Kafka's error code and a message free of secrets; the
 * connection layer closes the connection after sending one (the session reports `hasFailed`).
 * Sessions never expire: `session_lifetime_ms` is 0 (no KIP-368 re-authentication).
 */
export const saslAuthenticateHandler: HandlerFor<ApiKey.SaslAuthenticate> = {
  apiKey: ApiKey.SaslAuthenticate,
  async handle(req, ctx, broker) {
    const tenancy = tenancyOf(broker);
    if (tenancy === null) {
      return {
        errorCode: ErrorCode.ILLEGAL_SASL_STATE,
        errorMessage: "SASL is not enabled on this broker",
        authBytes: EMPTY,
        sessionLifetimeMs: 0n,
      };
    }
    const session = tenancy.session(ctx.connectionId);
    try {
      const step = await session.authenticate(req.authBytes);
      if (step.principal !== undefined) {
        const tenant = tenancy.tenants.tenantOfPrincipal(step.principal);
        if (tenant !== null) {
          // This connection already counts as authenticated: compare the others with the limit.
          const others = tenancy.connectionsOf(tenant) - 1;
          const d = TenantLimits.connection(tenant, {
            topics: 0,
            partitions: 0,
            storageBytes: 0,
            connections: others,
          });
          if (!d.allowed) {
            session.revoke();
            return {
              errorCode: d.errorCode,
              errorMessage: d.errorMessage,
              authBytes: EMPTY,
              sessionLifetimeMs: 0n,
            };
          }
        }
      }
      return {
        errorCode: ErrorCode.NONE,
        errorMessage: null,
        authBytes: step.authBytes,
        sessionLifetimeMs: 0n,
      };
    } catch (err) {
      if (!(err instanceof SaslError)) throw err;
      return {
        errorCode: err.errorCode,
        errorMessage: err.message,
        authBytes: EMPTY,
        sessionLifetimeMs: 0n,
      };
    }
  },
};
