import { type Decoded, type Encodable, f, message } from "../schema";

/** MetadataResponse (API key 3), versions 0-12; derived from Kafka's message definition. */
export const MetadataResponseSchema = message({
  name: "MetadataResponse",
  apiKey: 3,
  kind: "response",
  versions: "0-12",
  flexible: "9+",
  fields: {
    throttleTimeMs: f.int32({ v: "3+" }),
    brokers: f.array({
      nodeId: f.int32(),
      host: f.string(),
      port: f.int32(),
      rack: f.string({ v: "1+", nullable: "1+", default: null }),
    }),
    clusterId: f.string({ v: "2+", nullable: "2+", default: null }),
    controllerId: f.int32({ v: "1+", default: -1 }),
    topics: f.array({
      errorCode: f.int16(),
      name: f.string({ nullable: "12+" }),
      topicId: f.uuid({ v: "10+" }),
      isInternal: f.bool({ v: "1+", default: false }),
      partitions: f.array({
        errorCode: f.int16(),
        partitionIndex: f.int32(),
        leaderId: f.int32(),
        leaderEpoch: f.int32({ v: "7+", default: -1 }),
        replicaNodes: f.arrayOf("int32"),
        isrNodes: f.arrayOf("int32"),
        offlineReplicas: f.arrayOf("int32", { v: "5+" }),
      }),
      topicAuthorizedOperations: f.int32({ v: "8+", default: -2147483648 }),
    }),
    clusterAuthorizedOperations: f.int32({ v: "8-10", default: -2147483648 }),
  },
});

/** A decoded MetadataResponse: every field present, defaults filled in. */
export type MetadataResponse = Decoded<typeof MetadataResponseSchema>;
/** A MetadataResponse to encode: version-limited, tagged and defaulted fields may be omitted. */
export type MetadataResponseInput = Encodable<typeof MetadataResponseSchema>;
