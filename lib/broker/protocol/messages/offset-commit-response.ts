import { type Decoded, type Encodable, f, message } from "../schema";

/** OffsetCommitResponse (API key 8), versions 2-9; derived from Kafka's message definition. */
export const OffsetCommitResponseSchema = message({
  name: "OffsetCommitResponse",
  apiKey: 8,
  kind: "response",
  versions: "2-9",
  flexible: "8+",
  fields: {
    throttleTimeMs: f.int32({ v: "3+" }),
    topics: f.array({
      name: f.string(),
      partitions: f.array({
        partitionIndex: f.int32(),
        errorCode: f.int16(),
      }),
    }),
  },
});

/** A decoded OffsetCommitResponse: every field present, defaults filled in. */
export type OffsetCommitResponse = Decoded<typeof OffsetCommitResponseSchema>;
/** A OffsetCommitResponse to encode: version-limited, tagged and defaulted fields may be omitted. */
export type OffsetCommitResponseInput = Encodable<typeof OffsetCommitResponseSchema>;
