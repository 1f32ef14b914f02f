import { type Decoded, type Encodable, f, message } from "../schema";

/** DescribeConfigsRequest (API key 32), versions 1-4; derived from Kafka's message definition. */
export const DescribeConfigsRequestSchema = message({
  name: "DescribeConfigsRequest",
  apiKey: 32,
  kind: "request",
  versions: "1-4",
  flexible: "4+",
  fields: {
    resources: f.array({
      resourceType: f.int8(),
      resourceName: f.string(),
      configurationKeys: f.arrayOf("string", { nullable: "1+" }),
    }),
    includeSynonyms: f.bool({ default: false }),
    includeDocumentation: f.bool({ v: "3+", default: false }),
  },
});

/** A decoded DescribeConfigsRequest: every field present, defaults filled in. */
export type DescribeConfigsRequest = Decoded<typeof DescribeConfigsRequestSchema>;
/** A DescribeConfigsRequest to encode: version-limited, tagged and defaulted fields may be omitted. */
export type DescribeConfigsRequestInput = Encodable<typeof DescribeConfigsRequestSchema>;
