import { type Decoded, type Encodable, f, message } from "../schema";

/** ListOffsetsResponse (API key 2), versions 1-9; derived from Kafka's message definition. */
export const ListOffsetsResponseSchema = message({
  name: "ListOffsetsResponse",
  apiKey: 2,
  kind: "response",
  versions: "1-9",
  flexible: "6+",
  fields: {
    throttleTimeMs: f.int32({ v: "2+" }),
    topics: f.array({
      name: f.string(),
      partitions: f.array({
        partitionIndex: f.int32(),
        errorCode: f.int16(),
        timestamp: f.int64({ default: -1n }),
        offset: f.int64({ default: -1n }),
        leaderEpoch: f.int32({ v: "4+", default: -1 }),
      }),
    }),
  },
});

/** A decoded ListOffsetsResponse: every field present, defaults filled in. */
export type ListOffsetsResponse = Decoded<typeof ListOffsetsResponseSchema>;
/** A ListOffsetsResponse to encode: version-limited, tagged and defaulted fields may be omitted. */
export type ListOffsetsResponseInput = Encodable<typeof ListOffsetsResponseSchema>;
