import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { type Consumer, Kafka, logLevel } from "kafkajs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Broker } from "../../../lib/broker/server/broker";
import { freePort, startBroker, waitFor } from "./broker-harness";

// End to end with kafkajs against the real broker: a consumer group that rebalances when a member
// leaves, and committed offsets that survive a broker restart. Small session timeouts and no initial
// rebalance delay keep it to a few seconds.

let dataDir: string;
let port: number;
let broker: Broker;
let kafka: Kafka;
const consumers: Consumer[] = [];

function newKafka(): Kafka {
  return new Kafka({
    clientId: "groups-e2e",
    brokers: [`127.0.0.1:${port}`],
    logLevel: logLevel.NOTHING,
    retry: { retries: 10, initialRetryTime: 100, maxRetryTime: 1000 },
  });
}

function newConsumer(groupId: string): Consumer {
  const consumer = kafka.consumer({
    groupId,
    sessionTimeout: 3000,
    rebalanceTimeout: 4000,
    heartbeatInterval: 200,
    maxWaitTimeInMs: 100,
    retry: { retries: 10, initialRetryTime: 100, maxRetryTime: 1000 },
  });
  consumers.push(consumer);
  return consumer;
}

beforeAll(async () => {
  dataDir = await mkdtemp(path.join(tmpdir(), "sluice-groups-e2e-"));
  port = await freePort();
  broker = await startBroker(dataDir, port);
  kafka = newKafka();
});

afterAll(async () => {
  for (const c of consumers) await c.disconnect().catch(() => {});
  await broker?.stop();
  await rm(dataDir, { recursive: true, force: true });
});

async function produce(topic: string, values: string[]): Promise<void> {
  const producer = kafka.producer();
  await producer.connect();
  await producer.send({
    topic,
    messages: values.map((value, i) => ({ key: `k${i}`, value, partition: i % 2 })),
  });
  await producer.disconnect();
}

describe("consumer groups with kafkajs", () => {
  it("rebalances a two-member group when one member leaves", async () => {
    const topic = "rebalance-topic";
    await produce(topic, ["a", "b", "c", "d"]);
    const assignments = new Map<string, number[]>();
    const seen = new Set<string>();
    const start = async (name: string) => {
      const consumer = newConsumer("rebalance-group");
      consumer.on(consumer.events.GROUP_JOIN, (e) => {
        assignments.set(name, [...(e.payload.memberAssignment[topic] ?? [])].sort());
      });
      await consumer.connect();
      await consumer.subscribe({ topic, fromBeginning: true });
      await consumer.run({
        eachMessage: async ({ message }) => {
          seen.add(String(message.value));
        },
      });
      return consumer;
    };
    await start("a");
    await waitFor("a to own both partitions", () => assignments.get("a")?.length === 2);
    const b = await start("b");
    await waitFor(
      "the partitions to be split",
      () => assignments.get("a")?.length === 1 && assignments.get("b")?.length === 1,
    );
    expect([...(assignments.get("a") ?? []), ...(assignments.get("b") ?? [])].sort()).toEqual([
      0, 1,
    ]);

    await b.disconnect(); // LeaveGroup: a gets everything back without waiting for a session timeout
    await waitFor("a to own both partitions again", () => assignments.get("a")?.length === 2);
    await produce(topic, ["e", "f"]);
    await waitFor("every record to be consumed", () => seen.size === 6);
    expect([...seen].sort()).toEqual(["a", "b", "c", "d", "e", "f"]);
  });

  it("resumes from the committed offsets after a broker restart", async () => {
    const topic = "restart-topic";
    const groupId = "restart-group";
    await produce(topic, ["1", "2", "3", "4"]);
    const first = newConsumer(groupId);
    const firstSeen: string[] = [];
    await first.connect();
    await first.subscribe({ topic, fromBeginning: true });
    await first.run({
      autoCommit: false,
      eachMessage: async ({ message, partition }) => {
        firstSeen.push(String(message.value));
        await first.commitOffsets([
          { topic, partition, offset: (BigInt(message.offset) + 1n).toString() },
        ]);
      },
    });
    await waitFor("the first consumer to read everything", () => firstSeen.length === 4);
    await first.disconnect();

    await broker.stop();
    broker = await startBroker(dataDir, port);
    kafka = newKafka();

    const admin = kafka.admin();
    await admin.connect();
    const committed = await admin.fetchOffsets({ groupId, topics: [topic] });
    await admin.disconnect();
    expect(committed[0]?.partitions.map((p) => [p.partition, p.offset]).sort()).toEqual([
      [0, "2"],
      [1, "2"],
    ]);

    await produce(topic, ["5", "6"]);
    const second = newConsumer(groupId);
    const secondSeen: string[] = [];
    await second.connect();
    await second.subscribe({ topic, fromBeginning: true });
    await second.run({
      eachMessage: async ({ message }) => {
        secondSeen.push(String(message.value));
      },
    });
    await waitFor("the new records to be consumed", () => secondSeen.length >= 2);
    await new Promise((r) => setTimeout(r, 300)); // nothing older may follow
    expect(secondSeen.sort()).toEqual(["5", "6"]);

    // The admin APIs see the group while it has a member, and delete it once it is empty.
    const groupAdmin = kafka.admin();
    await groupAdmin.connect();
    const described = await groupAdmin.describeGroups([groupId]);
    expect(described.groups[0]).toMatchObject({
      groupId,
      state: "Stable",
      protocolType: "consumer",
    });
    expect(described.groups[0]?.members).toHaveLength(1);
    const listed = await groupAdmin.listGroups();
    expect(listed.groups.map((g) => g.groupId)).toContain(groupId);
    await expect(groupAdmin.deleteGroups([groupId])).rejects.toThrow();
    await second.disconnect();
    const deleted = await groupAdmin.deleteGroups([groupId]);
    expect(deleted.map((d) => d.errorCode)).toEqual([0]);
    const after = await groupAdmin.fetchOffsets({ groupId, topics: [topic] });
    expect(after[0]?.partitions.map((p) => p.offset)).toEqual(["-1", "-1"]);
    await groupAdmin.disconnect();
  });

  it("keeps a running consumer in its group across a broker restart without losing records", async () => {
    const topic = "live-restart-topic";
    await produce(topic, ["1", "2"]);
    const consumer = newConsumer("live-restart-group");
    const seen: string[] = [];
    await consumer.connect();
    await consumer.subscribe({ topic, fromBeginning: true });
    await consumer.run({
      eachMessage: async ({ message }) => {
        seen.push(String(message.value));
      },
    });
    await waitFor("the records before the restart", () => seen.length === 2);
    await new Promise((r) => setTimeout(r, 300)); // let the automatic commit happen

    await broker.stop();
    broker = await startBroker(dataDir, port);
    kafka = newKafka();

    await produce(topic, ["3", "4"]);
    await waitFor("the records after the restart", () => seen.length >= 4);
    await new Promise((r) => setTimeout(r, 300));
    expect(seen.sort()).toEqual(["1", "2", "3", "4"]);
  });
});
