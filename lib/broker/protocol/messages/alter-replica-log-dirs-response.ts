import { type Decoded, type Encodable, f, message } from "../schema";

/** AlterReplicaLogDirsResponse (API key 34), versions 1-2; derived from Kafka's message definition. */
export const AlterReplicaLogDirsResponseSchema = message({
  name: "AlterReplicaLogDirsResponse",
  apiKey: 34,
  kind: "response",
  versions: "1-2",
  flexible: "2+",
  fields: {
    throttleTimeMs: f.int32(),
    results: f.array({
      topicName: f.string(),
      partitions: f.array({
        partitionIndex: f.int32(),
        errorCode: f.int16(),
      }),
    }),
  },
});

/** A decoded AlterReplicaLogDirsResponse: every field present, defaults filled in. */
export type AlterReplicaLogDirsResponse = Decoded<typeof AlterReplicaLogDirsResponseSchema>;
/** An AlterReplicaLogDirsResponse to encode: version-limited, tagged and defaulted fields may be omitted. */
export type AlterReplicaLogDirsResponseInput = Encodable<typeof AlterReplicaLogDirsResponseSchema>;
