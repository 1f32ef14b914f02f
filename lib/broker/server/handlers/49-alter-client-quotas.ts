import { ApiKey, ErrorCode } from "../../protocol";
import { AclOperation } from "../../tenancy/acl-binding";
import {
  ClientQuotaConfig,
  entityFromWire,
  InvalidQuotaError,
  type QuotaAlteration,
} from "../../tenancy/client-quotas";
import { clusterGate } from "../../tenancy/cluster-access";
import type { HandlerFor } from "../handler";

/**
 * AlterClientQuotas (49), v0-1: sets or removes quota values per entity (user, client-id,
 * user+client-id, `null` name = default). Each entry is validated on its own (INVALID_REQUEST with
 * the reason); valid entries are persisted together unless `validateOnly`. Needs ALTER_CONFIGS on
 * the cluster.
 */
export const alterClientQuotasHandler: HandlerFor<ApiKey.AlterClientQuotas> = {
  apiKey: ApiKey.AlterClientQuotas,
  async handle(req, ctx, broker) {
    const gate = clusterGate(broker, ctx, AclOperation.ALTER_CONFIGS);
    if ("errorCode" in gate) {
      const { errorCode } = gate;
      return {
        throttleTimeMs: 0,
        entries: req.entries.map((e) => ({ errorCode, errorMessage: null, entity: e.entity })),
      };
    }
    const { tenancy } = gate;
    const valid: QuotaAlteration[] = [];
    const entries = req.entries.map((e) => {
      try {
        const alteration = { entity: entityFromWire(e.entity), ops: e.ops };
        ClientQuotaConfig.validate(alteration);
        valid.push(alteration);
        return { errorCode: ErrorCode.NONE, errorMessage: null, entity: e.entity };
      } catch (err) {
        if (!(err instanceof InvalidQuotaError)) throw err;
        return {
          errorCode: ErrorCode.INVALID_REQUEST,
          errorMessage: err.message,
          entity: e.entity,
        };
      }
    });
    if (!req.validateOnly && valid.length > 0) await tenancy.quotaConfig.alter(valid);
    return { throttleTimeMs: 0, entries };
  },
};
