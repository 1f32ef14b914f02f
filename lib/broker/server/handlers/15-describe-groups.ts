import { groupCoordinatorOf } from "../../groups";
import { ApiKey, ErrorCode, type RequestOf, type ResponseInputOf } from "../../protocol";
import type { ApiHandler } from "../handler";

type Req = RequestOf<ApiKey.DescribeGroups>;
type Res = ResponseInputOf<ApiKey.DescribeGroups>;

/** Group ACL operations a principal may perform: READ (3), DELETE (6), DESCRIBE (8) as a bit set. */
const ALL_GROUP_OPERATIONS = (1 << 3) | (1 << 6) | (1 << 8);

/**
 * DescribeGroups (15): state, protocol and members of each group; an unknown group is described as
 * Dead with no members (Kafka's answer before v6). Metadata and assignments only once Stable.
 */
export const describeGroupsHandler: ApiHandler<Req, Res> = {
  apiKey: ApiKey.DescribeGroups,
  handle(req, _ctx, broker) {
    const groups = groupCoordinatorOf(broker);
    return {
      throttleTimeMs: 0,
      groups: req.groups.map((groupId) => {
        if (groups === null) {
          return {
            errorCode: ErrorCode.COORDINATOR_NOT_AVAILABLE,
            groupId,
            groupState: "",
            protocolType: "",
            protocolData: "",
            members: [],
          };
        }
        const d = groups.describeGroup(groupId);
        return {
          errorCode: d.errorCode,
          groupId,
          groupState: d.groupState,
          protocolType: d.protocolType,
          protocolData: d.protocolData,
          members: d.members.map((m) => ({ ...m })),
          ...(req.includeAuthorizedOperations
            ? { authorizedOperations: ALL_GROUP_OPERATIONS }
            : {}),
        };
      }),
    };
  },
};
