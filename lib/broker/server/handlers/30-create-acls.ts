import { ApiKey, ErrorCode } from "../../protocol";
import {
  type AclBinding,
  AclOperation,
  InvalidAclError,
  validateAclBinding,
} from "../../tenancy/acl-binding";
import { clusterGate } from "../../tenancy/cluster-access";
import type { HandlerFor } from "../handler";

/**
 * CreateAcls (30), v1-3: validates each creation (INVALID_REQUEST with the reason) and persists the
 * valid ones before answering; an existing identical ACL is a success. Needs ALTER on the cluster.
 */
export const createAclsHandler: HandlerFor<ApiKey.CreateAcls> = {
  apiKey: ApiKey.CreateAcls,
  async handle(req, ctx, broker) {
    const gate = clusterGate(broker, ctx, AclOperation.ALTER);
    if ("errorCode" in gate) {
      const { errorCode } = gate;
      return {
        throttleTimeMs: 0,
        results: req.creations.map(() => ({ errorCode, errorMessage: null })),
      };
    }
    const { tenancy } = gate;
    const valid: AclBinding[] = [];
    const results = req.creations.map((c) => {
      try {
        valid.push(
          validateAclBinding({
            resourceType: c.resourceType,
            resourceName: c.resourceName,
            patternType: c.resourcePatternType,
            principal: c.principal,
            host: c.host,
            operation: c.operation,
            permissionType: c.permissionType,
          }),
        );
        return { errorCode: ErrorCode.NONE, errorMessage: null };
      } catch (err) {
        if (!(err instanceof InvalidAclError)) throw err;
        return { errorCode: ErrorCode.INVALID_REQUEST, errorMessage: err.message };
      }
    });
    await tenancy.authorizer.create(valid);
    return { throttleTimeMs: 0, results };
  },
};
