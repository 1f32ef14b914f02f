import { type Decoded, type Encodable, f, message } from "../schema";

/** OffsetForLeaderEpochRequest (API key 23), versions 2-4; derived from Kafka's message definition. */
export const OffsetForLeaderEpochRequestSchema = message({
  name: "OffsetForLeaderEpochRequest",
  apiKey: 23,
  kind: "request",
  versions: "2-4",
  flexible: "4+",
  fields: {
    replicaId: f.int32({ v: "3+", default: -2 }),
    topics: f.array({
      topic: f.string(),
      partitions: f.array({
        partition: f.int32(),
        currentLeaderEpoch: f.int32({ default: -1 }),
        leaderEpoch: f.int32(),
      }),
    }),
  },
});

/** A decoded OffsetForLeaderEpochRequest: every field present, defaults filled in. */
export type OffsetForLeaderEpochRequest = Decoded<typeof OffsetForLeaderEpochRequestSchema>;
/** A OffsetForLeaderEpochRequest to encode: version-limited, tagged and defaulted fields may be omitted. */
export type OffsetForLeaderEpochRequestInput = Encodable<typeof OffsetForLeaderEpochRequestSchema>;
