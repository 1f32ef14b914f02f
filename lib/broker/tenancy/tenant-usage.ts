import type { BrokerServices } from "../server/broker-services";
import type { Tenancy } from "./tenancy";
import type { Tenant } from "./tenant";
import type { TenantUsage } from "./tenant-limits";

/**
 * Measures what a tenant uses now from the broker's topic registry and partition logs (topics and
 * partitions whose names start with its prefix, their bytes on disk, its authenticated connections).
 * O(topics + partitions): called only by the requests the limits guard (CreateTopics,
 * CreatePartitions, Produce of a tenant with a storage limit).
 */
export function measureTenantUsage(
  broker: Pick<BrokerServices, "topics" | "logs">,
  tenancy: Tenancy,
  tenant: Tenant,
): TenantUsage {
  let topics = 0;
  let partitions = 0;
  for (const t of broker.topics.list()) {
    if (tenancy.tenants.ownerOf("topic", t.name) === tenant) {
      topics++;
      partitions += t.partitions;
    }
  }
  let storageBytes = 0;
  if (tenant.limits.storageBytes !== undefined) {
    for (const log of broker.logs.all()) {
      if (tenancy.tenants.ownerOf("topic", log.topic) === tenant) storageBytes += log.sizeBytes();
    }
  }
  return { topics, partitions, storageBytes, connections: tenancy.connectionsOf(tenant) };
}
