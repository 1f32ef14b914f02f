import { type Decoded, type Encodable, f, message } from "../schema";

/** DeleteRecordsResponse (API key 21), versions 0-2; derived from Kafka's message definition. */
export const DeleteRecordsResponseSchema = message({
  name: "DeleteRecordsResponse",
  apiKey: 21,
  kind: "response",
  versions: "0-2",
  flexible: "2+",
  fields: {
    throttleTimeMs: f.int32(),
    topics: f.array({
      name: f.string(),
      partitions: f.array({
        partitionIndex: f.int32(),
        lowWatermark: f.int64(),
        errorCode: f.int16(),
      }),
    }),
  },
});

/** A decoded DeleteRecordsResponse: every field present, defaults filled in. */
export type DeleteRecordsResponse = Decoded<typeof DeleteRecordsResponseSchema>;
/** A DeleteRecordsResponse to encode: version-limited, tagged and defaulted fields may be omitted. */
export type DeleteRecordsResponseInput = Encodable<typeof DeleteRecordsResponseSchema>;
