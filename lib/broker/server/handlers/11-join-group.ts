import { groupCoordinatorOf, memberClientHost } from "../../groups";
import { ApiKey, ErrorCode, type RequestOf, type ResponseInputOf } from "../../protocol";
import type { ApiHandler } from "../handler";

type Req = RequestOf<ApiKey.JoinGroup>;
type Res = ResponseInputOf<ApiKey.JoinGroup>;

/**
 * JoinGroup (11): parks until the group's rebalance completes. From v4 a member without id first gets
 * MEMBER_ID_REQUIRED with its id (KIP-394); v0 has no rebalance timeout, so the session timeout
 * serves as one, as in Kafka.
 */
export const joinGroupHandler: ApiHandler<Req, Res> = {
  apiKey: ApiKey.JoinGroup,
  async handle(req, ctx, broker) {
    const groups = groupCoordinatorOf(broker);
    if (groups === null) {
      return {
        throttleTimeMs: 0,
        errorCode: ErrorCode.COORDINATOR_NOT_AVAILABLE,
        generationId: -1,
        protocolName: ctx.apiVersion >= 7 ? null : "",
        leader: "",
        memberId: req.memberId,
        members: [],
      };
    }
    const r = await groups.joinGroup({
      groupId: req.groupId,
      memberId: req.memberId,
      groupInstanceId: req.groupInstanceId,
      requireKnownMemberId: ctx.apiVersion >= 4,
      clientId: ctx.clientId ?? "",
      clientHost: memberClientHost(ctx.clientHost),
      sessionTimeoutMs: req.sessionTimeoutMs,
      rebalanceTimeoutMs:
        ctx.apiVersion >= 1 && req.rebalanceTimeoutMs >= 0
          ? req.rebalanceTimeoutMs
          : req.sessionTimeoutMs,
      protocolType: req.protocolType,
      protocols: req.protocols,
      reason: req.reason,
    });
    return {
      throttleTimeMs: 0,
      errorCode: r.errorCode,
      generationId: r.generationId,
      protocolType: r.protocolType,
      // Before v7 the protocol name is not nullable.
      protocolName: ctx.apiVersion >= 7 ? r.protocolName : (r.protocolName ?? ""),
      leader: r.leader,
      skipAssignment: r.skipAssignment,
      memberId: r.memberId,
      members: r.members.map((m) => ({
        memberId: m.memberId,
        groupInstanceId: m.groupInstanceId,
        metadata: m.metadata,
      })),
    };
  },
};
