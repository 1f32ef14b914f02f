import { TerraformVariable, Token } from "cdktf";
import { describe, expect, it } from "vitest";
import { CleanupPolicy } from "../../lib/constructs/cleanup-policy";
import { Engine } from "../../lib/constructs/engine";
import { SluiceValidationError } from "../../lib/constructs/sluice-validation-error";
import { topicConfigs } from "../../lib/constructs/topic";
import { clusterFixture, validationErrors } from "./fixtures";

describe("Topic", () => {
  it("defaults to the construct id as name, 1 partition and a replication factor of min(brokers, 3)", () => {
    const { cluster } = clusterFixture();
    const topic = cluster.addTopic("orders");
    expect(topic.topicName).toBe("orders");
    expect(topic.partitions).toBe(1);
    expect(topic.replicationFactor).toBe(1);
    expect(topic.kafkaConfigs).toEqual({});
  });

  it("maps typed settings onto Kafka topic configs", () => {
    expect(
      topicConfigs({
        retentionHours: 2,
        retentionBytes: 1024,
        cleanupPolicy: CleanupPolicy.COMPACT_DELETE,
        maxMessageBytes: 2_000_000,
        minInsyncReplicas: 1,
        segmentBytes: 1_048_576,
      }),
    ).toEqual({
      "retention.ms": "7200000",
      "retention.bytes": "1024",
      "cleanup.policy": "compact,delete",
      "max.message.bytes": "2000000",
      "min.insync.replicas": "1",
      "segment.bytes": "1048576",
    });
  });

  it("keeps records forever with retentionHours -1", () => {
    expect(topicConfigs({ retentionHours: -1 })).toEqual({ "retention.ms": "-1" });
  });

  it("throws a SluiceValidationError naming path, field, value and rule", () => {
    const { cluster } = clusterFixture();
    let error: unknown;
    try {
      cluster.addTopic("orders", { partitions: 0 });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(SluiceValidationError);
    const v = error as SluiceValidationError;
    expect(v.constructPath).toBe("test/cluster/topics/orders");
    expect(v.field).toBe("partitions");
    expect(v.given).toBe(0);
    expect(v.message).toBe(
      "test/cluster/topics/orders: partitions = 0 is not allowed: must be >= 1 (at least 1 partition)",
    );
  });

  it.each([
    ["a".repeat(250), "must be at most 249 characters (Kafka's limit)"],
    ["bad name", "must be 1-249 characters of a-z, A-Z, 0-9, '.', '_' or '-'"],
    ["ümlaut", "must be 1-249 characters of a-z, A-Z, 0-9, '.', '_' or '-'"],
    [".", "must not be '.' or '..'"],
    ["..", "must not be '.' or '..'"],
    ["__consumer_offsets", "must not start with '__' (reserved for Kafka's internal topics)"],
  ])("refuses the topic name %j", (name, rule) => {
    const { cluster } = clusterFixture();
    expect(() => cluster.addTopic("t", { topicName: name })).toThrow(
      `test/cluster/topics/t: topicName = ${JSON.stringify(name)} is not allowed: ${rule}`,
    );
  });

  it("accepts a 249-character name of every legal character class", () => {
    const { cluster } = clusterFixture();
    const name = `aZ09._-${"x".repeat(242)}`;
    expect(cluster.addTopic("t", { topicName: name }).topicName).toBe(name);
  });

  it.each([
    [
      { replicationFactor: 0 },
      "replicationFactor = 0 is not allowed: must be >= 1 (at least 1 replica)",
    ],
    [
      { retentionHours: 0 },
      "retentionHours = 0 is not allowed: must be > 0 hours, or -1 to keep records forever",
    ],
    [
      { retentionBytes: -2 },
      "retentionBytes = -2 is not allowed: must be > 0 bytes, or -1 for no size limit",
    ],
    [{ maxMessageBytes: 1.5 }, "maxMessageBytes = 1.5 is not allowed: must be an integer (bytes)"],
    [
      { minInsyncReplicas: 0 },
      "minInsyncReplicas = 0 is not allowed: must be >= 1 (at least 1 replica)",
    ],
    [
      { segmentBytes: 10 },
      "segmentBytes = 10 is not allowed: must be >= 14 (bytes; Kafka's minimum is 14)",
    ],
    [{ partitions: 100_001 }, "partitions = 100001 is not allowed: must be <= 100000"],
    [
      { cleanupPolicy: "forever" as CleanupPolicy },
      'cleanupPolicy = "forever" is not allowed: must be CleanupPolicy.DELETE, COMPACT or COMPACT_DELETE',
    ],
  ])("refuses %j", (options, message) => {
    const { cluster } = clusterFixture();
    expect(() => cluster.addTopic("t", options)).toThrow(`test/cluster/topics/t: ${message}`);
  });

  it("skips values that are unresolved tokens (known only at deploy time)", () => {
    const { stack, cluster } = clusterFixture();
    const partitions = new TerraformVariable(stack, "partitions", { type: "number" });
    const topic = cluster.addTopic("orders", {
      partitions: partitions.numberValue,
      maxMessageBytes: Token.asNumber(partitions.value),
    });
    expect(Token.isUnresolved(topic.partitions)).toBe(true);
    // …but the manifest needs the number at synth.
    expect(validationErrors(stack)).toContain(
      "test/cluster/topics/orders: partitions is a deploy-time value, which is not allowed: topic settings go into the manifest at synth; give a number",
    );
  });

  it("refuses a replication factor above the broker count at synth", () => {
    const { stack, cluster } = clusterFixture();
    cluster.addTopic("orders", { replicationFactor: 3 });
    expect(validationErrors(stack)).toContain(
      "test/cluster/topics/orders: replicationFactor = 3 is not allowed: must be <= the cluster's 1 broker(s); lower it or add brokers",
    );
  });

  it("refuses min.insync.replicas above the replication factor at synth", () => {
    const { stack, cluster } = clusterFixture();
    cluster.addTopic("orders", { minInsyncReplicas: 2 });
    expect(validationErrors(stack)).toContain(
      "test/cluster/topics/orders: minInsyncReplicas = 2 is not allowed: must be <= replicationFactor (1), or every acks=all write fails",
    );
  });

  it("defaults to replication factor 3 and min.insync.replicas 2 on three or more brokers", () => {
    const { cluster } = clusterFixture({
      engine: Engine.apacheKafka({ version: "4.1.0" }),
      brokers: 3,
    });
    const topic = cluster.addTopic("orders");
    expect(topic.replicationFactor).toBe(3);
    expect(topic.kafkaConfigs).toEqual({ "min.insync.replicas": "2" });
    const single = cluster.addTopic("scratch", { replicationFactor: 1 });
    expect(single.kafkaConfigs).toEqual({});
    const given = cluster.addTopic("audit", { minInsyncReplicas: 3 });
    expect(given.kafkaConfigs).toEqual({ "min.insync.replicas": "3" });
  });
});
