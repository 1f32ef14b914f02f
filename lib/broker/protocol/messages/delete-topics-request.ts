import { type Decoded, type Encodable, f, message } from "../schema";

/** DeleteTopicsRequest (API key 20), versions 1-6; derived from Kafka's message definition. */
export const DeleteTopicsRequestSchema = message({
  name: "DeleteTopicsRequest",
  apiKey: 20,
  kind: "request",
  versions: "1-6",
  flexible: "4+",
  fields: {
    topics: f.array(
      {
        name: f.string({ nullable: "6+", default: null }),
        topicId: f.uuid(),
      },
      { v: "6+" },
    ),
    topicNames: f.arrayOf("string", { v: "1-5" }),
    timeoutMs: f.int32(),
  },
});

/** A decoded DeleteTopicsRequest: every field present, defaults filled in. */
export type DeleteTopicsRequest = Decoded<typeof DeleteTopicsRequestSchema>;
/** A DeleteTopicsRequest to encode: version-limited, tagged and defaulted fields may be omitted. */
export type DeleteTopicsRequestInput = Encodable<typeof DeleteTopicsRequestSchema>;
