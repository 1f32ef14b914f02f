import { type Decoded, type Encodable, f, message } from "../schema";

/** DescribeClusterResponse (API key 60), versions 0-1; derived from Kafka's message definition. */
export const DescribeClusterResponseSchema = message({
  name: "DescribeClusterResponse",
  apiKey: 60,
  kind: "response",
  versions: "0-1",
  flexible: "0+",
  fields: {
    throttleTimeMs: f.int32(),
    errorCode: f.int16(),
    errorMessage: f.string({ nullable: "0+", default: null }),
    endpointType: f.int8({ v: "1+", default: 1 }),
    clusterId: f.string(),
    controllerId: f.int32({ default: -1 }),
    brokers: f.array({
      brokerId: f.int32(),
      host: f.string(),
      port: f.int32(),
      rack: f.string({ nullable: "0+", default: null }),
    }),
    clusterAuthorizedOperations: f.int32({ default: -2147483648 }),
  },
});

/** A decoded DescribeClusterResponse: every field present, defaults filled in. */
export type DescribeClusterResponse = Decoded<typeof DescribeClusterResponseSchema>;
/** A DescribeClusterResponse to encode: version-limited, tagged and defaulted fields may be omitted. */
export type DescribeClusterResponseInput = Encodable<typeof DescribeClusterResponseSchema>;
