import { type Decoded, type Encodable, f, message } from "../schema";

/** CreateTopicsRequest (API key 19), versions 2-7; derived from Kafka's message definition. */
export const CreateTopicsRequestSchema = message({
  name: "CreateTopicsRequest",
  apiKey: 19,
  kind: "request",
  versions: "2-7",
  flexible: "5+",
  fields: {
    topics: f.array({
      name: f.string(),
      numPartitions: f.int32(),
      replicationFactor: f.int16(),
      assignments: f.array({
        partitionIndex: f.int32(),
        brokerIds: f.arrayOf("int32"),
      }),
      configs: f.array({
        name: f.string(),
        value: f.string({ nullable: "2+" }),
      }),
    }),
    timeoutMs: f.int32({ default: 60000 }),
    validateOnly: f.bool({ default: false }),
  },
});

/** A decoded CreateTopicsRequest: every field present, defaults filled in. */
export type CreateTopicsRequest = Decoded<typeof CreateTopicsRequestSchema>;
/** A CreateTopicsRequest to encode: version-limited, tagged and defaulted fields may be omitted. */
export type CreateTopicsRequestInput = Encodable<typeof CreateTopicsRequestSchema>;
