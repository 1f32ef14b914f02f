import { type Decoded, type Encodable, f, message } from "../schema";

/** OffsetFetchResponse (API key 9), versions 1-9; derived from Kafka's message definition. */
export const OffsetFetchResponseSchema = message({
  name: "OffsetFetchResponse",
  apiKey: 9,
  kind: "response",
  versions: "1-9",
  flexible: "6+",
  fields: {
    throttleTimeMs: f.int32({ v: "3+" }),
    topics: f.array(
      {
        name: f.string(),
        partitions: f.array({
          partitionIndex: f.int32(),
          committedOffset: f.int64(),
          committedLeaderEpoch: f.int32({ v: "5+", default: -1 }),
          metadata: f.string({ nullable: "1+" }),
          errorCode: f.int16(),
        }),
      },
      { v: "1-7" },
    ),
    errorCode: f.int16({ v: "2-7", default: 0 }),
    groups: f.array(
      {
        groupId: f.string(),
        topics: f.array({
          name: f.string(),
          partitions: f.array({
            partitionIndex: f.int32(),
            committedOffset: f.int64(),
            committedLeaderEpoch: f.int32({ default: -1 }),
            metadata: f.string({ nullable: "8+" }),
            errorCode: f.int16(),
          }),
        }),
        errorCode: f.int16({ default: 0 }),
      },
      { v: "8+" },
    ),
  },
});

/** A decoded OffsetFetchResponse: every field present, defaults filled in. */
export type OffsetFetchResponse = Decoded<typeof OffsetFetchResponseSchema>;
/** A OffsetFetchResponse to encode: version-limited, tagged and defaulted fields may be omitted. */
export type OffsetFetchResponseInput = Encodable<typeof OffsetFetchResponseSchema>;
