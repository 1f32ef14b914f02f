import { type Decoded, type Encodable, f, message } from "../schema";

/** DescribeGroupsRequest (API key 15), versions 0-5; derived from Kafka's message definition. */
export const DescribeGroupsRequestSchema = message({
  name: "DescribeGroupsRequest",
  apiKey: 15,
  kind: "request",
  versions: "0-5",
  flexible: "5+",
  fields: {
    groups: f.arrayOf("string"),
    includeAuthorizedOperations: f.bool({ v: "3+" }),
  },
});

/** A decoded DescribeGroupsRequest: every field present, defaults filled in. */
export type DescribeGroupsRequest = Decoded<typeof DescribeGroupsRequestSchema>;
/** A DescribeGroupsRequest to encode: version-limited, tagged and defaulted fields may be omitted. */
export type DescribeGroupsRequestInput = Encodable<typeof DescribeGroupsRequestSchema>;
