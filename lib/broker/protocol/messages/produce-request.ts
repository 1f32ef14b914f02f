import { type Decoded, type Encodable, f, message } from "../schema";

/** ProduceRequest (API key 0), versions 0-11; derived from Kafka's message definition. */
export const ProduceRequestSchema = message({
  name: "ProduceRequest",
  apiKey: 0,
  kind: "request",
  versions: "0-11",
  flexible: "9+",
  fields: {
    transactionalId: f.string({ v: "3+", nullable: "3+", default: null }),
    acks: f.int16(),
    timeoutMs: f.int32(),
    topicData: f.array({
      name: f.string(),
      partitionData: f.array({
        index: f.int32(),
        records: f.records({ nullable: "0+" }),
      }),
    }),
  },
});

/** A decoded ProduceRequest: every field present, defaults filled in. */
export type ProduceRequest = Decoded<typeof ProduceRequestSchema>;
/** A ProduceRequest to encode: version-limited, tagged and defaulted fields may be omitted. */
export type ProduceRequestInput = Encodable<typeof ProduceRequestSchema>;
