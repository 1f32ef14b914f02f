import { type Decoded, type Encodable, f, message } from "../schema";

/** FetchRequest (API key 1), versions 4-12; derived from Kafka's message definition. */
export const FetchRequestSchema = message({
  name: "FetchRequest",
  apiKey: 1,
  kind: "request",
  versions: "4-12",
  flexible: "12+",
  fields: {
    clusterId: f.string({ v: "12+", nullable: "12+", tag: 0, default: null }),
    replicaId: f.int32({ default: -1 }),
    maxWaitMs: f.int32(),
    minBytes: f.int32(),
    maxBytes: f.int32({ default: 2147483647 }),
    isolationLevel: f.int8({ default: 0 }),
    sessionId: f.int32({ v: "7+", default: 0 }),
    sessionEpoch: f.int32({ v: "7+", default: -1 }),
    topics: f.array({
      topic: f.string(),
      partitions: f.array({
        partition: f.int32(),
        currentLeaderEpoch: f.int32({ v: "9+", default: -1 }),
        fetchOffset: f.int64(),
        lastFetchedEpoch: f.int32({ v: "12+", default: -1 }),
        logStartOffset: f.int64({ v: "5+", default: -1n }),
        partitionMaxBytes: f.int32(),
      }),
    }),
    forgottenTopicsData: f.array(
      {
        topic: f.string(),
        partitions: f.arrayOf("int32"),
      },
      { v: "7+" },
    ),
    rackId: f.string({ v: "11+", default: "" }),
  },
});

/** A decoded FetchRequest: every field present, defaults filled in. */
export type FetchRequest = Decoded<typeof FetchRequestSchema>;
/** A FetchRequest to encode: version-limited, tagged and defaulted fields may be omitted. */
export type FetchRequestInput = Encodable<typeof FetchRequestSchema>;
