import { type Decoded, type Encodable, f, message } from "../schema";

/** DescribeClusterRequest (API key 60), versions 0-1; derived from Kafka's message definition. */
export const DescribeClusterRequestSchema = message({
  name: "DescribeClusterRequest",
  apiKey: 60,
  kind: "request",
  versions: "0-1",
  flexible: "0+",
  fields: {
    includeClusterAuthorizedOperations: f.bool(),
    endpointType: f.int8({ v: "1+", default: 1 }),
  },
});

/** A decoded DescribeClusterRequest: every field present, defaults filled in. */
export type DescribeClusterRequest = Decoded<typeof DescribeClusterRequestSchema>;
/** A DescribeClusterRequest to encode: version-limited, tagged and defaulted fields may be omitted. */
export type DescribeClusterRequestInput = Encodable<typeof DescribeClusterRequestSchema>;
