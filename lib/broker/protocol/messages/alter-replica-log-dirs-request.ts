import { type Decoded, type Encodable, f, message } from "../schema";

/** AlterReplicaLogDirsRequest (API key 34), versions 1-2; derived from Kafka's message definition. */
export const AlterReplicaLogDirsRequestSchema = message({
  name: "AlterReplicaLogDirsRequest",
  apiKey: 34,
  kind: "request",
  versions: "1-2",
  flexible: "2+",
  fields: {
    dirs: f.array({
      path: f.string(),
      topics: f.array({
        name: f.string(),
        partitions: f.arrayOf("int32"),
      }),
    }),
  },
});

/** A decoded AlterReplicaLogDirsRequest: every field present, defaults filled in. */
export type AlterReplicaLogDirsRequest = Decoded<typeof AlterReplicaLogDirsRequestSchema>;
/** An AlterReplicaLogDirsRequest to encode: version-limited, tagged and defaulted fields may be omitted. */
export type AlterReplicaLogDirsRequestInput = Encodable<typeof AlterReplicaLogDirsRequestSchema>;
