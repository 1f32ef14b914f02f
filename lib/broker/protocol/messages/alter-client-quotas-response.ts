import { type Decoded, type Encodable, f, message } from "../schema";

/** AlterClientQuotasResponse (API key 49), versions 0-1; derived from Kafka's message definition. */
export const AlterClientQuotasResponseSchema = message({
  name: "AlterClientQuotasResponse",
  apiKey: 49,
  kind: "response",
  versions: "0-1",
  flexible: "1+",
  fields: {
    throttleTimeMs: f.int32(),
    entries: f.array({
      errorCode: f.int16(),
      errorMessage: f.string({ nullable: "0+" }),
      entity: f.array({
        entityType: f.string(),
        entityName: f.string({ nullable: "0+" }),
      }),
    }),
  },
});

/** A decoded AlterClientQuotasResponse: every field present, defaults filled in. */
export type AlterClientQuotasResponse = Decoded<typeof AlterClientQuotasResponseSchema>;
/** A AlterClientQuotasResponse to encode: version-limited, tagged and defaulted fields may be omitted. */
export type AlterClientQuotasResponseInput = Encodable<typeof AlterClientQuotasResponseSchema>;
