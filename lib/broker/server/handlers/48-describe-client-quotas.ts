import { ApiKey, ErrorCode } from "../../protocol";
import { AclOperation } from "../../tenancy/acl-binding";
import { entityToWire, type QuotaEntity } from "../../tenancy/client-quotas";
import { authorizeCluster } from "../../tenancy/cluster-access";
import { tenancyOf } from "../../tenancy/tenancy";
import type { HandlerFor } from "../handler";

/** Kafka's DescribeClientQuotas match types. */
const MATCH_EXACT = 0;
const MATCH_DEFAULT = 1;
const MATCH_SPECIFIED = 2;

type Part = "user" | "clientId";

function partOf(entityType: string): Part | null {
  if (entityType === "user") return "user";
  if (entityType === "client-id") return "clientId";
  return null;
}

/**
 * DescribeClientQuotas (48), v0-1: the configured quotas whose entity matches every component
 * (EXACT name, DEFAULT entity, or any SPECIFIED name); with `strict`, entities with other types are
 * left out. Needs DESCRIBE_CONFIGS on the cluster. Errors answer with an empty (not null) entry list:
 * @platformatic/kafka cannot read a null one.
 */
export const describeClientQuotasHandler: HandlerFor<ApiKey.DescribeClientQuotas> = {
  apiKey: ApiKey.DescribeClientQuotas,
  handle(req, ctx, broker) {
    const tenancy = tenancyOf(broker);
    const fail = (errorCode: number, errorMessage: string | null) => ({
      throttleTimeMs: 0,
      errorCode,
      errorMessage,
      entries: [],
    });
    if (tenancy === null)
      return fail(ErrorCode.SECURITY_DISABLED, "quotas are not enabled on this broker");
    if (!authorizeCluster(tenancy, ctx, AclOperation.DESCRIBE_CONFIGS)) {
      return fail(ErrorCode.CLUSTER_AUTHORIZATION_FAILED, null);
    }
    const filters: Array<{ part: Part; matchType: number; match: string | null }> = [];
    const seen = new Set<string>();
    for (const c of req.components) {
      if (seen.has(c.entityType))
        return fail(ErrorCode.INVALID_REQUEST, `Duplicate entity type ${c.entityType}`);
      seen.add(c.entityType);
      if (
        c.matchType !== MATCH_EXACT &&
        c.matchType !== MATCH_DEFAULT &&
        c.matchType !== MATCH_SPECIFIED
      ) {
        return fail(ErrorCode.INVALID_REQUEST, `Unknown match type ${c.matchType}`);
      }
      if (c.matchType === MATCH_EXACT && c.match === null) {
        return fail(ErrorCode.INVALID_REQUEST, `Exact match of ${c.entityType} needs a name`);
      }
      if (c.entityType === "ip") {
        // Valid in Kafka; this broker stores no ip quotas, so nothing can match.
        return { throttleTimeMs: 0, errorCode: ErrorCode.NONE, errorMessage: null, entries: [] };
      }
      const part = partOf(c.entityType);
      if (part === null)
        return fail(ErrorCode.INVALID_REQUEST, `Custom entity type ${c.entityType} not supported`);
      filters.push({ part, matchType: c.matchType, match: c.match });
    }
    const matches = (e: QuotaEntity): boolean => {
      for (const f of filters) {
        const v = e[f.part];
        if (v === undefined) return false;
        if (f.matchType === MATCH_EXACT && v !== f.match) return false;
        if (f.matchType === MATCH_DEFAULT && v !== null) return false;
        if (f.matchType === MATCH_SPECIFIED && v === null) return false;
      }
      if (req.strict) {
        const parts = (["user", "clientId"] as const).filter((p) => e[p] !== undefined);
        if (parts.length !== filters.length) return false;
      }
      return true;
    };
    const entries = tenancy.quotaConfig
      .all()
      .filter((q) => matches(q.entity))
      .map((q) => ({
        entity: entityToWire(q.entity),
        values: Object.entries(q.values).map(([key, value]) => ({ key, value })),
      }));
    return { throttleTimeMs: 0, errorCode: ErrorCode.NONE, errorMessage: null, entries };
  },
};
