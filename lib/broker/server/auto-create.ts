import type { BrokerServices } from "./broker-services";
import { TopicError } from "./topic-error";
import { isInternalTopicName, topicNameProblem } from "./topic-name";
import type { TopicInfo } from "./topic-registry";

/**
 * The topic, created with the broker's default partition count when auto-creation is enabled and the
 * name is legal and not internal ("__…"); undefined when it neither exists nor may be created.
 */
export async function getOrAutoCreateTopic(
  broker: BrokerServices,
  name: string,
  allowed = true,
): Promise<TopicInfo | undefined> {
  const existing = broker.topics.get(name);
  if (existing) return existing;
  if (!allowed || !broker.config.autoCreateTopics) return undefined;
  if (isInternalTopicName(name) || topicNameProblem(name) !== null) return undefined;
  try {
    const created = await broker.topics.create(name, broker.config.numPartitions, {});
    broker.logger.info(`auto-created topic ${name} with ${created.partitions} partition(s)`);
    return created;
  } catch (e) {
    // A concurrent request may have created it first.
    if (e instanceof TopicError && e.errorName === "TOPIC_ALREADY_EXISTS")
      return broker.topics.get(name);
    if (e instanceof TopicError) return undefined;
    throw e;
  }
}
