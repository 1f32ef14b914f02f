import { groupCoordinatorOf } from "../../groups";
import { ApiKey, ErrorCode, type RequestOf, type ResponseInputOf } from "../../protocol";
import type { ApiHandler } from "../handler";

type Req = RequestOf<ApiKey.ListGroups>;
type Res = ResponseInputOf<ApiKey.ListGroups>;

/** ListGroups (16): every group, optionally filtered by state (v4+) and group type (v5+). */
export const listGroupsHandler: ApiHandler<Req, Res> = {
  apiKey: ApiKey.ListGroups,
  handle(req, _ctx, broker) {
    const groups = groupCoordinatorOf(broker);
    if (groups === null) {
      return { throttleTimeMs: 0, errorCode: ErrorCode.COORDINATOR_NOT_AVAILABLE, groups: [] };
    }
    // Every group here is a classic group; a types filter without "classic" matches none.
    const types = req.typesFilter.map((t) => t.toLowerCase());
    const listed =
      types.length > 0 && !types.includes("classic") ? [] : groups.listGroups(req.statesFilter);
    return {
      throttleTimeMs: 0,
      errorCode: ErrorCode.NONE,
      groups: listed.map((g) => ({
        groupId: g.groupId,
        protocolType: g.protocolType,
        groupState: g.groupState,
        groupType: g.groupType,
      })),
    };
  },
};
