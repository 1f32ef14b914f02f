import { ApiKey, ErrorCode } from "../../protocol";
import { errorCodeOf, errorMessageOf, isExpectedError } from "../error-codes";
import type { HandlerFor } from "../handler";

/** DeleteRecords (21), v0-2: advances each partition's log start offset (-1 = the high watermark). */
export const deleteRecordsHandler: HandlerFor<ApiKey.DeleteRecords> = {
  apiKey: ApiKey.DeleteRecords,
  async handle(req, _ctx, broker) {
    const topics = [];
    for (const t of req.topics) {
      const topic = broker.topics.get(t.name);
      const partitions = [];
      for (const p of t.partitions) {
        const log =
          topic && p.partitionIndex >= 0 && p.partitionIndex < topic.partitions
            ? broker.logs.get(t.name, p.partitionIndex)
            : undefined;
        if (!log) {
          partitions.push({
            partitionIndex: p.partitionIndex,
            lowWatermark: -1n,
            errorCode: ErrorCode.UNKNOWN_TOPIC_OR_PARTITION,
          });
          continue;
        }
        try {
          const low = await log.deleteRecords(Number(p.offset));
          partitions.push({
            partitionIndex: p.partitionIndex,
            lowWatermark: BigInt(low),
            errorCode: ErrorCode.NONE,
          });
        } catch (e) {
          if (!isExpectedError(e))
            broker.logger.error(
              `delete records ${t.name}-${p.partitionIndex}: ${errorMessageOf(e)}`,
            );
          partitions.push({
            partitionIndex: p.partitionIndex,
            lowWatermark: -1n,
            errorCode: errorCodeOf(e),
          });
        }
      }
      topics.push({ name: t.name, partitions });
    }
    return { throttleTimeMs: 0, topics };
  },
};
