import { type Decoded, type Encodable, f, message } from "../schema";

/** DescribeClientQuotasResponse (API key 48), versions 0-1; derived from Kafka's message definition. */
export const DescribeClientQuotasResponseSchema = message({
  name: "DescribeClientQuotasResponse",
  apiKey: 48,
  kind: "response",
  versions: "0-1",
  flexible: "1+",
  fields: {
    throttleTimeMs: f.int32(),
    errorCode: f.int16(),
    errorMessage: f.string({ nullable: "0+" }),
    entries: f.array(
      {
        entity: f.array({
          entityType: f.string(),
          entityName: f.string({ nullable: "0+" }),
        }),
        values: f.array({
          key: f.string(),
          value: f.float64(),
        }),
      },
      { nullable: "0+" },
    ),
  },
});

/** A decoded DescribeClientQuotasResponse: every field present, defaults filled in. */
export type DescribeClientQuotasResponse = Decoded<typeof DescribeClientQuotasResponseSchema>;
/** A DescribeClientQuotasResponse to encode: version-limited, tagged and defaulted fields may be omitted. */
export type DescribeClientQuotasResponseInput = Encodable<
  typeof DescribeClientQuotasResponseSchema
>;
