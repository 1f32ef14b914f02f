import { type Decoded, type Encodable, f, message } from "../schema";

/** ListOffsetsRequest (API key 2), versions 1-9; derived from Kafka's message definition. */
export const ListOffsetsRequestSchema = message({
  name: "ListOffsetsRequest",
  apiKey: 2,
  kind: "request",
  versions: "1-9",
  flexible: "6+",
  fields: {
    replicaId: f.int32(),
    isolationLevel: f.int8({ v: "2+" }),
    topics: f.array({
      name: f.string(),
      partitions: f.array({
        partitionIndex: f.int32(),
        currentLeaderEpoch: f.int32({ v: "4+", default: -1 }),
        timestamp: f.int64(),
      }),
    }),
  },
});

/** A decoded ListOffsetsRequest: every field present, defaults filled in. */
export type ListOffsetsRequest = Decoded<typeof ListOffsetsRequestSchema>;
/** A ListOffsetsRequest to encode: version-limited, tagged and defaulted fields may be omitted. */
export type ListOffsetsRequestInput = Encodable<typeof ListOffsetsRequestSchema>;
