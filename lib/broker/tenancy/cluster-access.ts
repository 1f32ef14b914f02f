import type { RequestContext } from "../server/handler";
import { type AclOperation, CLUSTER_RESOURCE_NAME, ResourceType } from "./acl-binding";
import type { Tenancy } from "./tenancy";

/** Whether the request's principal may perform `operation` on the cluster resource. */
export function authorizeCluster(
  tenancy: Tenancy,
  ctx: RequestContext,
  operation: AclOperation,
): boolean {
  return tenancy.authorize(ctx, operation, ResourceType.CLUSTER, CLUSTER_RESOURCE_NAME);
}
