import { type Decoded, type Encodable, f, message } from "../schema";

/** DescribeUserScramCredentialsRequest (API key 50), versions 0; derived from Kafka's message definition. */
export const DescribeUserScramCredentialsRequestSchema = message({
  name: "DescribeUserScramCredentialsRequest",
  apiKey: 50,
  kind: "request",
  versions: "0",
  flexible: "0+",
  fields: {
    users: f.array(
      {
        name: f.string(),
      },
      { nullable: "0+" },
    ),
  },
});

/** A decoded DescribeUserScramCredentialsRequest: every field present, defaults filled in. */
export type DescribeUserScramCredentialsRequest = Decoded<
  typeof DescribeUserScramCredentialsRequestSchema
>;
/** A DescribeUserScramCredentialsRequest to encode: version-limited, tagged and defaulted fields may be omitted. */
export type DescribeUserScramCredentialsRequestInput = Encodable<
  typeof DescribeUserScramCredentialsRequestSchema
>;
