import { groupCoordinatorOf } from "../../groups";
import { ApiKey, ErrorCode, type RequestOf, type ResponseInputOf } from "../../protocol";
import type { ApiHandler } from "../handler";

type Req = RequestOf<ApiKey.SyncGroup>;
type Res = ResponseInputOf<ApiKey.SyncGroup>;

/** SyncGroup (14): the leader hands out assignments; followers park until it has. */
export const syncGroupHandler: ApiHandler<Req, Res> = {
  apiKey: ApiKey.SyncGroup,
  async handle(req, _ctx, broker) {
    const groups = groupCoordinatorOf(broker);
    if (groups === null) {
      return {
        throttleTimeMs: 0,
        errorCode: ErrorCode.COORDINATOR_NOT_AVAILABLE,
        assignment: Buffer.alloc(0),
      };
    }
    const r = await groups.syncGroup({
      groupId: req.groupId,
      generationId: req.generationId,
      memberId: req.memberId,
      groupInstanceId: req.groupInstanceId,
      protocolType: req.protocolType,
      protocolName: req.protocolName,
      assignments: req.assignments,
    });
    return {
      throttleTimeMs: 0,
      errorCode: r.errorCode,
      protocolType: r.protocolType,
      protocolName: r.protocolName,
      assignment: r.assignment,
    };
  },
};
