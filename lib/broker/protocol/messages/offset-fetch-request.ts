import { type Decoded, type Encodable, f, message } from "../schema";

/** OffsetFetchRequest (API key 9), versions 1-9; derived from Kafka's message definition. */
export const OffsetFetchRequestSchema = message({
  name: "OffsetFetchRequest",
  apiKey: 9,
  kind: "request",
  versions: "1-9",
  flexible: "6+",
  fields: {
    groupId: f.string({ v: "1-7" }),
    topics: f.array(
      {
        name: f.string(),
        partitionIndexes: f.arrayOf("int32"),
      },
      { v: "1-7", nullable: "2-7" },
    ),
    groups: f.array(
      {
        groupId: f.string(),
        memberId: f.string({ v: "9+", nullable: "9+", default: null }),
        memberEpoch: f.int32({ v: "9+", default: -1 }),
        topics: f.array(
          {
            name: f.string(),
            partitionIndexes: f.arrayOf("int32"),
          },
          { nullable: "8+" },
        ),
      },
      { v: "8+" },
    ),
    requireStable: f.bool({ v: "7+", default: false }),
  },
});

/** A decoded OffsetFetchRequest: every field present, defaults filled in. */
export type OffsetFetchRequest = Decoded<typeof OffsetFetchRequestSchema>;
/** A OffsetFetchRequest to encode: version-limited, tagged and defaulted fields may be omitted. */
export type OffsetFetchRequestInput = Encodable<typeof OffsetFetchRequestSchema>;
