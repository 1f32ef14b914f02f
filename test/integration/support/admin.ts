import { Kafka, type KafkaConfig, logLevel } from "kafkajs";

/**
 * Creates topics for a test's set-up. kafkajs is only a set-up tool here (its compatibility is
 * covered by the unit suite); the client under test then produces and consumes on them.
 * `connection` carries `ssl` / `sasl` for a secured listener.
 */
export async function createTopics(
  bootstrap: string,
  topics: readonly { topic: string; partitions: number }[],
  connection: Pick<KafkaConfig, "ssl" | "sasl"> = {},
): Promise<void> {
  const kafka = new Kafka({
    ...connection,
    clientId: "sluice-it-setup",
    brokers: [bootstrap],
    logLevel: logLevel.NOTHING,
    retry: { retries: 10 },
  });
  const admin = kafka.admin();
  await admin.connect();
  try {
    await admin.createTopics({
      waitForLeaders: true,
      timeout: 30_000,
      topics: topics.map((t) => ({
        topic: t.topic,
        numPartitions: t.partitions,
        replicationFactor: 1,
      })),
    });
  } finally {
    await admin.disconnect();
  }
}

/** A topic or group name unique to this run, so reruns and shared brokers never collide. */
export function uniqueName(prefix: string): string {
  return `${prefix}-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 8)}`;
}
