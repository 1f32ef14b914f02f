import { ErrorCode } from "../protocol";
import type { Tenant } from "./tenant";

/** What a tenant uses now (computed by the caller from the topic registry and the logs). */
export interface TenantUsage {
  readonly topics: number;
  readonly partitions: number;
  readonly storageBytes: number;
  readonly connections: number;
}

/** A decision: allowed, or a Kafka error code with a message naming the tenant and the limit. */
export type LimitDecision =
  | { readonly allowed: true }
  | { readonly allowed: false; readonly errorCode: number; readonly errorMessage: string };

const ALLOWED: LimitDecision = { allowed: true };

function deny(errorCode: number, errorMessage: string): LimitDecision {
  return { allowed: false, errorCode, errorMessage };
}

/** A topic to create, or partitions to add to an existing one. */
export interface PartitionRequest {
  readonly name: string;
  /** Partitions the request adds (a new topic's partition count, or the increase). */
  readonly addPartitions: number;
}

/**
 * The tenant limits Kafka lacks, as pure decisions over usage numbers the caller supplies. Errors are
 * POLICY_VIOLATION (44, what Kafka's CreateTopicPolicy answers) with a message naming the tenant, the
 * limit and the usage, so the client shows something actionable; nothing is ever deleted to make room.
 */
export const TenantLimits = {
  /**
   * CreateTopics: decides each topic in request order, counting the ones allowed before it (a batch
   * cannot sneak past the limit). `null` tenant = unlimited.
   */
  createTopics(
    tenant: Tenant | null,
    usage: TenantUsage,
    topics: readonly PartitionRequest[],
  ): LimitDecision[] {
    if (tenant === null) return topics.map(() => ALLOWED);
    let topicCount = usage.topics;
    let partitionCount = usage.partitions;
    const { maxTopics, maxPartitions } = tenant.limits;
    return topics.map((t) => {
      if (maxTopics !== undefined && topicCount + 1 > maxTopics) {
        return deny(
          ErrorCode.POLICY_VIOLATION,
          `tenant ${tenant.name} has reached its limit of ${maxTopics} topics (it has ${topicCount}); cannot create ${t.name}`,
        );
      }
      if (maxPartitions !== undefined && partitionCount + t.addPartitions > maxPartitions) {
        return deny(
          ErrorCode.POLICY_VIOLATION,
          `tenant ${tenant.name} is limited to ${maxPartitions} partitions (it has ${partitionCount}); topic ${t.name} would add ${t.addPartitions}`,
        );
      }
      topicCount += 1;
      partitionCount += t.addPartitions;
      return ALLOWED;
    });
  },

  /** CreatePartitions: like {@link TenantLimits.createTopics} for partition increases only. */
  createPartitions(
    tenant: Tenant | null,
    usage: TenantUsage,
    increases: readonly PartitionRequest[],
  ): LimitDecision[] {
    if (tenant === null) return increases.map(() => ALLOWED);
    let partitionCount = usage.partitions;
    const { maxPartitions } = tenant.limits;
    return increases.map((t) => {
      if (maxPartitions !== undefined && partitionCount + t.addPartitions > maxPartitions) {
        return deny(
          ErrorCode.POLICY_VIOLATION,
          `tenant ${tenant.name} is limited to ${maxPartitions} partitions (it has ${partitionCount}); adding ${t.addPartitions} to ${t.name} would exceed it`,
        );
      }
      partitionCount += t.addPartitions;
      return ALLOWED;
    });
  },

  /**
   * Produce: refused when the batch would take the tenant's stored bytes past its storage limit
   * (checked before the append, so nothing already written is touched). Producing works again as
   * soon as retention or DeleteRecords frees space.
   */
  produce(tenant: Tenant | null, usage: TenantUsage, incomingBytes: number): LimitDecision {
    const limit = tenant?.limits.storageBytes;
    if (tenant === null || limit === undefined || usage.storageBytes + incomingBytes <= limit) {
      return ALLOWED;
    }
    return deny(
      ErrorCode.POLICY_VIOLATION,
      `tenant ${tenant.name} has reached its storage limit of ${limit} bytes (it stores ${usage.storageBytes}, this produce adds ${incomingBytes}); produce again after retention frees space`,
    );
  },

  /**
   * A new authenticated connection: `usage.connections` counts the tenant's connections before this
   * one. Refused with SASL_AUTHENTICATION_FAILED (the client reports it and the broker closes the
   * connection, as for any failed authentication).
   */
  connection(tenant: Tenant | null, usage: TenantUsage): LimitDecision {
    const limit = tenant?.limits.maxConnections;
    if (tenant === null || limit === undefined || usage.connections < limit) return ALLOWED;
    return deny(
      ErrorCode.SASL_AUTHENTICATION_FAILED,
      `tenant ${tenant.name} has reached its limit of ${limit} connections`,
    );
  },
};
