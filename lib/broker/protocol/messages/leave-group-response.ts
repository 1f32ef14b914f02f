import { type Decoded, type Encodable, f, message } from "../schema";

/** LeaveGroupResponse (API key 13), versions 0-5; derived from Kafka's message definition. */
export const LeaveGroupResponseSchema = message({
  name: "LeaveGroupResponse",
  apiKey: 13,
  kind: "response",
  versions: "0-5",
  flexible: "4+",
  fields: {
    throttleTimeMs: f.int32({ v: "1+" }),
    errorCode: f.int16(),
    members: f.array(
      {
        memberId: f.string(),
        groupInstanceId: f.string({ nullable: "3+" }),
        errorCode: f.int16(),
      },
      { v: "3+" },
    ),
  },
});

/** A decoded LeaveGroupResponse: every field present, defaults filled in. */
export type LeaveGroupResponse = Decoded<typeof LeaveGroupResponseSchema>;
/** A LeaveGroupResponse to encode: version-limited, tagged and defaulted fields may be omitted. */
export type LeaveGroupResponseInput = Encodable<typeof LeaveGroupResponseSchema>;
