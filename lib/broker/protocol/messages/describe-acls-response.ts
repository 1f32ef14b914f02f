import { type Decoded, type Encodable, f, message } from "../schema";

/** DescribeAclsResponse (API key 29), versions 1-3; derived from Kafka's message definition. */
export const DescribeAclsResponseSchema = message({
  name: "DescribeAclsResponse",
  apiKey: 29,
  kind: "response",
  versions: "1-3",
  flexible: "2+",
  fields: {
    throttleTimeMs: f.int32(),
    errorCode: f.int16(),
    errorMessage: f.string({ nullable: "1+" }),
    resources: f.array({
      resourceType: f.int8(),
      resourceName: f.string(),
      patternType: f.int8({ default: 3 }),
      acls: f.array({
        principal: f.string(),
        host: f.string(),
        operation: f.int8(),
        permissionType: f.int8(),
      }),
    }),
  },
});

/** A decoded DescribeAclsResponse: every field present, defaults filled in. */
export type DescribeAclsResponse = Decoded<typeof DescribeAclsResponseSchema>;
/** A DescribeAclsResponse to encode: version-limited, tagged and defaulted fields may be omitted. */
export type DescribeAclsResponseInput = Encodable<typeof DescribeAclsResponseSchema>;
