import { type Decoded, type Encodable, f, message } from "../schema";

/** DescribeUserScramCredentialsResponse (API key 50), versions 0; derived from Kafka's message definition. */
export const DescribeUserScramCredentialsResponseSchema = message({
  name: "DescribeUserScramCredentialsResponse",
  apiKey: 50,
  kind: "response",
  versions: "0",
  flexible: "0+",
  fields: {
    throttleTimeMs: f.int32(),
    errorCode: f.int16(),
    errorMessage: f.string({ nullable: "0+" }),
    results: f.array({
      user: f.string(),
      errorCode: f.int16(),
      errorMessage: f.string({ nullable: "0+" }),
      credentialInfos: f.array({
        mechanism: f.int8(),
        iterations: f.int32(),
      }),
    }),
  },
});

/** A decoded DescribeUserScramCredentialsResponse: every field present, defaults filled in. */
export type DescribeUserScramCredentialsResponse = Decoded<
  typeof DescribeUserScramCredentialsResponseSchema
>;
/** A DescribeUserScramCredentialsResponse to encode: version-limited, tagged and defaulted fields may be omitted. */
export type DescribeUserScramCredentialsResponseInput = Encodable<
  typeof DescribeUserScramCredentialsResponseSchema
>;
