import { type Decoded, type Encodable, f, message } from "../schema";

/** CreatePartitionsResponse (API key 37), versions 0-3; derived from Kafka's message definition. */
export const CreatePartitionsResponseSchema = message({
  name: "CreatePartitionsResponse",
  apiKey: 37,
  kind: "response",
  versions: "0-3",
  flexible: "2+",
  fields: {
    throttleTimeMs: f.int32(),
    results: f.array({
      name: f.string(),
      errorCode: f.int16(),
      errorMessage: f.string({ nullable: "0+", default: null }),
    }),
  },
});

/** A decoded CreatePartitionsResponse: every field present, defaults filled in. */
export type CreatePartitionsResponse = Decoded<typeof CreatePartitionsResponseSchema>;
/** A CreatePartitionsResponse to encode: version-limited, tagged and defaulted fields may be omitted. */
export type CreatePartitionsResponseInput = Encodable<typeof CreatePartitionsResponseSchema>;
