import { groupCoordinatorOf } from "../../groups";
import { ApiKey, ErrorCode, type RequestOf, type ResponseInputOf } from "../../protocol";
import type { ApiHandler } from "../handler";

type Req = RequestOf<ApiKey.DeleteGroups>;
type Res = ResponseInputOf<ApiKey.DeleteGroups>;

/** DeleteGroups (42): deletes Empty groups and their committed offsets (NON_EMPTY_GROUP otherwise). */
export const deleteGroupsHandler: ApiHandler<Req, Res> = {
  apiKey: ApiKey.DeleteGroups,
  async handle(req, _ctx, broker) {
    const groups = groupCoordinatorOf(broker);
    const results: { groupId: string; errorCode: number }[] = [];
    for (const groupId of req.groupsNames) {
      const errorCode =
        groups === null ? ErrorCode.COORDINATOR_NOT_AVAILABLE : await groups.deleteGroup(groupId);
      results.push({ groupId, errorCode });
    }
    return { throttleTimeMs: 0, results };
  },
};
