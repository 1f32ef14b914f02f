import { type Decoded, type Encodable, f, message } from "../schema";

/** CreateAclsResponse (API key 30), versions 1-3; derived from Kafka's message definition. */
export const CreateAclsResponseSchema = message({
  name: "CreateAclsResponse",
  apiKey: 30,
  kind: "response",
  versions: "1-3",
  flexible: "2+",
  fields: {
    throttleTimeMs: f.int32(),
    results: f.array({
      errorCode: f.int16(),
      errorMessage: f.string({ nullable: "1+" }),
    }),
  },
});

/** A decoded CreateAclsResponse: every field present, defaults filled in. */
export type CreateAclsResponse = Decoded<typeof CreateAclsResponseSchema>;
/** A CreateAclsResponse to encode: version-limited, tagged and defaulted fields may be omitted. */
export type CreateAclsResponseInput = Encodable<typeof CreateAclsResponseSchema>;
