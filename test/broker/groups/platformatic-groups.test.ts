import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import {
  Consumer,
  MessagesStreamFallbackModes,
  MessagesStreamModes,
  Producer,
  stringDeserializers,
  stringSerializers,
} from "@platformatic/kafka";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Broker } from "../../../lib/broker/server/broker";
import { platformaticSkipNote, platformaticSupported } from "../server/platformatic-support";
import { freePort, startBroker, waitFor } from "./broker-harness";

// @platformatic/kafka speaks only flexible versions (JoinGroup v6+, OffsetFetch v8+ batched groups,
// FindCoordinator v4+ batched keys): the other half of the protocol from kafkajs.

let dataDir: string;
let broker: Broker;
let bootstrap: string;
const consumers: Consumer<string, string, string, string>[] = [];

beforeAll(async () => {
  if (!platformaticSupported()) return;
  dataDir = await mkdtemp(path.join(tmpdir(), "sluice-groups-platformatic-"));
  const port = await freePort();
  broker = await startBroker(dataDir, port);
  bootstrap = `127.0.0.1:${port}`;
});

afterAll(async () => {
  for (const c of consumers) await closeNow(c);
  await broker?.stop();
  if (dataDir) await rm(dataDir, { recursive: true, force: true });
});

/** Closes a consumer (leaving its group) even if a stream is still open; errors are irrelevant here. */
function closeNow(c: Consumer<string, string, string, string>): Promise<void> {
  return new Promise((resolve) => c.close(true, () => resolve()));
}

function newConsumer(groupId: string, clientId: string) {
  const consumer = new Consumer({
    groupId,
    clientId,
    bootstrapBrokers: [bootstrap],
    deserializers: stringDeserializers,
    sessionTimeout: 3000,
    rebalanceTimeout: 4000,
    heartbeatInterval: 200,
    maxWaitTime: 100,
  });
  consumers.push(consumer);
  return consumer;
}

const owned = (c: Consumer<string, string, string, string>, topic: string) =>
  (c.assignments ?? []).filter((a) => a.topic === topic).flatMap((a) => a.partitions);

describe.skipIf(!platformaticSupported())(
  `consumer groups with @platformatic/kafka${platformaticSkipNote()}`,
  () => {
    it("rebalances a two-member group when one member leaves, then resumes from commits", async () => {
      const topic = "platformatic-topic";
      const groupId = "platformatic-group";
      const producer = new Producer({
        clientId: "p",
        bootstrapBrokers: [bootstrap],
        serializers: stringSerializers,
        autocreateTopics: true,
      });
      const send = (values: string[]) =>
        producer.send({
          messages: values.map((value, i) => ({ topic, key: value, value, partition: i % 2 })),
        });
      await send(["a", "b", "c", "d"]);

      const seen = new Set<string>();
      const start = async (clientId: string) => {
        const consumer = newConsumer(groupId, clientId);
        const stream = await consumer.consume({
          topics: [topic],
          autocommit: 100,
          mode: MessagesStreamModes.COMMITTED,
          fallbackMode: MessagesStreamFallbackModes.EARLIEST,
        });
        stream.on("data", (m) => seen.add(m.value));
        return consumer;
      };
      const a = await start("a");
      await waitFor("a to own both partitions", () => owned(a, topic).length === 2);
      const b = await start("b");
      await waitFor(
        "the partitions to be split",
        () => owned(a, topic).length === 1 && owned(b, topic).length === 1,
      );
      expect([...owned(a, topic), ...owned(b, topic)].sort()).toEqual([0, 1]);
      await waitFor("the first records", () => seen.size === 4);

      await closeNow(b);
      await waitFor("a to own both partitions again", () => owned(a, topic).length === 2);
      await send(["e", "f"]);
      await waitFor("every record", () => seen.size === 6);
      await new Promise((r) => setTimeout(r, 300)); // let the autocommit run
      await closeNow(a);

      // A new member of the same group starts from the committed offsets: only new records arrive.
      await send(["g", "h"]);
      const late: string[] = [];
      const c = newConsumer(groupId, "c");
      const stream = await c.consume({
        topics: [topic],
        mode: MessagesStreamModes.COMMITTED,
        fallbackMode: MessagesStreamFallbackModes.EARLIEST,
      });
      stream.on("data", (m) => late.push(m.value));
      await waitFor("the records after the commits", () => late.length >= 2);
      await new Promise((r) => setTimeout(r, 300));
      expect(late.sort()).toEqual(["g", "h"]);
      await producer.close();
    });
  },
);
