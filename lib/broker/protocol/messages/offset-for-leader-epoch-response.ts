import { type Decoded, type Encodable, f, message } from "../schema";

/** OffsetForLeaderEpochResponse (API key 23), versions 2-4; derived from Kafka's message definition. */
export const OffsetForLeaderEpochResponseSchema = message({
  name: "OffsetForLeaderEpochResponse",
  apiKey: 23,
  kind: "response",
  versions: "2-4",
  flexible: "4+",
  fields: {
    throttleTimeMs: f.int32(),
    topics: f.array({
      topic: f.string(),
      partitions: f.array({
        errorCode: f.int16(),
        partition: f.int32(),
        leaderEpoch: f.int32({ default: -1 }),
        endOffset: f.int64({ default: -1n }),
      }),
    }),
  },
});

/** A decoded OffsetForLeaderEpochResponse: every field present, defaults filled in. */
export type OffsetForLeaderEpochResponse = Decoded<typeof OffsetForLeaderEpochResponseSchema>;
/** A OffsetForLeaderEpochResponse to encode: version-limited, tagged and defaulted fields may be omitted. */
export type OffsetForLeaderEpochResponseInput = Encodable<
  typeof OffsetForLeaderEpochResponseSchema
>;
