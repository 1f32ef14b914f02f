import { type Decoded, type Encodable, f, message } from "../schema";

/** IncrementalAlterConfigsRequest (API key 44), versions 0-1; derived from Kafka's message definition. */
export const IncrementalAlterConfigsRequestSchema = message({
  name: "IncrementalAlterConfigsRequest",
  apiKey: 44,
  kind: "request",
  versions: "0-1",
  flexible: "1+",
  fields: {
    resources: f.array({
      resourceType: f.int8(),
      resourceName: f.string(),
      configs: f.array({
        name: f.string(),
        configOperation: f.int8(),
        value: f.string({ nullable: "0+" }),
      }),
    }),
    validateOnly: f.bool(),
  },
});

/** A decoded IncrementalAlterConfigsRequest: every field present, defaults filled in. */
export type IncrementalAlterConfigsRequest = Decoded<typeof IncrementalAlterConfigsRequestSchema>;
/** A IncrementalAlterConfigsRequest to encode: version-limited, tagged and defaulted fields may be omitted. */
export type IncrementalAlterConfigsRequestInput = Encodable<
  typeof IncrementalAlterConfigsRequestSchema
>;
