import { type Decoded, type Encodable, f, message } from "../schema";

/** CreatePartitionsRequest (API key 37), versions 0-3; derived from Kafka's message definition. */
export const CreatePartitionsRequestSchema = message({
  name: "CreatePartitionsRequest",
  apiKey: 37,
  kind: "request",
  versions: "0-3",
  flexible: "2+",
  fields: {
    topics: f.array({
      name: f.string(),
      count: f.int32(),
      assignments: f.array(
        {
          brokerIds: f.arrayOf("int32"),
        },
        { nullable: "0+" },
      ),
    }),
    timeoutMs: f.int32(),
    validateOnly: f.bool(),
  },
});

/** A decoded CreatePartitionsRequest: every field present, defaults filled in. */
export type CreatePartitionsRequest = Decoded<typeof CreatePartitionsRequestSchema>;
/** A CreatePartitionsRequest to encode: version-limited, tagged and defaulted fields may be omitted. */
export type CreatePartitionsRequestInput = Encodable<typeof CreatePartitionsRequestSchema>;
