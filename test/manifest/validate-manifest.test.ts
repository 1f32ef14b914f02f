import { describe, expect, it } from "vitest";
import { manifestSchema } from "../../lib/manifest";
import type { ClusterValidator } from "../../lib/manifest/cluster-admin";
import { validateManifest } from "../../lib/manifest/validate-manifest";
import { FakeCluster } from "./fake-cluster";
import { sampleManifest } from "./fixtures";

/** The fake cluster, validating as a broker would: partitions only grow, nothing else refused. */
class ValidatingFake extends FakeCluster implements ClusterValidator {
  async validateCreateTopic(): Promise<void> {}
  async validateCreatePartitions(topic: string, totalCount: number): Promise<void> {
    const current = this.topics.get(topic)?.partitions ?? 0;
    if (totalCount <= current) {
      throw new Error(
        `CreatePartitions ${topic}: INVALID_PARTITIONS (Topic currently has ${current} partitions)`,
      );
    }
  }
  async validateTopicConfigs(): Promise<void> {}
  async validateQuota(): Promise<void> {}
}

describe("validateManifest", () => {
  it("changes nothing, and lists what sluice apply would change", async () => {
    const cluster = new ValidatingFake();
    const result = await validateManifest(manifestSchema.parse(sampleManifest()), cluster);
    expect(result.refusals).toEqual([]);
    expect(result.changes.length).toBeGreaterThan(0);
    expect(cluster.topics.size).toBe(0);
    expect(cluster.calls).toEqual([]);
  });

  it("asks the broker about a partition decrease and reports its error", async () => {
    const cluster = new ValidatingFake();
    cluster.topics.set("audit", { partitions: 4, replicationFactor: 1, configs: new Map() });
    const result = await validateManifest(manifestSchema.parse(sampleManifest()), cluster);
    expect(result.refusals).toEqual([
      {
        subject: "topic",
        name: "audit",
        change: "partitions 4 → 1",
        error: "CreatePartitions audit: INVALID_PARTITIONS (Topic currently has 4 partitions)",
        by: "broker",
      },
    ]);
  });

  it("flags ACLs for users neither the cluster nor the manifest knows", async () => {
    const cluster = new ValidatingFake();
    const manifest = sampleManifest();
    const result = await validateManifest(
      manifestSchema.parse({
        ...manifest,
        acls: [
          ...(manifest.acls ?? []),
          {
            resourceType: "topic",
            resourceName: "audit",
            principal: "User:ghost",
            operation: "read",
          },
          {
            resourceType: "topic",
            resourceName: "audit",
            principal: "User:*",
            operation: "describe",
          },
        ],
      }),
      cluster,
    );
    expect(result.unknownPrincipalAcls.map((a) => a.principal)).toEqual(["User:ghost"]);
    cluster.scram.set("ghost", [{ mechanism: "SCRAM-SHA-512", iterations: 4096, password: "x" }]);
    const known = await validateManifest(
      manifestSchema.parse({
        ...manifest,
        acls: [
          {
            resourceType: "topic",
            resourceName: "audit",
            principal: "User:ghost",
            operation: "read",
          },
        ],
      }),
      cluster,
    );
    expect(known.unknownPrincipalAcls).toEqual([]);
  });
});
