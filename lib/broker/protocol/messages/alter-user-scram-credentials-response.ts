import { type Decoded, type Encodable, f, message } from "../schema";

/** AlterUserScramCredentialsResponse (API key 51), versions 0; derived from Kafka's message definition. */
export const AlterUserScramCredentialsResponseSchema = message({
  name: "AlterUserScramCredentialsResponse",
  apiKey: 51,
  kind: "response",
  versions: "0",
  flexible: "0+",
  fields: {
    throttleTimeMs: f.int32(),
    results: f.array({
      user: f.string(),
      errorCode: f.int16(),
      errorMessage: f.string({ nullable: "0+" }),
    }),
  },
});

/** A decoded AlterUserScramCredentialsResponse: every field present, defaults filled in. */
export type AlterUserScramCredentialsResponse = Decoded<
  typeof AlterUserScramCredentialsResponseSchema
>;
/** A AlterUserScramCredentialsResponse to encode: version-limited, tagged and defaulted fields may be omitted. */
export type AlterUserScramCredentialsResponseInput = Encodable<
  typeof AlterUserScramCredentialsResponseSchema
>;
