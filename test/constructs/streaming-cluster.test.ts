import * as fs from "node:fs";
import { afterAll, describe, expect, it } from "vitest";
import { Engine } from "../../lib/constructs/engine";
import { readLock, writeClusterLock } from "../../lib/constructs/sluice-lock";
import { manifestSchema } from "../../lib/manifest/schema";
import { clusterFixture, removeTempDirs, tempLockFile, validationErrors } from "./fixtures";

afterAll(removeTempDirs);

describe("StreamingCluster", () => {
  it("defaults to one bundled broker on port 9092 with a 10 GiB retained volume", () => {
    const { cluster } = clusterFixture({ engine: undefined });
    expect(cluster.engine.kind).toBe("bundled");
    expect(cluster.brokerCount).toBe(1);
    expect(cluster.brokers[0]?.hostPort).toBe(9092);
    expect(cluster.brokers[0]?.volume.volumeName).toBe("test-broker-0-data");
    expect(cluster.brokers[0]?.volume.sizeGiB).toBe(10);
    expect(cluster.bootstrapServers).toBe("127.0.0.1:9092");
  });

  it("gives broker i the port hostPort + i", () => {
    const { cluster } = clusterFixture({
      engine: Engine.apacheKafka({ version: "3.9.0" }),
      brokers: 3,
      hostPort: 19092,
    });
    expect(cluster.brokers.map((b) => b.hostPort)).toEqual([19092, 19093, 19094]);
    expect(cluster.bootstrapServers).toBe("127.0.0.1:19092,127.0.0.1:19093,127.0.0.1:19094");
    expect(cluster.addTopic("t").replicationFactor).toBe(3);
  });

  it.each([
    [
      { clusterName: "Bad_Name" },
      "clusterName = \"Bad_Name\" is not allowed: must be a lower-case DNS label: 1-63 characters of a-z, 0-9 and '-', not starting or ending with '-'",
    ],
    [{ brokers: 0 }, "brokers = 0 is not allowed: must be >= 1"],
    [{ brokerCpus: 0 }, "brokerCpus = 0 is not allowed: must be > 0 CPUs"],
    [
      { brokerMemoryMiB: 64 },
      "brokerMemoryMiB = 64 is not allowed: must be >= 128 MiB (the broker's Node.js heap needs it)",
    ],
    [{ storageGiB: -1 }, "storageGiB = -1 is not allowed: must be > 0 GiB"],
    [{ hostPort: 70000 }, "hostPort = 70000 is not allowed: must be a port in 1-65535"],
    [
      { publishAddress: "localhost" },
      'publishAddress = "localhost" is not allowed: must be an IPv4 or IPv6 address, e.g. 127.0.0.1',
    ],
    [
      { advertisedHost: "a b" },
      'advertisedHost = "a b" is not allowed: must be a host name or IP address',
    ],
    [
      { deletions: "everything" as "all" },
      'deletions = "everything" is not allowed: must be "none", "all", one of topics, configs',
    ],
    [
      { brokers: 3 },
      "brokers = 3 is not allowed: the bundled engine runs exactly 1 broker; use Engine.apacheKafka({ version }) for more",
    ],
  ])("refuses %j", (props, message) => {
    expect(() => clusterFixture(props)).toThrow(`test/cluster: ${message}`);
  });

  it("refuses two topics with the same name", () => {
    const { stack, cluster } = clusterFixture();
    cluster.addTopic("a", { topicName: "orders" });
    cluster.addTopic("b", { topicName: "orders" });
    expect(validationErrors(stack)).toContain(
      'test/cluster/topics/b: topicName = "orders" is not allowed: already used by test/cluster/topics/a; topic names are unique in a cluster',
    );
  });

  it("refuses topic names that collide once '.' and '_' are equated", () => {
    const { stack, cluster } = clusterFixture();
    cluster.addTopic("a", { topicName: "web.clicks" });
    cluster.addTopic("b", { topicName: "web_clicks" });
    expect(validationErrors(stack)).toContain(
      "test/cluster/topics/b: topicName = \"web_clicks\" is not allowed: collides with \"web.clicks\" (test/cluster/topics/a): Kafka treats '.' and '_' as equal in topic names; rename one",
    );
  });

  it("produces a manifest that the manifest schema accepts", () => {
    const { stack, cluster } = clusterFixture();
    cluster.addTopic("orders", { partitions: 3, retentionHours: 1 });
    const billing = cluster.addTenant("billing", {
      produceBytesPerSecond: 1000,
      cpus: 0.25,
      storageGiB: 1,
      maxTopics: 5,
    });
    billing.addTopic("payments");
    expect(validationErrors(stack)).toBe("");
    const manifest = manifestSchema.parse(cluster.toManifest());
    expect(manifest.topics.map((t) => [t.name, t.partitions, t.configs])).toEqual([
      ["billing.payments", 1, {}],
      ["orders", 3, { "retention.ms": "3600000" }],
    ]);
    expect(manifest.principals).toEqual([
      {
        name: "billing",
        mechanism: "SCRAM-SHA-512",
        credential: { env: "SLUICE_PASSWORD_BILLING_BILLING" },
        iterations: 8192,
      },
    ]);
    expect(manifest.tenants[0]?.limits).toEqual({ storageBytes: 1024 ** 3, maxTopics: 5 });
    expect(manifest.quotas).toEqual([
      { entity: { user: "billing" }, values: { producer_byte_rate: 1000, request_percentage: 25 } },
    ]);
    expect(manifest.acls).toHaveLength(4);
    expect(manifest.deletions).toBe("none");
  });

  it("passes an explicit deletion policy to the manifest", () => {
    const { cluster } = clusterFixture({ deletions: ["topics", "acls"] });
    expect(cluster.toManifest().deletions).toEqual(["topics", "acls"]);
  });

  it("has a manifest hash that is stable and changes with the desired state", () => {
    const a = clusterFixture().cluster;
    const b = clusterFixture().cluster;
    a.addTopic("orders");
    b.addTopic("orders");
    expect(a.manifestHash()).toBe(b.manifestHash());
    b.addTopic("more");
    expect(a.manifestHash()).not.toBe(b.manifestHash());
  });
});

