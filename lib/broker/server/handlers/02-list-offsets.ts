import { ApiKey, ErrorCode, type ResponseInputOf } from "../../protocol";
import { errorCodeOf, errorMessageOf, isExpectedError } from "../error-codes";
import type { HandlerFor } from "../handler";

type ListOffsetsPartition =
  ResponseInputOf<ApiKey.ListOffsets>["topics"][number]["partitions"][number];

/** ListOffsets timestamps with a special meaning (KIP-734 adds -3 for the max timestamp). */
const LATEST = -1;
const EARLIEST = -2;

/**
 * ListOffsets (2), v1-9: earliest (-2), latest (-1), max timestamp (-3) or the first offset whose
 * batch timestamp is at or after the given time (offset -1 when there is none, as Kafka answers).
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
        const ts = Number(p.timestamp);
        try {
          let offset: number;
          let timestamp = -1;
          if (ts === LATEST) offset = log.highWatermark;
          else if (ts === EARLIEST) offset = log.logStartOffset;
          else {
            const found = await log.offsetForTimestamp(ts);
            offset = found ? found.offset : -1;
            timestamp = found ? found.timestamp : -1;
          }
          partitions.push({
            partitionIndex: p.partitionIndex,
            errorCode: ErrorCode.NONE,
            timestamp: BigInt(timestamp),
            offset: BigInt(offset),
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
