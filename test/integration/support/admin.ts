import { Kafka, type KafkaConfig, logLevel } from "kafkajs";

/** The kafkajs client of the set-up steps (quiet, patient with a broker still starting). */
function setupClient(bootstrap: string, connection: Pick<KafkaConfig, "ssl" | "sasl"> = {}): Kafka {
  return new Kafka({
    ...connection,
    clientId: "sluice-it-setup",
    brokers: [bootstrap],
    logLevel: logLevel.NOTHING,
    retry: { retries: 10 },
  });
}

/**
 * Creates topics for a test's set-up. kafkajs is only a set-up tool here (its compatibility is
 * covered by the unit suite); the client under test then produces and consumes on them.
 * `connection` carries `ssl` / `sasl` for a secured listener.
 */
export async function createTopics(
  bootstrap: string,
  topics: readonly {
    topic: string;
    partitions: number;
    configs?: Readonly<Record<string, string>>;
  }[],
  connection: Pick<KafkaConfig, "ssl" | "sasl"> = {},
): Promise<void> {
  const admin = setupClient(bootstrap, connection).admin();
  await admin.connect();
  try {
    await admin.createTopics({
      waitForLeaders: true,
      timeout: 30_000,
      topics: topics.map((t) => ({
        topic: t.topic,
        numPartitions: t.partitions,
        replicationFactor: 1,
        configEntries: Object.entries(t.configs ?? {}).map(([name, value]) => ({ name, value })),
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

/**
 * Produces `records` to partition 0 of `topic` in one request (one batch), each with its own key,
 * value and create timestamp (ms), for set-ups that need chosen timestamps.
 */
export async function produceWithTimestamps(
  bootstrap: string,
  topic: string,
  records: readonly { key: string; value: string; timestamp: number }[],
): Promise<void> {
  const producer = setupClient(bootstrap).producer();
  await producer.connect();
  try {
    await producer.send({
      topic,
      acks: -1,
      messages: records.map((r) => ({
        partition: 0,
        key: r.key,
        value: r.value,
        timestamp: String(r.timestamp),
      })),
    });
  } finally {
    await producer.disconnect();
  }
}

/** The node id of the (single) broker at `bootstrap`, as Metadata reports it. */
export async function brokerNodeId(bootstrap: string): Promise<number> {
  const admin = setupClient(bootstrap).admin();
  await admin.connect();
  try {
    const { brokers } = await admin.describeCluster();
    const id = brokers[0]?.nodeId;
    if (id === undefined) throw new Error(`${bootstrap} reported no broker`);
    return id;
  } finally {
    await admin.disconnect();
  }
}