describe("lock file", () => {
  it("records partitions and volume sizes at synth", () => {
    const lockFile = tempLockFile();
    const { stack, cluster } = clusterFixture({ lockFile });
    cluster.addTopic("orders", { partitions: 3 });
    expect(validationErrors(stack)).toBe("");
    expect(readLock(lockFile)).toEqual({
      lockVersion: 1,
      clusters: { test: { topics: { orders: 3 }, volumes: { "test-broker-0-data": 10 } } },
    });
  });

  it("allows growing partitions and records the new count", () => {
    const lockFile = tempLockFile();
    writeClusterLock(lockFile, "test", { topics: { orders: 3 }, volumes: {} });
    const { stack, cluster } = clusterFixture({ lockFile });
    cluster.addTopic("orders", { partitions: 6 });
    expect(validationErrors(stack)).toBe("");
    expect(readLock(lockFile).clusters["test"]?.topics).toEqual({ orders: 6 });
  });

  it("refuses a partition decrease and leaves the lock untouched", () => {
    const lockFile = tempLockFile();
    writeClusterLock(lockFile, "test", { topics: { orders: 3 }, volumes: {} });
    const before = fs.readFileSync(lockFile, "utf8");
    const { stack, cluster } = clusterFixture({ lockFile });
    cluster.addTopic("orders", { partitions: 2 });
    expect(validationErrors(stack)).toContain(
      `test/cluster/topics/orders: partitions = 2 is not allowed: lower than the 3 recorded in ${lockFile}; Kafka cannot remove partitions (keys would move to other partitions). Keep 3 or more, or set allowPartitionDecrease: true to acknowledge`,
    );
    expect(fs.readFileSync(lockFile, "utf8")).toBe(before);
  });

  it("accepts an acknowledged partition decrease", () => {
    const lockFile = tempLockFile();
    writeClusterLock(lockFile, "test", { topics: { orders: 3 }, volumes: {} });
    const { stack, cluster } = clusterFixture({ lockFile });
    cluster.addTopic("orders", { partitions: 2, allowPartitionDecrease: true });
    expect(validationErrors(stack)).toBe("");
    expect(readLock(lockFile).clusters["test"]?.topics).toEqual({ orders: 2 });
  });

  it("refuses a volume shrink unless acknowledged", () => {
    const lockFile = tempLockFile();
    writeClusterLock(lockFile, "test", { topics: {}, volumes: { "test-broker-0-data": 20 } });
    const refused = clusterFixture({ lockFile, storageGiB: 5 });
    expect(validationErrors(refused.stack)).toContain(
      `test/cluster/broker-0/data: sizeGiB = 5 is not allowed: lower than the 20 GiB recorded in ${lockFile}; data may no longer fit. Keep 20 or more, or set allowVolumeShrink: true to acknowledge`,
    );
    const acknowledged = clusterFixture({ lockFile, storageGiB: 5, allowVolumeShrink: true });
    expect(validationErrors(acknowledged.stack)).toBe("");
  });

  it("keeps other clusters' entries", () => {
    const lockFile = tempLockFile();
    writeClusterLock(lockFile, "other", { topics: { x: 1 }, volumes: {} });
    const { stack } = clusterFixture({ lockFile });
    expect(validationErrors(stack)).toBe("");
    expect(Object.keys(readLock(lockFile).clusters)).toEqual(["other", "test"]);
  });

  it("reports a corrupt lock file", () => {
    const lockFile = tempLockFile();
    fs.writeFileSync(lockFile, "{nope");
    const { stack } = clusterFixture({ lockFile });
    expect(validationErrors(stack)).toContain(
      `test/cluster: lockFile ${lockFile}: not valid JSON; fix it or delete it (the next synth recreates it)`,
    );
  });

  it("takes the lock file from the context when no prop is given", () => {
    const lockFile = tempLockFile();
    const { stack, cluster } = clusterFixture({}, {}, { "sluice:lockFile": lockFile });
    cluster.addTopic("orders", { partitions: 4 });
    expect(validationErrors(stack)).toBe("");
    expect(readLock(lockFile).clusters["test"]?.topics).toEqual({ orders: 4 });
  });
});

describe("StreamingCluster on Apache Kafka", () => {
  it.each([2, 4])(
    "refuses %i brokers on a Docker host: each is a KRaft controller and needs a majority",
    (brokers) => {
      expect(() =>
        clusterFixture({ engine: Engine.apacheKafka({ version: "4.1.0" }), brokers }),
      ).toThrow(
        `test/cluster: brokers = ${brokers} is not allowed: an odd number: on a Docker host each Apache Kafka broker is also a KRaft controller (combined mode), and the controllers need a majority; ${brokers} tolerates no more failures than ${brokers - 1}. Use ${brokers - 1} or ${brokers + 1}`,
      );
    },
  );
});
