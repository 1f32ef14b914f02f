import { type Decoded, type Encodable, f, message } from "../schema";

/** HeartbeatResponse (API key 12), versions 0-4; derived from Kafka's message definition. */
export const HeartbeatResponseSchema = message({
  name: "HeartbeatResponse",
  apiKey: 12,
  kind: "response",
  versions: "0-4",
  flexible: "4+",
  fields: {
    throttleTimeMs: f.int32({ v: "1+" }),
    errorCode: f.int16(),
  },
});

/** A decoded HeartbeatResponse: every field present, defaults filled in. */
export type HeartbeatResponse = Decoded<typeof HeartbeatResponseSchema>;
/** A HeartbeatResponse to encode: version-limited, tagged and defaulted fields may be omitted. */
export type HeartbeatResponseInput = Encodable<typeof HeartbeatResponseSchema>;
