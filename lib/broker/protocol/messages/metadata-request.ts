import { type Decoded, type Encodable, f, message } from "../schema";

/** MetadataRequest (API key 3), versions 0-12; derived from Kafka's message definition. */
export const MetadataRequestSchema = message({
  name: "MetadataRequest",
  apiKey: 3,
  kind: "request",
  versions: "0-12",
  flexible: "9+",
  fields: {
    topics: f.array(
      {
        topicId: f.uuid({ v: "10+" }),
        name: f.string({ nullable: "10+" }),
      },
      { nullable: "1+" },
    ),
    allowAutoTopicCreation: f.bool({ v: "4+", default: true }),
    includeClusterAuthorizedOperations: f.bool({ v: "8-10" }),
    includeTopicAuthorizedOperations: f.bool({ v: "8+" }),
  },
});

/** A decoded MetadataRequest: every field present, defaults filled in. */
export type MetadataRequest = Decoded<typeof MetadataRequestSchema>;
/** A MetadataRequest to encode: version-limited, tagged and defaulted fields may be omitted. */
export type MetadataRequestInput = Encodable<typeof MetadataRequestSchema>;
