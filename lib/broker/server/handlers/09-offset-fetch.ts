import { groupCoordinatorOf, type OffsetFetchGroupResult } from "../../groups";
import { ApiKey, ErrorCode, type RequestOf, type ResponseInputOf } from "../../protocol";
import type { ApiHandler } from "../handler";

type Req = RequestOf<ApiKey.OffsetFetch>;
type Res = ResponseInputOf<ApiKey.OffsetFetch>;

type GroupTopics = readonly {
  readonly name: string;
  readonly partitionIndexes: readonly number[];
}[];

function toWireTopics(result: OffsetFetchGroupResult) {
  return result.topics.map((t) => ({
    name: t.name,
    partitions: t.partitions.map((p) => ({
      partitionIndex: p.partitionIndex,
      committedOffset: BigInt(p.committedOffset),
      committedLeaderEpoch: p.committedLeaderEpoch,
      metadata: p.metadata,
      errorCode: p.errorCode,
    })),
  }));
}

function unavailable(groupId: string, topics: GroupTopics | null): OffsetFetchGroupResult {
  return {
    groupId,
    errorCode: ErrorCode.COORDINATOR_NOT_AVAILABLE,
    topics: (topics ?? []).map((t) => ({
      name: t.name,
      partitions: t.partitionIndexes.map((partitionIndex) => ({
        partitionIndex,
        committedOffset: -1,
        committedLeaderEpoch: -1,
        metadata: "",
        errorCode: ErrorCode.COORDINATOR_NOT_AVAILABLE,
      })),
    })),
  };
}

/**
 * OffsetFetch (9): one group up to v7, a batch of groups from v8; null topics (v2+) means every
 * partition the group has committed.
 */
export const offsetFetchHandler: ApiHandler<Req, Res> = {
  apiKey: ApiKey.OffsetFetch,
  handle(req, ctx, broker) {
    const groups = groupCoordinatorOf(broker);
    const fetch = (groupId: string, topics: GroupTopics | null) =>
      groups === null ? unavailable(groupId, topics) : groups.fetchOffsets({ groupId, topics });
    if (ctx.apiVersion >= 8) {
      return {
        throttleTimeMs: 0,
        groups: req.groups.map((g) => {
          const result = fetch(g.groupId, g.topics);
          return { groupId: g.groupId, topics: toWireTopics(result), errorCode: result.errorCode };
        }),
      };
    }
    const result = fetch(req.groupId, req.topics);
    return { throttleTimeMs: 0, topics: toWireTopics(result), errorCode: result.errorCode };
  },
};
