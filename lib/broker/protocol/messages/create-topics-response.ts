import { type Decoded, type Encodable, f, message } from "../schema";

/** CreateTopicsResponse (API key 19), versions 2-7; derived from Kafka's message definition. */
export const CreateTopicsResponseSchema = message({
  name: "CreateTopicsResponse",
  apiKey: 19,
  kind: "response",
  versions: "2-7",
  flexible: "5+",
  fields: {
    throttleTimeMs: f.int32(),
    topics: f.array({
      name: f.string(),
      topicId: f.uuid({ v: "7+" }),
      errorCode: f.int16(),
      errorMessage: f.string({ nullable: "2+" }),
      topicConfigErrorCode: f.int16({ v: "5+", tag: 0 }),
      numPartitions: f.int32({ v: "5+", default: -1 }),
      replicationFactor: f.int16({ v: "5+", default: -1 }),
      configs: f.array(
        {
          name: f.string(),
          value: f.string({ nullable: "5+" }),
          readOnly: f.bool(),
          configSource: f.int8({ default: -1 }),
          isSensitive: f.bool(),
        },
        { v: "5+", nullable: "5+" },
      ),
    }),
  },
});

/** A decoded CreateTopicsResponse: every field present, defaults filled in. */
export type CreateTopicsResponse = Decoded<typeof CreateTopicsResponseSchema>;
/** A CreateTopicsResponse to encode: version-limited, tagged and defaulted fields may be omitted. */
export type CreateTopicsResponseInput = Encodable<typeof CreateTopicsResponseSchema>;
