import { type Decoded, type Encodable, f, message } from "../schema";

/** AlterConfigsResponse (API key 33), versions 0-2; derived from Kafka's message definition. */
export const AlterConfigsResponseSchema = message({
  name: "AlterConfigsResponse",
  apiKey: 33,
  kind: "response",
  versions: "0-2",
  flexible: "2+",
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

/** A decoded AlterConfigsResponse: every field present, defaults filled in. */
export type AlterConfigsResponse = Decoded<typeof AlterConfigsResponseSchema>;
/** A AlterConfigsResponse to encode: version-limited, tagged and defaulted fields may be omitted. */
export type AlterConfigsResponseInput = Encodable<typeof AlterConfigsResponseSchema>;
