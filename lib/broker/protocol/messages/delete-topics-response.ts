import { type Decoded, type Encodable, f, message } from "../schema";

/** DeleteTopicsResponse (API key 20), versions 1-6; derived from Kafka's message definition. */
export const DeleteTopicsResponseSchema = message({
  name: "DeleteTopicsResponse",
  apiKey: 20,
  kind: "response",
  versions: "1-6",
  flexible: "4+",
  fields: {
    throttleTimeMs: f.int32(),
    responses: f.array({
      name: f.string({ nullable: "6+" }),
      topicId: f.uuid({ v: "6+" }),
      errorCode: f.int16(),
      errorMessage: f.string({ v: "5+", nullable: "5+", default: null }),
    }),
  },
});

/** A decoded DeleteTopicsResponse: every field present, defaults filled in. */
export type DeleteTopicsResponse = Decoded<typeof DeleteTopicsResponseSchema>;
/** A DeleteTopicsResponse to encode: version-limited, tagged and defaulted fields may be omitted. */
export type DeleteTopicsResponseInput = Encodable<typeof DeleteTopicsResponseSchema>;
