import type { OffsetCommitPartition } from "../../groups";
import { groupCoordinatorOf, int64ToNumber } from "../../groups";
import { ApiKey, ErrorCode, type RequestOf, type ResponseInputOf } from "../../protocol";
import type { ApiHandler } from "../handler";

type Req = RequestOf<ApiKey.OffsetCommit>;
type Res = ResponseInputOf<ApiKey.OffsetCommit>;

/**
 * OffsetCommit (8): partitions of unknown topics get UNKNOWN_TOPIC_OR_PARTITION (as in Kafka's
 * KafkaApis); the rest go to the coordinator, which checks member and generation and answers once
 * the offsets are durable.
 */
export const offsetCommitHandler: ApiHandler<Req, Res> = {
  apiKey: ApiKey.OffsetCommit,
  async handle(req, _ctx, broker) {
    const groups = groupCoordinatorOf(broker);
    const errors = new Map<string, number>();
    const errorKey = (topic: string, partition: number) => `${topic}\u0000${partition}`;
    const valid: { name: string; partitions: OffsetCommitPartition[] }[] = [];
    for (const t of req.topics) {
      const info = broker.topics.get(t.name);
      const partitions: OffsetCommitPartition[] = [];
      for (const p of t.partitions) {
        if (groups === null) {
          errors.set(errorKey(t.name, p.partitionIndex), ErrorCode.COORDINATOR_NOT_AVAILABLE);
        } else if (
          info === undefined ||
          p.partitionIndex < 0 ||
          p.partitionIndex >= info.partitions
        ) {
          errors.set(errorKey(t.name, p.partitionIndex), ErrorCode.UNKNOWN_TOPIC_OR_PARTITION);
        } else {
          partitions.push({
            partitionIndex: p.partitionIndex,
            committedOffset: int64ToNumber(p.committedOffset),
            committedLeaderEpoch: p.committedLeaderEpoch,
            committedMetadata: p.committedMetadata,
          });
        }
      }
      if (partitions.length > 0) valid.push({ name: t.name, partitions });
    }
    if (groups !== null && valid.length > 0) {
      const results = await groups.commitOffsets({
        groupId: req.groupId,
        generationId: req.generationIdOrMemberEpoch,
        memberId: req.memberId,
        groupInstanceId: req.groupInstanceId,
        retentionTimeMs: int64ToNumber(req.retentionTimeMs),
        topics: valid,
      });
      for (const t of results) {
        for (const p of t.partitions) errors.set(errorKey(t.name, p.partitionIndex), p.errorCode);
      }
    }
    return {
      throttleTimeMs: 0,
      topics: req.topics.map((t) => ({
        name: t.name,
        partitions: t.partitions.map((p) => ({
          partitionIndex: p.partitionIndex,
          errorCode: errors.get(errorKey(t.name, p.partitionIndex)) ?? ErrorCode.NONE,
        })),
      })),
    };
  },
};
