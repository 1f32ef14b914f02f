import { groupCoordinatorOf } from "../../groups";
import { ApiKey, ErrorCode, type RequestOf, type ResponseInputOf } from "../../protocol";
import type { ApiHandler } from "../handler";

type Req = RequestOf<ApiKey.Heartbeat>;
type Res = ResponseInputOf<ApiKey.Heartbeat>;

/** Heartbeat (12): keeps a member's session alive; REBALANCE_IN_PROGRESS tells it to rejoin. */
export const heartbeatHandler: ApiHandler<Req, Res> = {
  apiKey: ApiKey.Heartbeat,
  handle(req, _ctx, broker) {
    const groups = groupCoordinatorOf(broker);
    const errorCode =
      groups === null
        ? ErrorCode.COORDINATOR_NOT_AVAILABLE
        : groups.heartbeat({
            groupId: req.groupId,
            generationId: req.generationId,
            memberId: req.memberId,
            groupInstanceId: req.groupInstanceId,
          });
    return { throttleTimeMs: 0, errorCode };
  },
};
