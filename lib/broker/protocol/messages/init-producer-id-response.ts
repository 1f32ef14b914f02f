import { type Decoded, type Encodable, f, message } from "../schema";

/** InitProducerIdResponse (API key 22), versions 0-5; derived from Kafka's message definition. */
export const InitProducerIdResponseSchema = message({
  name: "InitProducerIdResponse",
  apiKey: 22,
  kind: "response",
  versions: "0-5",
  flexible: "2+",
  fields: {
    throttleTimeMs: f.int32(),
    errorCode: f.int16(),
    producerId: f.int64({ default: -1n }),
    producerEpoch: f.int16(),
  },
});

/** A decoded InitProducerIdResponse: every field present, defaults filled in. */
export type InitProducerIdResponse = Decoded<typeof InitProducerIdResponseSchema>;
/** A InitProducerIdResponse to encode: version-limited, tagged and defaulted fields may be omitted. */
export type InitProducerIdResponseInput = Encodable<typeof InitProducerIdResponseSchema>;
