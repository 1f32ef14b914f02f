import { ApiKey, ErrorCode } from "../../protocol";
import {
  type AclBindingFilter,
  AclOperation,
  InvalidAclError,
  validateAclFilter,
} from "../../tenancy/acl-binding";
import { clusterGate } from "../../tenancy/cluster-access";
import type { HandlerFor } from "../handler";

/** DeleteAcls (31), v1-3: removes the ACLs matching each filter and lists them; needs ALTER on the cluster. */
export const deleteAclsHandler: HandlerFor<ApiKey.DeleteAcls> = {
  apiKey: ApiKey.DeleteAcls,
  async handle(req, ctx, broker) {
    const gate = clusterGate(broker, ctx, AclOperation.ALTER);
    if ("errorCode" in gate) {
      const { errorCode } = gate;
      return {
        throttleTimeMs: 0,
        filterResults: req.filters.map(() => ({ errorCode, errorMessage: null, matchingAcls: [] })),
      };
    }
    const { tenancy } = gate;
    const parsed: Array<AclBindingFilter | InvalidAclError> = req.filters.map((f) => {
      try {
        return validateAclFilter({
          resourceType: f.resourceTypeFilter,
          resourceName: f.resourceNameFilter,
          patternType: f.patternTypeFilter,
          principal: f.principalFilter,
          host: f.hostFilter,
          operation: f.operation,
          permissionType: f.permissionType,
        });
      } catch (err) {
        if (err instanceof InvalidAclError) return err;
        throw err;
      }
    });
    const valid = parsed.filter((p): p is AclBindingFilter => !(p instanceof InvalidAclError));
    const deleted = await tenancy.authorizer.delete(valid);
    let next = 0;
    return {
      throttleTimeMs: 0,
      filterResults: parsed.map((p) => {
        if (p instanceof InvalidAclError) {
          return {
            errorCode: ErrorCode.INVALID_REQUEST,
            errorMessage: p.message,
            matchingAcls: [],
          };
        }
        const matches = deleted[next++] ?? [];
        return {
          errorCode: ErrorCode.NONE,
          errorMessage: null,
          matchingAcls: matches.map((b) => ({
            errorCode: ErrorCode.NONE,
            errorMessage: null,
            resourceType: b.resourceType,
            resourceName: b.resourceName,
            patternType: b.patternType,
            principal: b.principal,
            host: b.host,
            operation: b.operation,
            permissionType: b.permissionType,
          })),
        };
      }),
    };
  },
};
