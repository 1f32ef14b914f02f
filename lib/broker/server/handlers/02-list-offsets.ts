import { ApiKey, ErrorCode, type ResponseInputOf } from "../../protocol";
import { errorCodeOf, errorMessageOf, isExpectedError } from "../error-codes";
import type { HandlerFor } from "../handler";

type ListOffsetsPartition =
  ResponseInputOf<ApiKey.ListOffsets>["topics"][number]["partitions"][number];

/**
 * ListOffsets (2), v1-9: latest (-1: the high watermark), earliest (-2), max timestamp (-3: the
 * first record carrying the largest timestamp), earliest local (-4: the log start), latest tiered
 * (-5: offset -1, nothing is tiered) or the first record whose timestamp is at or after the given
 * time; offset and timestamp -1 when there is none, as Kafka answers.
 */
export const listOffsetsHandler: HandlerFor<ApiKey.ListOffsets> = {
  apiKey: ApiKey.ListOffsets,
  async handle(req, _ctx, broker) {
    const topics = [];
    for (const t of req.topics) {
      const topic = broker.topics.get(t.name);
      const partitions: ListOffsetsPartition[] = [];
      for (const p of t.partitions) {
        const log =
          topic && p.partitionIndex >= 0 && p.partitionIndex < topic.partitions
            ? broker.logs.get(t.name, p.partitionIndex)
            : undefined;
        if (!log) {
          partitions.push({
            partitionIndex: p.partitionIndex,
            errorCode: ErrorCode.UNKNOWN_TOPIC_OR_PARTITION,
            timestamp: -1n,
            offset: -1n,
            leaderEpoch: -1,
          });
          continue;
        }
        try {
          // Every lookup, special timestamps included, is the log's (ListOffsetsTimestamp).
          const found = await log.offsetForTimestamp(Number(p.timestamp));
          partitions.push({
            partitionIndex: p.partitionIndex,
            errorCode: ErrorCode.NONE,
            timestamp: BigInt(found?.timestamp ?? -1),
            offset: BigInt(found?.offset ?? -1),
            leaderEpoch: 0,
          });
        } catch (e) {
          if (!isExpectedError(e)) {
            broker.logger.error(`list offsets ${t.name}-${p.partitionIndex}: ${errorMessageOf(e)}`);
          }
          partitions.push({
            partitionIndex: p.partitionIndex,
            errorCode: errorCodeOf(e),
            timestamp: -1n,
            offset: -1n,
            leaderEpoch: -1,
          });
        }
      }
      topics.push({ name: t.name, partitions });
    }
    return { throttleTimeMs: 0, topics };
  },
};
