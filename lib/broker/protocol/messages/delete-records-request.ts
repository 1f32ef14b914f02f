import { type Decoded, type Encodable, f, message } from "../schema";

/** DeleteRecordsRequest (API key 21), versions 0-2; derived from Kafka's message definition. */
export const DeleteRecordsRequestSchema = message({
  name: "DeleteRecordsRequest",
  apiKey: 21,
  kind: "request",
  versions: "0-2",
  flexible: "2+",
  fields: {
    topics: f.array({
      name: f.string(),
      partitions: f.array({
        partitionIndex: f.int32(),
        offset: f.int64(),
      }),
    }),
    timeoutMs: f.int32(),
  },
});

/** A decoded DeleteRecordsRequest: every field present, defaults filled in. */
export type DeleteRecordsRequest = Decoded<typeof DeleteRecordsRequestSchema>;
/** A DeleteRecordsRequest to encode: version-limited, tagged and defaulted fields may be omitted. */
export type DeleteRecordsRequestInput = Encodable<typeof DeleteRecordsRequestSchema>;
