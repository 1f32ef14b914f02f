import { type Decoded, type Encodable, f, message } from "../schema";

/** JoinGroupResponse (API key 11), versions 0-9; derived from Kafka's message definition. */
export const JoinGroupResponseSchema = message({
  name: "JoinGroupResponse",
  apiKey: 11,
  kind: "response",
  versions: "0-9",
  flexible: "6+",
  fields: {
    throttleTimeMs: f.int32({ v: "2+" }),
    errorCode: f.int16(),
    generationId: f.int32({ default: -1 }),
    protocolType: f.string({ v: "7+", nullable: "7+", default: null }),
    protocolName: f.string({ nullable: "7+" }),
    leader: f.string(),
    skipAssignment: f.bool({ v: "9+", default: false }),
    memberId: f.string(),
    members: f.array({
      memberId: f.string(),
      groupInstanceId: f.string({ v: "5+", nullable: "5+", default: null }),
      metadata: f.bytes(),
    }),
  },
});

/** A decoded JoinGroupResponse: every field present, defaults filled in. */
export type JoinGroupResponse = Decoded<typeof JoinGroupResponseSchema>;
/** A JoinGroupResponse to encode: version-limited, tagged and defaulted fields may be omitted. */
export type JoinGroupResponseInput = Encodable<typeof JoinGroupResponseSchema>;
