import { ApiKey, ErrorCode } from "../../protocol";
import {
  type AclBinding,
  AclOperation,
  InvalidAclError,
  validateAclFilter,
} from "../../tenancy/acl-binding";
import { authorizeCluster } from "../../tenancy/cluster-access";
import { tenancyOf } from "../../tenancy/tenancy";
import type { HandlerFor } from "../handler";

/** Groups bindings by resource pattern, as DescribeAclsResponse lists them. */
function byResource(bindings: readonly AclBinding[]) {
  const groups = new Map<
    string,
    {
      resourceType: number;
      resourceName: string;
      patternType: number;
      acls: Array<{ principal: string; host: string; operation: number; permissionType: number }>;
    }
  >();
  for (const b of bindings) {
    const key = JSON.stringify([b.resourceType, b.resourceName, b.patternType]);
    let g = groups.get(key);
    if (g === undefined) {
      g = {
        resourceType: b.resourceType,
        resourceName: b.resourceName,
        patternType: b.patternType,
        acls: [],
      };
      groups.set(key, g);
    }
    g.acls.push({
      principal: b.principal,
      host: b.host,
      operation: b.operation,
      permissionType: b.permissionType,
    });
  }
  return [...groups.values()];
}

/** DescribeAcls (29), v1-3: the ACLs matching one filter; needs DESCRIBE on the cluster. */
export const describeAclsHandler: HandlerFor<ApiKey.DescribeAcls> = {
  apiKey: ApiKey.DescribeAcls,
  handle(req, ctx, broker) {
    const tenancy = tenancyOf(broker);
    const empty = { throttleTimeMs: 0, resources: [] };
    if (tenancy === null) {
      return {
        ...empty,
        errorCode: ErrorCode.SECURITY_DISABLED,
        errorMessage: "No Authorizer is configured on the broker",
      };
    }
    if (!authorizeCluster(tenancy, ctx, AclOperation.DESCRIBE)) {
      return { ...empty, errorCode: ErrorCode.CLUSTER_AUTHORIZATION_FAILED, errorMessage: null };
    }
    try {
      const filter = validateAclFilter({
        resourceType: req.resourceTypeFilter,
        resourceName: req.resourceNameFilter,
        patternType: req.patternTypeFilter,
        principal: req.principalFilter,
        host: req.hostFilter,
        operation: req.operation,
        permissionType: req.permissionType,
      });
      return {
        throttleTimeMs: 0,
        errorCode: ErrorCode.NONE,
        errorMessage: null,
        resources: byResource(tenancy.authorizer.describe(filter)),
      };
    } catch (err) {
      if (!(err instanceof InvalidAclError)) throw err;
      return { ...empty, errorCode: ErrorCode.INVALID_REQUEST, errorMessage: err.message };
    }
  },
};
