import { type Decoded, type Encodable, f, message } from "../schema";

/** AlterConfigsRequest (API key 33), versions 0-2; derived from Kafka's message definition. */
export const AlterConfigsRequestSchema = message({
  name: "AlterConfigsRequest",
  apiKey: 33,
  kind: "request",
  versions: "0-2",
  flexible: "2+",
  fields: {
    resources: f.array({
      resourceType: f.int8(),
      resourceName: f.string(),
      configs: f.array({
        name: f.string(),
        value: f.string({ nullable: "0+" }),
      }),
    }),
    validateOnly: f.bool(),
  },
});

/** A decoded AlterConfigsRequest: every field present, defaults filled in. */
export type AlterConfigsRequest = Decoded<typeof AlterConfigsRequestSchema>;
/** A AlterConfigsRequest to encode: version-limited, tagged and defaulted fields may be omitted. */
export type AlterConfigsRequestInput = Encodable<typeof AlterConfigsRequestSchema>;
