import { type Decoded, type Encodable, f, message } from "../schema";

/** HeartbeatRequest (API key 12), versions 0-4; derived from Kafka's message definition. */
export const HeartbeatRequestSchema = message({
  name: "HeartbeatRequest",
  apiKey: 12,
  kind: "request",
  versions: "0-4",
  flexible: "4+",
  fields: {
    groupId: f.string(),
    generationId: f.int32(),
    memberId: f.string(),
    groupInstanceId: f.string({ v: "3+", nullable: "3+", default: null }),
  },
});

/** A decoded HeartbeatRequest: every field present, defaults filled in. */
export type HeartbeatRequest = Decoded<typeof HeartbeatRequestSchema>;
/** A HeartbeatRequest to encode: version-limited, tagged and defaulted fields may be omitted. */
export type HeartbeatRequestInput = Encodable<typeof HeartbeatRequestSchema>;
