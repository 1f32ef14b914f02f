import { Kafka, logLevel } from "kafkajs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestBroker, type TestBroker } from "./test-broker";

let tb: TestBroker;
let kafka: Kafka;

beforeAll(async () => {
  tb = await startTestBroker({ groups: { initialRebalanceDelayMs: 0 } });
  kafka = new Kafka({
    clientId: "kafkajs-test",
    brokers: [tb.bootstrap],
    logLevel: logLevel.NOTHING,
    retry: { retries: 3, initialRetryTime: 50 },
  });
});

afterAll(async () => {
  await tb?.destroy();
});

describe("kafkajs against the broker", () => {
  it("creates, lists and deletes topics with the admin client", async () => {
    const admin = kafka.admin();
    await admin.connect();
    try {
      expect(await admin.createTopics({ topics: [{ topic: "admin-a", numPartitions: 3 }] })).toBe(
        true,
      );
      expect(await admin.listTopics()).toContain("admin-a");
      const meta = await admin.fetchTopicMetadata({ topics: ["admin-a"] });
      expect(meta.topics[0]?.partitions).toHaveLength(3);
      await admin.deleteTopics({ topics: ["admin-a"] });
      expect(await admin.listTopics()).not.toContain("admin-a");
    } finally {
      await admin.disconnect();
    }
  });

  it("rejects a replication factor above 1", async () => {
    const admin = kafka.admin();
    await admin.connect();
    try {
      const err = await admin
        .createTopics({ topics: [{ topic: "rf3", replicationFactor: 3 }] })
        .then(
          () => null,
          (e: unknown) => e as { errors?: { type?: string }[] },
        );
      expect(err?.errors?.[0]?.type).toBe("INVALID_REPLICATION_FACTOR");
      expect(await admin.listTopics()).not.toContain("rf3");
    } finally {
      await admin.disconnect();
    }
  });

  it("describes every topic config with defaults and overrides", async () => {
    const admin = kafka.admin();
    await admin.connect();
    try {
      await admin.createTopics({
        topics: [{ topic: "cfg", configEntries: [{ name: "retention.ms", value: "1234" }] }],
      });
      const res = await admin.describeConfigs({
        resources: [{ type: 2, name: "cfg" }],
        includeSynonyms: true,
      });
      const entries = res.resources[0]?.configEntries ?? [];
      const byName = new Map(entries.map((e) => [e.configName, e]));
      expect(byName.get("retention.ms")?.configValue).toBe("1234");
      expect(byName.get("retention.ms")?.isDefault).toBe(false);
      expect(byName.get("segment.bytes")?.configValue).toBe("1073741824");
      expect(byName.get("cleanup.policy")?.configValue).toBe("delete");
      expect(entries.length).toBeGreaterThan(20);
    } finally {
      await admin.disconnect();
    }
  });

  it("produces and consumes through a consumer group", async () => {
    const admin = kafka.admin();
    await admin.connect();
    await admin.createTopics({ topics: [{ topic: "pc", numPartitions: 2 }] });
    await admin.disconnect();
    const producer = kafka.producer();
    await producer.connect();
    const sent = 20;
    await producer.send({
      topic: "pc",
      acks: -1,
      messages: Array.from({ length: sent }, (_, i) => ({ key: `k${i}`, value: `v${i}` })),
    });
    await producer.disconnect();
    const consumer = kafka.consumer({ groupId: "pc-group", maxWaitTimeInMs: 100 });
    await consumer.connect();
    await consumer.subscribe({ topic: "pc", fromBeginning: true });
    const seen = new Set<string>();
    await new Promise<void>((resolve) => {
      void consumer.run({
        eachMessage: async ({ message }) => {
          seen.add(message.value?.toString() ?? "");
          if (seen.size === sent) resolve();
        },
      });
    });
    await consumer.disconnect();
    expect(seen.size).toBe(sent);
  });

  it("produces with gzip compression and reads it back", async () => {
    const { CompressionTypes } = await import("kafkajs");
    const producer = kafka.producer();
    await producer.connect();
    const [res] = await producer.send({
      topic: "gz",
      compression: CompressionTypes.GZIP,
      messages: [{ value: "compressed-1" }, { value: "compressed-2" }],
    });
    expect(res?.errorCode).toBe(0);
    await producer.disconnect();
    const consumer = kafka.consumer({ groupId: "gz-group", maxWaitTimeInMs: 100 });
    await consumer.connect();
    await consumer.subscribe({ topic: "gz", fromBeginning: true });
    const values: string[] = [];
    await new Promise<void>((resolve) => {
      void consumer.run({
        eachMessage: async ({ message }) => {
          values.push(message.value?.toString() ?? "");
          if (values.length === 2) resolve();
        },
      });
    });
    await consumer.disconnect();
    expect(values).toEqual(["compressed-1", "compressed-2"]);
  });
});
