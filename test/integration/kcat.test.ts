import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTopics, uniqueName } from "./support/admin";
import { BrokerUnderTest } from "./support/broker-under-test";
import { kcat, kcatConsumeAll, kcatProduce, kcatTimeoutMs } from "./support/kcat";
import { runChecked } from "./support/run-command";

let broker: BrokerUnderTest;
beforeAll(async () => {
  broker = await BrokerUnderTest.start();
});
afterAll(async () => {
  await broker?.stop();
});

const produce = (topic: string, lines: readonly string[], extra: string[] = []) =>
  kcatProduce(["-b", broker.bootstrap], topic, lines, extra);
const consumeAll = (topic: string, partition: number) =>
  kcatConsumeAll(["-b", broker.bootstrap], topic, partition);

describe(`kcat (librdkafka) against ${process.env.SLUICE_TARGET ?? "sluice"}`, () => {
  // Values repeat a lot so that every codec really shrinks the batch (librdkafka sends a batch
  // uncompressed when compression would not make it smaller).
  for (const codec of ["none", "gzip", "snappy", "lz4", "zstd"]) {
    it(`produces and consumes with compression.codec=${codec}`, async () => {
      const topic = uniqueName(`kcat-${codec}`);
      await createTopics(broker.bootstrap, [{ topic, partitions: 1 }]);
      const lines = Array.from(
        { length: 200 },
        (_, i) => `k-${i}:${codec}-${i}-${"sluice ".repeat(40)}`,
      );
      await produce(topic, lines, ["-p", "0", "-z", codec, "-X", "linger.ms=50"]);
      expect(await consumeAll(topic, 0)).toEqual(lines);
    });
  }

  it("consumes as a balanced consumer group and resumes from the committed offsets", async () => {
    const topic = uniqueName("kcat-group");
    const group = uniqueName("kcat-group");
    await createTopics(broker.bootstrap, [{ topic, partitions: 3 }]);
    const first = Array.from({ length: 60 }, (_, i) => `k-${i}:first-${i}`);
    await produce(topic, first);

    const groupConsume = async (): Promise<string[]> => {
      const res = await runChecked(
        kcat,
        [
          "-b",
          broker.bootstrap,
          "-G",
          group,
          "-X",
          "auto.offset.reset=earliest",
          "-e",
          "-f",
          "%k:%s\\n",
          topic,
        ],
        { timeoutMs: kcatTimeoutMs },
      );
      return res.stdout.split("\n").filter((l) => l.length > 0);
    };

    expect((await groupConsume()).sort()).toEqual([...first].sort());
    // The group committed its position when it closed: a new member reads only what is new.
    const second = Array.from({ length: 9 }, (_, i) => `k-${i}:second-${i}`);
    await produce(topic, second);
    expect((await groupConsume()).sort()).toEqual([...second].sort());
  });

  it("queries metadata as JSON (-L -J)", async () => {
    const topic = uniqueName("kcat-meta");
    await createTopics(broker.bootstrap, [{ topic, partitions: 3 }]);
    const res = await runChecked(kcat, ["-b", broker.bootstrap, "-L", "-J", "-t", topic], {
      timeoutMs: kcatTimeoutMs,
    });
    const md = JSON.parse(res.stdout) as {
      brokers: { id: number; name: string }[];
      topics: {
        topic: string;
        error?: string;
        partitions: { partition: number; leader: number }[];
      }[];
    };
    expect(md.brokers).toHaveLength(1);
    const [only] = md.brokers;
    expect(only?.name).toBe(broker.bootstrap);
    expect(md.topics).toHaveLength(1);
    const [t] = md.topics;
    expect(t?.topic).toBe(topic);
    expect(t?.error).toBeUndefined();
    expect(t?.partitions.map((p) => p.partition).sort()).toEqual([0, 1, 2]);
    for (const p of t?.partitions ?? []) expect(p.leader).toBe(only?.id);
  });
});
