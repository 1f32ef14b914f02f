import { type Decoded, type Encodable, f, message } from "../schema";

/** DeleteAclsResponse (API key 31), versions 1-3; derived from Kafka's message definition. */
export const DeleteAclsResponseSchema = message({
  name: "DeleteAclsResponse",
  apiKey: 31,
  kind: "response",
  versions: "1-3",
  flexible: "2+",
  fields: {
    throttleTimeMs: f.int32(),
    filterResults: f.array({
      errorCode: f.int16(),
      errorMessage: f.string({ nullable: "1+" }),
      matchingAcls: f.array({
        errorCode: f.int16(),
        errorMessage: f.string({ nullable: "1+" }),
        resourceType: f.int8(),
        resourceName: f.string(),
        patternType: f.int8({ default: 3 }),
        principal: f.string(),
        host: f.string(),
        operation: f.int8(),
        permissionType: f.int8(),
      }),
    }),
  },
});

/** A decoded DeleteAclsResponse: every field present, defaults filled in. */
export type DeleteAclsResponse = Decoded<typeof DeleteAclsResponseSchema>;
/** A DeleteAclsResponse to encode: version-limited, tagged and defaulted fields may be omitted. */
export type DeleteAclsResponseInput = Encodable<typeof DeleteAclsResponseSchema>;
