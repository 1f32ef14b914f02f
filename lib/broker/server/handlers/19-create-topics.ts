import { ApiKey, ErrorCode, type ResponseInputOf } from "../../protocol";
import { describeTopicConfigs } from "../config-describer";
import { errorCodeOf, errorMessageOf, isExpectedError } from "../error-codes";
import type { HandlerFor } from "../handler";
import { TopicError } from "../topic-error";
import { ZERO_UUID } from "./03-metadata";

type CreatedTopic = ResponseInputOf<ApiKey.CreateTopics>["topics"][number];

/**
 * CreateTopics (19), v2-7: one node, so the replication factor must be 1 (or -1 for the default) and
 * manual assignments may only name this broker. `validateOnly` checks everything and creates nothing.
 * v5+ answers with the partition count, replication factor and every config of the (would-be) topic.
 */
export const createTopicsHandler: HandlerFor<ApiKey.CreateTopics> = {
  apiKey: ApiKey.CreateTopics,
  async handle(req, ctx, broker) {
    const nodeId = broker.config.nodeId;
    const counts = new Map<string, number>();
    for (const t of req.topics) counts.set(t.name, (counts.get(t.name) ?? 0) + 1);
    const topics: CreatedTopic[] = [];
    for (const t of req.topics) {
      const fail = (errorCode: number, errorMessage: string): CreatedTopic => ({
        name: t.name,
        topicId: ZERO_UUID,
        errorCode,
        errorMessage,
        numPartitions: -1,
        replicationFactor: -1,
        configs: null,
      });
      if ((counts.get(t.name) ?? 0) > 1) {
        topics.push(
          fail(
            ErrorCode.INVALID_REQUEST,
            `Create topics request from client contains multiple entries for the topic '${t.name}'.`,
          ),
        );
        continue;
      }
      try {
        let partitions: number;
        if (t.assignments.length > 0) {
          if (t.numPartitions !== -1 || t.replicationFactor !== -1) {
            throw new TopicError(
              "INVALID_REQUEST",
              "Both numPartitions or replicationFactor and replicasAssignments were set. Both cannot be used at the same time.",
            );
          }
          const sorted = [...t.assignments].sort((a, b) => a.partitionIndex - b.partitionIndex);
          sorted.forEach((a, i) => {
            if (a.partitionIndex !== i) {
              throw new TopicError(
                "INVALID_REPLICA_ASSIGNMENT",
                "Partitions must be numbered 0..n-1 without gaps.",
              );
            }
            if (a.brokerIds.length !== 1 || a.brokerIds[0] !== nodeId) {
              throw new TopicError(
                "INVALID_REPLICA_ASSIGNMENT",
                `Partition ${i} must be assigned to broker ${nodeId} only (single-node cluster).`,
              );
            }
          });
          partitions = sorted.length;
        } else {
          if (t.replicationFactor !== -1 && t.replicationFactor !== 1) {
            throw new TopicError(
              "INVALID_REPLICATION_FACTOR",
              `Unable to replicate the partition ${t.replicationFactor} time(s): The target replication factor of ${t.replicationFactor} cannot be reached because only 1 broker(s) are registered.`,
            );
          }
          partitions = t.numPartitions === -1 ? broker.config.numPartitions : t.numPartitions;
        }
        const configs: Record<string, string | null> = {};
        for (const c of t.configs) {
          if (Object.hasOwn(configs, c.name)) {
            throw new TopicError("INVALID_CONFIG", `Config ${c.name} is given twice.`);
          }
          configs[c.name] = c.value;
        }
        const normalized = req.validateOnly
          ? broker.topics.validateCreate(t.name, partitions, configs)
          : (await broker.topics.create(t.name, partitions, configs)).configs;
        const info = broker.topics.get(t.name);
        topics.push({
          name: t.name,
          topicId: req.validateOnly || !info ? ZERO_UUID : info.topicId,
          errorCode: ErrorCode.NONE,
          errorMessage: null,
          numPartitions: partitions,
          replicationFactor: 1,
          configs: describeTopicConfigs(broker, normalized).map((c) => ({
            name: c.name,
            value: c.value,
            readOnly: c.readOnly,
            configSource: c.configSource,
            isSensitive: c.isSensitive,
          })),
        });
        if (!req.validateOnly) {
          broker.logger.info(
            `created topic ${t.name} (${partitions} partitions) for ${ctx.clientId ?? "?"}`,
          );
        }
      } catch (e) {
        if (!isExpectedError(e))
          broker.logger.error(`create topic ${t.name}: ${errorMessageOf(e)}`);
        topics.push(fail(errorCodeOf(e), errorMessageOf(e)));
      }
    }
    return { throttleTimeMs: 0, topics };
  },
};
