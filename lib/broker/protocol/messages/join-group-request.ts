import { type Decoded, type Encodable, f, message } from "../schema";

/** JoinGroupRequest (API key 11), versions 0-9; derived from Kafka's message definition. */
export const JoinGroupRequestSchema = message({
  name: "JoinGroupRequest",
  apiKey: 11,
  kind: "request",
  versions: "0-9",
  flexible: "6+",
  fields: {
    groupId: f.string(),
    sessionTimeoutMs: f.int32(),
    rebalanceTimeoutMs: f.int32({ v: "1+", default: -1 }),
    memberId: f.string(),
    groupInstanceId: f.string({ v: "5+", nullable: "5+", default: null }),
    protocolType: f.string(),
    protocols: f.array({
      name: f.string(),
      metadata: f.bytes(),
    }),
    reason: f.string({ v: "8+", nullable: "8+", default: null }),
  },
});

/** A decoded JoinGroupRequest: every field present, defaults filled in. */
export type JoinGroupRequest = Decoded<typeof JoinGroupRequestSchema>;
/** A JoinGroupRequest to encode: version-limited, tagged and defaulted fields may be omitted. */
export type JoinGroupRequestInput = Encodable<typeof JoinGroupRequestSchema>;
