import { type Decoded, type Encodable, f, message } from "../schema";

/** InitProducerIdRequest (API key 22), versions 0-5; derived from Kafka's message definition. */
export const InitProducerIdRequestSchema = message({
  name: "InitProducerIdRequest",
  apiKey: 22,
  kind: "request",
  versions: "0-5",
  flexible: "2+",
  fields: {
    transactionalId: f.string({ nullable: "0+" }),
    transactionTimeoutMs: f.int32(),
    producerId: f.int64({ v: "3+", default: -1n }),
    producerEpoch: f.int16({ v: "3+", default: -1 }),
  },
});

/** A decoded InitProducerIdRequest: every field present, defaults filled in. */
export type InitProducerIdRequest = Decoded<typeof InitProducerIdRequestSchema>;
/** A InitProducerIdRequest to encode: version-limited, tagged and defaulted fields may be omitted. */
export type InitProducerIdRequestInput = Encodable<typeof InitProducerIdRequestSchema>;
