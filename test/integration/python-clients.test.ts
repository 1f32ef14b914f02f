import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTopics, uniqueName } from "./support/admin";
import { BrokerUnderTest } from "./support/broker-under-test";
import { runPython } from "./support/clients";

// Debian's python3-kafka (kafka-python 2.0.x, pure Python, old protocol versions) and
// python3-confluent-kafka (librdkafka), both run with /usr/bin/python3.
interface RoundTrip {
  producedOffsets: number[];
  expected: unknown[];
  values: unknown[];
  committed: number | null;
}

const count = 50;
let broker: BrokerUnderTest;
beforeAll(async () => {
  broker = await BrokerUnderTest.start();
});
afterAll(async () => {
  await broker?.stop();
});

describe(`Python clients against ${process.env.SLUICE_TARGET ?? "sluice"}`, () => {
  for (const client of ["kafka-python", "confluent"] as const) {
    it(`${client}: producer/consumer pair with JSON values`, async () => {
      const topic = uniqueName(`py-${client}-pair`);
      await createTopics(broker.bootstrap, [{ topic, partitions: 1 }]);
      const r = (await runPython(
        "roundtrip.py",
        { client, mode: "pair", bootstrap: broker.bootstrap, topic, count, timeout: 60 },
        120_000,
      )) as RoundTrip;
      expect([...r.producedOffsets].sort((a, b) => a - b)).toEqual(
        Array.from({ length: count }, (_, i) => i),
      );
      expect(r.values).toEqual(r.expected);
    });

    it(`${client}: consumer group reads 3 partitions from the earliest offset and commits`, async () => {
      const topic = uniqueName(`py-${client}-group`);
      const group = uniqueName(`py-${client}`);
      await createTopics(broker.bootstrap, [{ topic, partitions: 3 }]);
      const r = (await runPython(
        "roundtrip.py",
        {
          client,
          mode: "group",
          bootstrap: broker.bootstrap,
          topic,
          group,
          count,
          partitions: 3,
          timeout: 60,
        },
        120_000,
      )) as RoundTrip;
      expect(r.values).toEqual(r.expected);
      expect(r.committed).toBe(count);
    });
  }
});
