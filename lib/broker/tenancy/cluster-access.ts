import { ErrorCode } from "../protocol";
import type { RequestContext } from "../server/handler";
import { type AclOperation, CLUSTER_RESOURCE_NAME, ResourceType } from "./acl-binding";
import { type Tenancy, tenancyOf } from "./tenancy";

/** Whether the request's principal may perform `operation` on the cluster resource. */
export function authorizeCluster(
  tenancy: Tenancy,
  ctx: RequestContext,
  operation: AclOperation,
): boolean {
  return tenancy.authorize(ctx, operation, ResourceType.CLUSTER, CLUSTER_RESOURCE_NAME);
}

/** Outcome of {@link clusterGate}: the tenancy to use, or the error code every answer entry carries. */
export type ClusterGate = { readonly tenancy: Tenancy } | { readonly errorCode: number };

/**
 * The gate of the cluster-level admin APIs (ACL, quota and SCRAM changes): SECURITY_DISABLED when the
 * broker runs without tenancy, CLUSTER_AUTHORIZATION_FAILED when the principal lacks `operation` on the
 * cluster, else the broker's tenancy.
 */
export function clusterGate(
  services: object,
  ctx: RequestContext,
  operation: AclOperation,
): ClusterGate {
  const tenancy = tenancyOf(services);
  if (tenancy === null) return { errorCode: ErrorCode.SECURITY_DISABLED };
  if (!authorizeCluster(tenancy, ctx, operation))
    return { errorCode: ErrorCode.CLUSTER_AUTHORIZATION_FAILED };
  return { tenancy };
}
