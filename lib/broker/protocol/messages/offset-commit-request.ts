import { type Decoded, type Encodable, f, message } from "../schema";

/** OffsetCommitRequest (API key 8), versions 2-9; derived from Kafka's message definition. */
export const OffsetCommitRequestSchema = message({
  name: "OffsetCommitRequest",
  apiKey: 8,
  kind: "request",
  versions: "2-9",
  flexible: "8+",
  fields: {
    groupId: f.string(),
    generationIdOrMemberEpoch: f.int32({ default: -1 }),
    memberId: f.string(),
    groupInstanceId: f.string({ v: "7+", nullable: "7+", default: null }),
    retentionTimeMs: f.int64({ v: "2-4", default: -1n }),
    topics: f.array({
      name: f.string(),
      partitions: f.array({
        partitionIndex: f.int32(),
        committedOffset: f.int64(),
        committedLeaderEpoch: f.int32({ v: "6+", default: -1 }),
        committedMetadata: f.string({ nullable: "2+" }),
      }),
    }),
  },
});

/** A decoded OffsetCommitRequest: every field present, defaults filled in. */
export type OffsetCommitRequest = Decoded<typeof OffsetCommitRequestSchema>;
/** A OffsetCommitRequest to encode: version-limited, tagged and defaulted fields may be omitted. */
export type OffsetCommitRequestInput = Encodable<typeof OffsetCommitRequestSchema>;
