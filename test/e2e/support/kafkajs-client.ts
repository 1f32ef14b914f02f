import { Kafka, logLevel, type SASLOptions } from "kafkajs";

/** How kafkajs reaches the deployed broker. */
export interface KafkaTarget {
  readonly bootstrap: string;
  readonly sasl?: SASLOptions;
}

function client(target: KafkaTarget, clientId: string): Kafka {
  return new Kafka({
    clientId,
    brokers: [target.bootstrap],
    logLevel: logLevel.NOTHING,
    connectionTimeout: 10_000,
    requestTimeout: 30_000,
    retry: { retries: 5, initialRetryTime: 300 },
    ...(target.sasl ? { sasl: target.sasl } : {}),
  });
}

/** Partition count of `topic`, from a Metadata request. */
export async function partitionCount(target: KafkaTarget, topic: string): Promise<number> {
  const admin = client(target, "sluice-e2e-admin").admin();
  await admin.connect();
  try {
    const metadata = await admin.fetchTopicMetadata({ topics: [topic] });
    return metadata.topics.find((t) => t.name === topic)?.partitions.length ?? 0;
  } finally {
    await admin.disconnect();
  }
}

/** Topic names the broker lists. */
export async function listTopics(target: KafkaTarget): Promise<string[]> {
  const admin = client(target, "sluice-e2e-admin").admin();
  await admin.connect();
  try {
    return await admin.listTopics();
  } finally {
    await admin.disconnect();
  }
}

/**
 * Produces `values` (acks from all in-sync replicas), then reads them back through a consumer group
 * from the beginning; returns the values seen that belong to this round trip, in arrival order.
 */
export async function roundTrip(
  target: KafkaTarget,
  topic: string,
  groupId: string,
  values: readonly string[],
  timeoutMs = 60_000,
): Promise<string[]> {
  const kafka = client(target, "sluice-e2e");
  const producer = kafka.producer({ allowAutoTopicCreation: false });
  await producer.connect();
  try {
    // Keyed, so that compacted topics (which refuse keyless records) work too.
    await producer.send({
      topic,
      acks: -1,
      messages: values.map((value) => ({ key: value, value })),
    });
  } finally {
    await producer.disconnect();
  }

  const wanted = new Set(values);
  const seen: string[] = [];
  const consumer = kafka.consumer({ groupId, sessionTimeout: 10_000, heartbeatInterval: 1_000 });
  await consumer.connect();
  try {
    await consumer.subscribe({ topics: [topic], fromBeginning: true });
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(
        () =>
          reject(
            new Error(
              `kafkajs consumed ${seen.length}/${values.length} messages in ${timeoutMs} ms`,
            ),
          ),
        timeoutMs,
      );
      consumer
        .run({
          eachMessage: async ({ message }) => {
            const value = message.value?.toString("utf8");
            if (value !== undefined && wanted.has(value)) seen.push(value);
            if (seen.length >= values.length) {
              clearTimeout(timer);
              resolve();
            }
          },
        })
        .catch((error: unknown) => {
          clearTimeout(timer);
          reject(error);
        });
    });
  } finally {
    await consumer.disconnect();
  }
  return seen;
}

/** A topic config's value, from a DescribeConfigs request. */
export async function topicConfig(
  target: KafkaTarget,
  topic: string,
  name: string,
): Promise<string | undefined> {
  const admin = client(target, "sluice-e2e-admin").admin();
  await admin.connect();
  try {
    const result = await admin.describeConfigs({
      resources: [{ type: 2, name: topic, configNames: [name] }],
      includeSynonyms: false,
    });
    return result.resources[0]?.configEntries.find((e) => e.configName === name)?.configValue;
  } finally {
    await admin.disconnect();
  }
}
