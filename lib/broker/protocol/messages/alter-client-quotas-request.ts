import { type Decoded, type Encodable, f, message } from "../schema";

/** AlterClientQuotasRequest (API key 49), versions 0-1; derived from Kafka's message definition. */
export const AlterClientQuotasRequestSchema = message({
  name: "AlterClientQuotasRequest",
  apiKey: 49,
  kind: "request",
  versions: "0-1",
  flexible: "1+",
  fields: {
    entries: f.array({
      entity: f.array({
        entityType: f.string(),
        entityName: f.string({ nullable: "0+" }),
      }),
      ops: f.array({
        key: f.string(),
        value: f.float64(),
        remove: f.bool(),
      }),
    }),
    validateOnly: f.bool(),
  },
});

/** A decoded AlterClientQuotasRequest: every field present, defaults filled in. */
export type AlterClientQuotasRequest = Decoded<typeof AlterClientQuotasRequestSchema>;
/** A AlterClientQuotasRequest to encode: version-limited, tagged and defaulted fields may be omitted. */
export type AlterClientQuotasRequestInput = Encodable<typeof AlterClientQuotasRequestSchema>;
