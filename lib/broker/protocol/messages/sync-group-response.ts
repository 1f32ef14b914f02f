import { type Decoded, type Encodable, f, message } from "../schema";

/** SyncGroupResponse (API key 14), versions 0-5; derived from Kafka's message definition. */
export const SyncGroupResponseSchema = message({
  name: "SyncGroupResponse",
  apiKey: 14,
  kind: "response",
  versions: "0-5",
  flexible: "4+",
  fields: {
    throttleTimeMs: f.int32({ v: "1+" }),
    errorCode: f.int16(),
    protocolType: f.string({ v: "5+", nullable: "5+", default: null }),
    protocolName: f.string({ v: "5+", nullable: "5+", default: null }),
    assignment: f.bytes(),
  },
});

/** A decoded SyncGroupResponse: every field present, defaults filled in. */
export type SyncGroupResponse = Decoded<typeof SyncGroupResponseSchema>;
/** A SyncGroupResponse to encode: version-limited, tagged and defaulted fields may be omitted. */
export type SyncGroupResponseInput = Encodable<typeof SyncGroupResponseSchema>;
