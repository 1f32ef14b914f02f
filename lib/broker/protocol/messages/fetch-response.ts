import { type Decoded, type Encodable, f, message } from "../schema";

/** FetchResponse (API key 1), versions 4-12; derived from Kafka's message definition. */
export const FetchResponseSchema = message({
  name: "FetchResponse",
  apiKey: 1,
  kind: "response",
  versions: "4-12",
  flexible: "12+",
  fields: {
    throttleTimeMs: f.int32(),
    errorCode: f.int16({ v: "7+" }),
    sessionId: f.int32({ v: "7+", default: 0 }),
    responses: f.array({
      topic: f.string(),
      partitions: f.array({
        partitionIndex: f.int32(),
        errorCode: f.int16(),
        highWatermark: f.int64(),
        lastStableOffset: f.int64({ default: -1n }),
        logStartOffset: f.int64({ v: "5+", default: -1n }),
        divergingEpoch: f.struct(
          {
            epoch: f.int32({ default: -1 }),
            endOffset: f.int64({ default: -1n }),
          },
          { v: "12+", tag: 0 },
        ),
        currentLeader: f.struct(
          {
            leaderId: f.int32({ default: -1 }),
            leaderEpoch: f.int32({ default: -1 }),
          },
          { v: "12+", tag: 1 },
        ),
        snapshotId: f.struct(
          {
            endOffset: f.int64({ default: -1n }),
            epoch: f.int32({ default: -1 }),
          },
          { v: "12+", tag: 2 },
        ),
        abortedTransactions: f.array(
          {
            producerId: f.int64(),
            firstOffset: f.int64(),
          },
          { nullable: "4+" },
        ),
        preferredReadReplica: f.int32({ v: "11+", default: -1 }),
        records: f.records({ nullable: "4+" }),
      }),
    }),
  },
});

/** A decoded FetchResponse: every field present, defaults filled in. */
export type FetchResponse = Decoded<typeof FetchResponseSchema>;
/** A FetchResponse to encode: version-limited, tagged and defaulted fields may be omitted. */
export type FetchResponseInput = Encodable<typeof FetchResponseSchema>;
