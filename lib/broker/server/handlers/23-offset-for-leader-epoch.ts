import { ApiKey, ErrorCode } from "../../protocol";
import type { HandlerFor } from "../handler";

/** The only leader epoch a single, never-failing-over node has. */
const LEADER_EPOCH = 0;

/**
 * OffsetForLeaderEpoch (23), v2-4: with one node there is one leader epoch (0), so any requested epoch
 * ≥ 0 ends at the log end offset. Clients use it to detect truncation after a leader change, which
 * cannot happen here.
 */
export const offsetForLeaderEpochHandler: HandlerFor<ApiKey.OffsetForLeaderEpoch> = {
  apiKey: ApiKey.OffsetForLeaderEpoch,
  handle(req, _ctx, broker) {
    const topics = req.topics.map((t) => {
      const info = broker.topics.get(t.topic);
      return {
        topic: t.topic,
        partitions: t.partitions.map((p) => {
          const log =
            info && p.partition >= 0 && p.partition < info.partitions
              ? broker.logs.get(t.topic, p.partition)
              : undefined;
          if (!log) {
            return {
              errorCode: ErrorCode.UNKNOWN_TOPIC_OR_PARTITION,
              partition: p.partition,
              leaderEpoch: -1,
              endOffset: -1n,
            };
          }
          if (p.currentLeaderEpoch > LEADER_EPOCH) {
            return {
              errorCode: ErrorCode.UNKNOWN_LEADER_EPOCH,
              partition: p.partition,
              leaderEpoch: -1,
              endOffset: -1n,
            };
          }
          if (p.leaderEpoch < 0) {
            return {
              errorCode: ErrorCode.NONE,
              partition: p.partition,
              leaderEpoch: -1,
              endOffset: -1n,
            };
          }
          return {
            errorCode: ErrorCode.NONE,
            partition: p.partition,
            leaderEpoch: LEADER_EPOCH,
            endOffset: BigInt(log.highWatermark),
          };
        }),
      };
    });
    return { throttleTimeMs: 0, topics };
  },
};
