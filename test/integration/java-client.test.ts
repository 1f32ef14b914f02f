import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTopics, uniqueName } from "./support/admin";
import { BrokerUnderTest } from "./support/broker-under-test";
import { kafkaVersion, runJava } from "./support/clients";

// The Java client (kafka-clients 4.x from Maven Central): the reference implementation and the
// strictest about protocol details. Programs live in test/integration/java/.
interface Produced {
  enableIdempotence: string;
  acks: string;
  sent: number;
  acked: string[];
  failed: string[];
  maxOffsetByPartition: Record<string, number>;
}
interface Consumed {
  count: number;
  timedOut: boolean;
  records: { p: number; o: number; v: string }[];
  committed: Record<string, number | null>;
  commitErrors: string[];
}
interface Membership {
  steps: { step: string; assignment: Record<string, number[]> }[];
  failure: string | null;
  seenCount: number;
}
interface AdminReport {
  nodes: number[];
  controller: number;
  created: boolean;
  duplicateCreate: string;
  describedPartitions: number;
  leaders: number[];
  topicConfigs: Record<string, unknown> & { count: number };
  brokerConfigCount: number;
  brokerNumPartitions: string | null;
  deleted: boolean;
  goneAfterDelete: boolean;
}

let broker: BrokerUnderTest;
beforeAll(async () => {
  broker = await BrokerUnderTest.start();
});
afterAll(async () => {
  await broker?.stop();
});

describe(`Java kafka-clients ${kafkaVersion} against ${process.env.SLUICE_TARGET ?? "sluice"}`, () => {
  it("producer with default settings (idempotent, acks=all) gets every record acknowledged", async () => {
    const topic = uniqueName("java-produce");
    await createTopics(broker.bootstrap, [{ topic, partitions: 1 }]);
    const p = (await runJava(
      "ProduceDefaults",
      { bootstrap: broker.bootstrap, topic, count: 500 },
      90_000,
    )) as Produced;
    expect(p.enableIdempotence).toBe("true");
    expect(p.acks).toBe("-1");
    expect(p.failed).toEqual([]);
    expect(p.acked).toHaveLength(500);
    expect(p.maxOffsetByPartition).toEqual({ "0": 499 });

    const c = (await runJava(
      "ConsumeGroup",
      { bootstrap: broker.bootstrap, topic, group: uniqueName("java-check"), max: 500 },
      90_000,
    )) as Consumed;
    expect(c.timedOut).toBe(false);
    expect(c.records.map((r) => r.o)).toEqual(Array.from({ length: 500 }, (_, i) => i));
    expect(c.records.map((r) => r.v)).toEqual(Array.from({ length: 500 }, (_, i) => `v-${i}`));
    expect(c.committed).toEqual({ [`${topic}-0`]: 500 });
  });

  it("consumer group with 3 members joining and leaving rebalances every partition", async () => {
    const topic = uniqueName("java-members");
    await createTopics(broker.bootstrap, [{ topic, partitions: 6 }]);
    await runJava("ProduceDefaults", { bootstrap: broker.bootstrap, topic, count: 120 }, 90_000);
    const m = (await runJava(
      "GroupMembership",
      { bootstrap: broker.bootstrap, topic, group: uniqueName("java-members"), partitions: 6 },
      200_000,
    )) as Membership;
    expect(m.failure).toBeNull();
    expect(m.steps.map((s) => [s.step, Object.keys(s.assignment).length])).toEqual([
      ["join member-1", 1],
      ["join member-2", 2],
      ["join member-3", 3],
      ["leave member-3", 2],
      ["leave member-2", 1],
    ]);
    // With three members each holds two of the six partitions (the default range assignor).
    const three = m.steps[2]?.assignment ?? {};
    expect(Object.values(three).map((ps) => ps.length)).toEqual([2, 2, 2]);
    expect(m.seenCount).toBe(120);
  });

  it("commits, and resumes from the committed offset after a broker restart", async () => {
    const topic = uniqueName("java-resume");
    const group = uniqueName("java-resume");
    await createTopics(broker.bootstrap, [{ topic, partitions: 1 }]);
    await runJava("ProduceDefaults", { bootstrap: broker.bootstrap, topic, count: 300 }, 90_000);
    const first = (await runJava(
      "ConsumeGroup",
      { bootstrap: broker.bootstrap, topic, group, max: 120 },
      90_000,
    )) as Consumed;
    expect(first.records.map((r) => r.o)).toEqual(Array.from({ length: 120 }, (_, i) => i));
    expect(first.committed).toEqual({ [`${topic}-0`]: 120 });

    await broker.restart();

    const second = (await runJava(
      "ConsumeGroup",
      { bootstrap: broker.bootstrap, topic, group, max: 180 },
      120_000,
    )) as Consumed;
    expect(second.timedOut).toBe(false);
    expect(second.records.map((r) => r.o)).toEqual(Array.from({ length: 180 }, (_, i) => 120 + i));
    expect(second.records.map((r) => r.v)).toEqual(
      Array.from({ length: 180 }, (_, i) => `v-${120 + i}`),
    );
    expect(second.committed).toEqual({ [`${topic}-0`]: 300 });
  });

  it("AdminClient creates, describes (topics and configs) and deletes topics", async () => {
    const topic = uniqueName("java-admin");
    const a = (await runJava(
      "AdminOps",
      { bootstrap: broker.bootstrap, topic, partitions: 3 },
      90_000,
    )) as AdminReport;
    expect(a.nodes).toHaveLength(1);
    expect(a.created).toBe(true);
    expect(a.duplicateCreate).toBe("TopicExistsException");
    expect(a.describedPartitions).toBe(3);
    expect(a.leaders).toEqual([a.nodes[0], a.nodes[0], a.nodes[0]]);
    expect(a.topicConfigs["retention.ms"]).toEqual({
      value: "3600000",
      source: "DYNAMIC_TOPIC_CONFIG",
      isDefault: false,
    });
    // Every config is described, with its default, not only the overrides.
    expect(a.topicConfigs["segment.bytes"]).toEqual({
      value: "1073741824",
      source: "DEFAULT_CONFIG",
      isDefault: true,
    });
    expect(a.topicConfigs["max.message.bytes"]).toMatchObject({ source: "DEFAULT_CONFIG" });
    expect(a.topicConfigs.count).toBeGreaterThanOrEqual(10);
    expect(a.brokerConfigCount).toBeGreaterThanOrEqual(10);
    expect(a.brokerNumPartitions).toBe("1");
    expect(a.deleted).toBe(true);
    expect(a.goneAfterDelete).toBe(true);
  });
});
