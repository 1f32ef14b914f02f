import {
  Admin,
  Consumer,
  Producer,
  stringDeserializers,
  stringSerializers,
} from "@platformatic/kafka";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { platformaticSkipNote, platformaticSupported } from "./platformatic-support";
import { startTestBroker, type TestBroker } from "./test-broker";

const supported = platformaticSupported();

let tb: TestBroker;

beforeAll(async () => {
  if (supported) tb = await startTestBroker({ groups: { initialRebalanceDelayMs: 0 } });
});

afterAll(async () => {
  await tb?.destroy();
});

describe.skipIf(!supported)(
  `@platformatic/kafka (flexible versions)${platformaticSkipNote()}`,
  () => {
    it("creates, describes and deletes topics with the admin client", async () => {
      const admin = new Admin({ clientId: "pk-admin", bootstrapBrokers: [tb.bootstrap] });
      try {
        await admin.createTopics({ topics: ["pk-admin"], partitions: 2, replicas: 1 });
        const meta = await admin.metadata({ topics: ["pk-admin"] });
        expect(meta.topics.get("pk-admin")?.partitionsCount).toBe(2);
        const described = await admin.describeConfigs({
          resources: [{ resourceType: 2, resourceName: "pk-admin" }],
          includeSynonyms: true,
        });
        const names = described[0]?.configs.map((c) => c.name) ?? [];
        expect(names).toContain("retention.ms");
        expect(names).toContain("max.message.bytes");
        await admin.deleteTopics({ topics: ["pk-admin"] });
        const after = await admin.listTopics();
        expect(after).not.toContain("pk-admin");
      } finally {
        await admin.close();
      }
    });

    it("produces and consumes in a consumer group", async () => {
      const admin = new Admin({ clientId: "pk-admin2", bootstrapBrokers: [tb.bootstrap] });
      await admin.createTopics({ topics: ["pk-data"], partitions: 2, replicas: 1 });
      await admin.close();
      const producer = new Producer({
        clientId: "pk-producer",
        bootstrapBrokers: [tb.bootstrap],
        serializers: stringSerializers,
      });
      const count = 10;
      try {
        await producer.send({
          messages: Array.from({ length: count }, (_, i) => ({
            topic: "pk-data",
            key: `k${i}`,
            value: `v${i}`,
            partition: i % 2,
          })),
        });
      } finally {
        await producer.close();
      }
      const consumer = new Consumer({
        groupId: "pk-group",
        clientId: "pk-consumer",
        bootstrapBrokers: [tb.bootstrap],
        deserializers: stringDeserializers,
        maxWaitTime: 200,
      });
      const seen = new Set<string>();
      try {
        const stream = await consumer.consume({ topics: ["pk-data"], mode: "earliest" });
        for await (const message of stream) {
          seen.add(message.value);
          if (seen.size === count) break;
        }
        await stream.close();
      } finally {
        await consumer.close(true);
      }
      expect([...seen].sort()).toEqual(Array.from({ length: count }, (_, i) => `v${i}`).sort());
    });
  },
);
