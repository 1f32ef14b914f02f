import { type Decoded, type Encodable, f, message } from "../schema";

/** DescribeConfigsResponse (API key 32), versions 1-4; derived from Kafka's message definition. */
export const DescribeConfigsResponseSchema = message({
  name: "DescribeConfigsResponse",
  apiKey: 32,
  kind: "response",
  versions: "1-4",
  flexible: "4+",
  fields: {
    throttleTimeMs: f.int32(),
    results: f.array({
      errorCode: f.int16(),
      errorMessage: f.string({ nullable: "1+" }),
      resourceType: f.int8(),
      resourceName: f.string(),
      configs: f.array({
        name: f.string(),
        value: f.string({ nullable: "1+" }),
        readOnly: f.bool(),
        configSource: f.int8({ default: -1 }),
        isSensitive: f.bool(),
        synonyms: f.array({
          name: f.string(),
          value: f.string({ nullable: "1+" }),
          source: f.int8(),
        }),
        configType: f.int8({ v: "3+", default: 0 }),
        documentation: f.string({ v: "3+", nullable: "3+" }),
      }),
    }),
  },
});

/** A decoded DescribeConfigsResponse: every field present, defaults filled in. */
export type DescribeConfigsResponse = Decoded<typeof DescribeConfigsResponseSchema>;
/** A DescribeConfigsResponse to encode: version-limited, tagged and defaulted fields may be omitted. */
export type DescribeConfigsResponseInput = Encodable<typeof DescribeConfigsResponseSchema>;
