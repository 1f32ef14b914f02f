import type { ManifestInput } from "../../lib/manifest";

/** A small but complete manifest used across the manifest tests. */
export function sampleManifest(overrides: Partial<ManifestInput> = {}): ManifestInput {
  return {
    apiVersion: "sluice.dev/v1",
    cluster: "local",
    topics: [
      { name: "payments.events", partitions: 6, configs: { "retention.ms": "86400000" } },
      { name: "audit", partitions: 1, replicationFactor: 1 },
    ],
    principals: [
      { name: "payments-app", mechanism: "SCRAM-SHA-512", credential: { env: "PAYMENTS_PW" } },
    ],
    tenants: [
      {
        name: "payments",
        topicPrefix: "payments.",
        groupPrefix: "payments.",
        principals: ["payments-app"],
        limits: { storageBytes: 10_000_000_000, maxTopics: 10 },
      },
    ],
    acls: [
      {
        resourceType: "topic",
        resourceName: "audit",
        principal: "User:payments-app",
        operation: "write",
      },
    ],
    quotas: [{ entity: { user: "payments-app" }, values: { producer_byte_rate: 1_048_576 } }],
    ...overrides,
  };
}
