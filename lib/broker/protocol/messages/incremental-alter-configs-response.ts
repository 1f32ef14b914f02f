import { type Decoded, type Encodable, f, message } from "../schema";

/** IncrementalAlterConfigsResponse (API key 44), versions 0-1; derived from Kafka's message definition. */
export const IncrementalAlterConfigsResponseSchema = message({
  name: "IncrementalAlterConfigsResponse",
  apiKey: 44,
  kind: "response",
  versions: "0-1",
  flexible: "1+",
  fields: {
    throttleTimeMs: f.int32(),
    responses: f.array({
      errorCode: f.int16(),
      errorMessage: f.string({ nullable: "0+" }),
      resourceType: f.int8(),
      resourceName: f.string(),
    }),
  },
});

/** A decoded IncrementalAlterConfigsResponse: every field present, defaults filled in. */
export type IncrementalAlterConfigsResponse = Decoded<typeof IncrementalAlterConfigsResponseSchema>;
/** A IncrementalAlterConfigsResponse to encode: version-limited, tagged and defaulted fields may be omitted. */
export type IncrementalAlterConfigsResponseInput = Encodable<
  typeof IncrementalAlterConfigsResponseSchema
>;
