import { type Decoded, type Encodable, f, message } from "../schema";

/** SyncGroupRequest (API key 14), versions 0-5; derived from Kafka's message definition. */
export const SyncGroupRequestSchema = message({
  name: "SyncGroupRequest",
  apiKey: 14,
  kind: "request",
  versions: "0-5",
  flexible: "4+",
  fields: {
    groupId: f.string(),
    generationId: f.int32(),
    memberId: f.string(),
    groupInstanceId: f.string({ v: "3+", nullable: "3+", default: null }),
    protocolType: f.string({ v: "5+", nullable: "5+", default: null }),
    protocolName: f.string({ v: "5+", nullable: "5+", default: null }),
    assignments: f.array({
      memberId: f.string(),
      assignment: f.bytes(),
    }),
  },
});

/** A decoded SyncGroupRequest: every field present, defaults filled in. */
export type SyncGroupRequest = Decoded<typeof SyncGroupRequestSchema>;
/** A SyncGroupRequest to encode: version-limited, tagged and defaulted fields may be omitted. */
export type SyncGroupRequestInput = Encodable<typeof SyncGroupRequestSchema>;
