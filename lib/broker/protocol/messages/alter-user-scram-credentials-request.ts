import { type Decoded, type Encodable, f, message } from "../schema";

/** AlterUserScramCredentialsRequest (API key 51), versions 0; derived from Kafka's message definition. */
export const AlterUserScramCredentialsRequestSchema = message({
  name: "AlterUserScramCredentialsRequest",
  apiKey: 51,
  kind: "request",
  versions: "0",
  flexible: "0+",
  fields: {
    deletions: f.array({
      name: f.string(),
      mechanism: f.int8(),
    }),
    upsertions: f.array({
      name: f.string(),
      mechanism: f.int8(),
      iterations: f.int32(),
      salt: f.bytes(),
      saltedPassword: f.bytes(),
    }),
  },
});

/** A decoded AlterUserScramCredentialsRequest: every field present, defaults filled in. */
export type AlterUserScramCredentialsRequest = Decoded<
  typeof AlterUserScramCredentialsRequestSchema
>;
/** A AlterUserScramCredentialsRequest to encode: version-limited, tagged and defaulted fields may be omitted. */
export type AlterUserScramCredentialsRequestInput = Encodable<
  typeof AlterUserScramCredentialsRequestSchema
>;
