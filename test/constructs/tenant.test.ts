import { describe, expect, it } from "vitest";
import { Engine } from "../../lib/constructs/engine";
import { SaslMechanism } from "../../lib/constructs/sasl-mechanism";
import { StreamingCluster } from "../../lib/constructs/streaming-cluster";
import { credentialEnvName } from "../../lib/constructs/tenant";
import { DockerHost } from "../../lib/targets/docker/docker-host";
import { clusterFixture, validationErrors } from "./fixtures";

describe("Tenant", () => {
  it("defaults prefixes to `<name>.`, one principal named after the tenant, SCRAM-SHA-512", () => {
    const { cluster } = clusterFixture();
    const tenant = cluster.addTenant("billing");
    expect(tenant.tenantName).toBe("billing");
    expect(tenant.topicPrefix).toBe("billing.");
    expect(tenant.groupPrefix).toBe("billing.");
    expect(tenant.saslMechanism).toBe(SaslMechanism.SCRAM_SHA_512);
    expect(tenant.principals).toEqual([
      { name: "billing", credentialEnv: "SLUICE_PASSWORD_BILLING_BILLING" },
    ]);
  });

  it("owns its prefixes through prefixed ACLs", () => {
    const { cluster } = clusterFixture();
    const tenant = cluster.addTenant("billing", { topicPrefix: "bill-", groupPrefix: "bill-grp-" });
    expect(tenant.grants).toEqual([
      { resourceType: "topic", patternType: "prefixed", resourceName: "bill-", operation: "all" },
      {
        resourceType: "group",
        patternType: "prefixed",
        resourceName: "bill-grp-",
        operation: "all",
      },
      {
        resourceType: "transactionalId",
        patternType: "prefixed",
        resourceName: "bill-",
        operation: "all",
      },
      {
        resourceType: "cluster",
        patternType: "literal",
        resourceName: "kafka-cluster",
        operation: "idempotentWrite",
      },
    ]);
  });

  it("addTopic prefixes the topic name with the tenant's prefix", () => {
    const { cluster } = clusterFixture();
    const topic = cluster.addTenant("billing").addTopic("payments", { partitions: 2 });
    expect(topic.topicName).toBe("billing.payments");
    expect(cluster.topics.map((t) => t.topicName)).toEqual(["billing.payments"]);
    expect(topic.node.path).toBe("test/cluster/topics/billing.payments");
  });

  it("lets two tenants own topics with the same short name", () => {
    const { cluster } = clusterFixture();
    cluster.addTenant("a").addTopic("payments");
    cluster.addTenant("b").addTopic("payments");
    expect(cluster.topics.map((t) => t.topicName)).toEqual(["a.payments", "b.payments"]);
  });

  it("grantProduce allows write and describe on exactly that topic, once", () => {
    const { cluster } = clusterFixture();
    const orders = cluster.addTopic("orders");
    const tenant = cluster.addTenant("billing");
    tenant.grantProduce(orders);
    tenant.grantProduce(orders);
    expect(tenant.grants.slice(4)).toEqual([
      { resourceType: "topic", patternType: "literal", resourceName: "orders", operation: "write" },
      {
        resourceType: "topic",
        patternType: "literal",
        resourceName: "orders",
        operation: "describe",
      },
    ]);
  });

  it("grantConsume allows read on the topic, and on a group outside the tenant's prefix", () => {
    const { cluster } = clusterFixture();
    const orders = cluster.addTopic("orders");
    const tenant = cluster.addTenant("analytics");
    tenant.grantConsume(orders, "shared-readers");
    tenant.grantConsume(orders, "analytics.own-group");
    expect(tenant.grants.slice(4)).toEqual([
      { resourceType: "topic", patternType: "literal", resourceName: "orders", operation: "read" },
      {
        resourceType: "topic",
        patternType: "literal",
        resourceName: "orders",
        operation: "describe",
      },
      {
        resourceType: "group",
        patternType: "literal",
        resourceName: "shared-readers",
        operation: "read",
      },
    ]);
  });

  it("derives credential variable names that are valid environment variable names", () => {
    expect(credentialEnvName("team-a", "svc.writer@x")).toBe("SLUICE_PASSWORD_TEAM_A_SVC_WRITER_X");
  });

  it.each([
    [
      { tenantName: "Billing" },
      "tenantName = \"Billing\" is not allowed: must be a lower-case DNS label: 1-63 characters of a-z, 0-9 and '-', not starting or ending with '-'",
    ],
    [
      { topicPrefix: "" },
      "topicPrefix = \"\" is not allowed: must be non-empty, of a-z, A-Z, 0-9, '.', '_' or '-'",
    ],
    [
      { topicPrefix: "__x" },
      "topicPrefix = \"__x\" is not allowed: must not start with '__' (internal topics)",
    ],
    [
      { groupPrefix: "a b" },
      "groupPrefix = \"a b\" is not allowed: must be non-empty, of a-z, A-Z, 0-9, '.', '_' or '-'",
    ],
    [{ principals: [] }, "principals = [] is not allowed: needs at least one principal"],
    [{ principals: ["a", "a"] }, 'principals = ["a","a"] is not allowed: must not repeat a name'],
    [
      { principals: ["a:b"] },
      'principals.0 = "a:b" is not allowed: each must be 1-255 characters of A-Z, a-z, 0-9, . _ @ + -',
    ],
    [
      { saslMechanism: "GSSAPI" as SaslMechanism },
      'saslMechanism = "GSSAPI" is not allowed: must be a SaslMechanism',
    ],
    [
      { produceBytesPerSecond: 0 },
      "produceBytesPerSecond = 0 is not allowed: must be > 0 (bytes per second)",
    ],
    [
      // Kafka's byte-rate quotas are whole numbers; a fraction would fail only at apply time.
      { produceBytesPerSecond: 1000.5 },
      "produceBytesPerSecond = 1000.5 is not allowed: must be an integer (bytes per second)",
    ],
    [
      { consumeBytesPerSecond: -1 },
      "consumeBytesPerSecond = -1 is not allowed: must be > 0 (bytes per second)",
    ],
    [{ storageGiB: 0 }, "storageGiB = 0 is not allowed: must be > 0 (GiB)"],
    [{ cpus: 0 }, "cpus = 0 is not allowed: must be > 0 (CPUs)"],
    [{ memoryMiB: 1.5 }, "memoryMiB = 1.5 is not allowed: must be an integer (MiB)"],
    [{ maxTopics: 0 }, "maxTopics = 0 is not allowed: must be > 0 (topics)"],
    [{ maxPartitions: 0 }, "maxPartitions = 0 is not allowed: must be > 0 (partitions)"],
    [{ maxConnections: 0 }, "maxConnections = 0 is not allowed: must be > 0 (connections)"],
  ])("refuses %j", (options, message) => {
    const { cluster } = clusterFixture();
    expect(() => cluster.addTenant("t", options)).toThrow(`test/cluster/tenants/t: ${message}`);
  });

  it("refuses overlapping topic prefixes at synth", () => {
    const { stack, cluster } = clusterFixture();
    cluster.addTenant("pay", { topicPrefix: "pay", groupPrefix: "g1." });
    cluster.addTenant("payroll", { topicPrefix: "payroll.", groupPrefix: "g2." });
    expect(validationErrors(stack)).toContain(
      'test/cluster/tenants/payroll: topicPrefix = "payroll." is not allowed: overlaps tenant "pay" (topicPrefix "pay"): one tenant would own the other\'s topics; prefixes must not start with one another',
    );
  });

  it("refuses overlapping group prefixes at synth", () => {
    const { stack, cluster } = clusterFixture();
    cluster.addTenant("a", { groupPrefix: "shared" });
    cluster.addTenant("b", { groupPrefix: "shared" });
    expect(validationErrors(stack)).toContain(
      'test/cluster/tenants/b: groupPrefix = "shared" is not allowed: overlaps tenant "a" (groupPrefix "shared"): one tenant would own the other\'s groups; prefixes must not start with one another',
    );
  });

  it("refuses a tenant name used twice", () => {
    const { stack, cluster } = clusterFixture();
    cluster.addTenant("a", { tenantName: "same", topicPrefix: "x.", groupPrefix: "x." });
    cluster.addTenant("b", {
      tenantName: "same",
      topicPrefix: "y.",
      groupPrefix: "y.",
      principals: ["other"],
    });
    expect(validationErrors(stack)).toContain(
      'test/cluster/tenants/b: tenantName = "same" is not allowed: already used by test/cluster/tenants/a',
    );
  });

  it("refuses a principal shared by two tenants", () => {
    const { stack, cluster } = clusterFixture();
    cluster.addTenant("a", { principals: ["svc"] });
    cluster.addTenant("b", { principals: ["svc"] });
    expect(validationErrors(stack)).toContain(
      'test/cluster/tenants/b: principals = "svc" is not allowed: already a principal of tenant "a"; a principal acts for one tenant',
    );
  });

  it("refuses a grant on a topic its cluster does not have, naming the grant and the topic", () => {
    const { stack, cluster } = clusterFixture();
    const other = new StreamingCluster(stack, "other", {
      target: new DockerHost(stack, "other-host", {}),
      clusterName: "other",
      engine: Engine.bundled({ prebuiltImage: "sluice:test" }),
      hostPort: 9093,
    });
    const elsewhere = other.addTopic("orders");
    cluster.addTopic("orders");
    const billing = cluster.addTenant("billing");
    billing.grantProduce(elsewhere);
    billing.grantConsume({ topicName: "clicks", partitions: 1 });
    billing.grantConsume({ topicName: "orders", partitions: 3 }); // a plain ITopic of a declared name
    const errors = validationErrors(stack);
    expect(errors).toContain(
      "test/cluster/tenants/billing: grantProduce(topic) = \"orders\" is not allowed: a topic of this tenant's cluster test/cluster (test/other/topics/orders belongs to another cluster; declare it with cluster.addTopic, or grant on the other cluster's tenant)",
    );
    expect(errors).toContain(
      'test/cluster/tenants/billing: grantConsume(topic) = "clicks" is not allowed: a topic of this tenant\'s cluster test/cluster (no topic of that name is declared;',
    );
    expect(errors).not.toContain('grantConsume(topic) = "orders"');
  });

  it("accepts grants on the cluster's own topics, and on other tenants' topics", () => {
    const { stack, cluster } = clusterFixture();
    const orders = cluster.addTopic("orders");
    const billing = cluster.addTenant("billing");
    const payments = billing.addTopic("payments");
    billing.grantProduce(orders);
    cluster.addTenant("analytics").grantConsume(payments);
    expect(validationErrors(stack)).toBe("");
  });

  it("accepts disjoint prefixes", () => {
    const { stack, cluster } = clusterFixture();
    cluster.addTenant("billing");
    cluster.addTenant("analytics");
    expect(validationErrors(stack)).toBe("");
  });
});
