import { type Decoded, type Encodable, f, message } from "../schema";

/** ProduceResponse (API key 0), versions 0-11; derived from Kafka's message definition. */
export const ProduceResponseSchema = message({
  name: "ProduceResponse",
  apiKey: 0,
  kind: "response",
  versions: "0-11",
  flexible: "9+",
  fields: {
    responses: f.array({
      name: f.string(),
      partitionResponses: f.array({
        index: f.int32(),
        errorCode: f.int16(),
        baseOffset: f.int64(),
        logAppendTimeMs: f.int64({ v: "2+", default: -1n }),
        logStartOffset: f.int64({ v: "5+", default: -1n }),
        recordErrors: f.array(
          {
            batchIndex: f.int32(),
            batchIndexErrorMessage: f.string({ nullable: "8+", default: null }),
          },
          { v: "8+" },
        ),
        errorMessage: f.string({ v: "8+", nullable: "8+", default: null }),
        currentLeader: f.struct(
          {
            leaderId: f.int32({ default: -1 }),
            leaderEpoch: f.int32({ default: -1 }),
          },
          { v: "10+", tag: 0 },
        ),
      }),
    }),
    throttleTimeMs: f.int32({ v: "1+", default: 0 }),
    nodeEndpoints: f.array(
      {
        nodeId: f.int32(),
        host: f.string(),
        port: f.int32(),
        rack: f.string({ nullable: "10+", default: null }),
      },
      { v: "10+", tag: 0 },
    ),
  },
});

/** A decoded ProduceResponse: every field present, defaults filled in. */
export type ProduceResponse = Decoded<typeof ProduceResponseSchema>;
/** A ProduceResponse to encode: version-limited, tagged and defaulted fields may be omitted. */
export type ProduceResponseInput = Encodable<typeof ProduceResponseSchema>;
