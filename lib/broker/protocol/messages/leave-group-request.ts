import { type Decoded, type Encodable, f, message } from "../schema";

/** LeaveGroupRequest (API key 13), versions 0-5; derived from Kafka's message definition. */
export const LeaveGroupRequestSchema = message({
  name: "LeaveGroupRequest",
  apiKey: 13,
  kind: "request",
  versions: "0-5",
  flexible: "4+",
  fields: {
    groupId: f.string(),
    memberId: f.string({ v: "0-2" }),
    members: f.array(
      {
        memberId: f.string(),
        groupInstanceId: f.string({ nullable: "3+", default: null }),
        reason: f.string({ v: "5+", nullable: "5+", default: null }),
      },
      { v: "3+" },
    ),
  },
});

/** A decoded LeaveGroupRequest: every field present, defaults filled in. */
export type LeaveGroupRequest = Decoded<typeof LeaveGroupRequestSchema>;
/** A LeaveGroupRequest to encode: version-limited, tagged and defaulted fields may be omitted. */
export type LeaveGroupRequestInput = Encodable<typeof LeaveGroupRequestSchema>;
