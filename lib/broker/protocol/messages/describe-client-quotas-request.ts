import { type Decoded, type Encodable, f, message } from "../schema";

/** DescribeClientQuotasRequest (API key 48), versions 0-1; derived from Kafka's message definition. */
export const DescribeClientQuotasRequestSchema = message({
  name: "DescribeClientQuotasRequest",
  apiKey: 48,
  kind: "request",
  versions: "0-1",
  flexible: "1+",
  fields: {
    components: f.array({
      entityType: f.string(),
      matchType: f.int8(),
      match: f.string({ nullable: "0+" }),
    }),
    strict: f.bool(),
  },
});

/** A decoded DescribeClientQuotasRequest: every field present, defaults filled in. */
export type DescribeClientQuotasRequest = Decoded<typeof DescribeClientQuotasRequestSchema>;
/** A DescribeClientQuotasRequest to encode: version-limited, tagged and defaulted fields may be omitted. */
export type DescribeClientQuotasRequestInput = Encodable<typeof DescribeClientQuotasRequestSchema>;
