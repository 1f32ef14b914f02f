import { groupCoordinatorOf } from "../../groups";
import { ApiKey, ErrorCode, type RequestOf, type ResponseInputOf } from "../../protocol";
import type { ApiHandler } from "../handler";

type Req = RequestOf<ApiKey.LeaveGroup>;
type Res = ResponseInputOf<ApiKey.LeaveGroup>;

/**
 * LeaveGroup (13): v0-2 remove one dynamic member (its error is the response's error); v3+ remove a
 * batch of members, static ones possibly by instance id alone (KIP-345), with one error each.
 */
export const leaveGroupHandler: ApiHandler<Req, Res> = {
  apiKey: ApiKey.LeaveGroup,
  handle(req, ctx, broker) {
    const groups = groupCoordinatorOf(broker);
    if (groups === null) {
      return { throttleTimeMs: 0, errorCode: ErrorCode.COORDINATOR_NOT_AVAILABLE, members: [] };
    }
    if (ctx.apiVersion < 3) {
      const r = groups.leaveGroup(req.groupId, [{ memberId: req.memberId, groupInstanceId: null }]);
      const member = r.members[0];
      const errorCode =
        r.errorCode !== ErrorCode.NONE ? r.errorCode : (member?.errorCode ?? ErrorCode.NONE);
      return { throttleTimeMs: 0, errorCode, members: [] };
    }
    const r = groups.leaveGroup(
      req.groupId,
      req.members.map((m) => ({
        memberId: m.memberId,
        groupInstanceId: m.groupInstanceId,
        reason: m.reason,
      })),
    );
    return {
      throttleTimeMs: 0,
      errorCode: r.errorCode,
      members: r.members.map((m) => ({
        memberId: m.memberId,
        groupInstanceId: m.groupInstanceId,
        errorCode: m.errorCode,
      })),
    };
  },
};
