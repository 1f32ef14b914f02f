import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTopics, uniqueName } from "./support/admin";
import { BrokerUnderTest } from "./support/broker-under-test";
import { runJava } from "./support/clients";

// Durability across a graceful broker restart while a producer and a consumer group are active,
// observed with the Java client (idempotent producer, manual synchronous commits).
interface Produced {
  acked: string[];
  failed: string[];
}
interface Consumed {
  count: number;
  distinct: number;
  timedOut: boolean;
  records: { p: number; o: number; v: string }[];
  committed: Record<string, number | null>;
  commitErrors: string[];
}

let broker: BrokerUnderTest;
beforeAll(async () => {
  broker = await BrokerUnderTest.start();
});
afterAll(async () => {
  await broker?.stop();
});

describe(`broker restart mid-consumption (${process.env.SLUICE_TARGET ?? "sluice"})`, () => {
  it("loses no acknowledged record and no committed offset", async () => {
    const topic = uniqueName("restart");
    const group = uniqueName("restart");
    const pre = 1000;
    const live = 1000;
    const total = pre + live;
    await createTopics(broker.bootstrap, [{ topic, partitions: 1 }]);
    const before = (await runJava(
      "ProduceDefaults",
      { bootstrap: broker.bootstrap, topic, count: pre, prefix: "pre" },
      90_000,
    )) as Produced;
    expect(before.acked).toHaveLength(pre);

    // A slow consumer (20 records per poll, 100 ms pause) and a paced producer; the broker is
    // restarted once the consumer has read a few hundred records, while both are running.
    let restarted: Promise<void> | undefined;
    const consumer = runJava(
      "ConsumeGroup",
      {
        bootstrap: broker.bootstrap,
        topic,
        group,
        max: total,
        "max-poll-records": 20,
        "poll-sleep-ms": 100,
        "timeout-ms": 240_000,
      },
      300_000,
      (line) => {
        const m = /"progress":(\d+)/.exec(line);
        if (m && Number(m[1]) >= 300 && restarted === undefined) {
          restarted = broker.restart();
          // Awaited below; this only keeps an early failure from being reported as unhandled.
          restarted.catch(() => undefined);
        }
      },
    );
    const producer = runJava(
      "ProduceDefaults",
      { bootstrap: broker.bootstrap, topic, count: live, prefix: "live", "interval-ms": 5 },
      300_000,
    );
    const [consumed, produced] = (await Promise.all([consumer, producer])) as [Consumed, Produced];
    expect(restarted, "the broker was restarted mid-consumption").toBeDefined();
    await restarted;

    // Every record was acknowledged (the producer retries across the restart)...
    expect(produced.failed).toEqual([]);
    expect(produced.acked).toHaveLength(live);
    // ...the consumer saw every offset (redeliveries allowed: at-least-once) and committed the end.
    expect(consumed.timedOut).toBe(false);
    expect(new Set(consumed.records.map((r) => r.o)).size).toBe(total);
    expect(consumed.committed).toEqual({ [`${topic}-0`]: total });

    // After one more restart, the committed offset is still there...
    await broker.restart();
    const after = (await runJava(
      "ConsumeGroup",
      { bootstrap: broker.bootstrap, topic, group, max: 0 },
      90_000,
    )) as Consumed;
    expect(after.committed).toEqual({ [`${topic}-0`]: total });

    // ...and the log holds every acknowledged record exactly once (idempotent producer), in order.
    const all = (await runJava(
      "ConsumeGroup",
      { bootstrap: broker.bootstrap, topic, group: uniqueName("restart-check"), max: total },
      120_000,
    )) as Consumed;
    expect(all.timedOut).toBe(false);
    expect(all.records.map((r) => r.o)).toEqual(Array.from({ length: total }, (_, i) => i));
    const values = all.records.map((r) => r.v);
    expect(new Set(values).size).toBe(values.length);
    const stored = new Set(values);
    const lost = [...before.acked, ...produced.acked].filter((v) => !stored.has(v));
    expect(lost).toEqual([]);
    // Each producer's records keep their send order.
    const liveOrder = values.filter((v) => v.startsWith("live-"));
    expect(liveOrder).toEqual(Array.from({ length: live }, (_, i) => `live-${i}`));
  });
});
