import { type Decoded, type Encodable, f, message } from "../schema";

/** CreateAclsRequest (API key 30), versions 1-3; derived from Kafka's message definition. */
export const CreateAclsRequestSchema = message({
  name: "CreateAclsRequest",
  apiKey: 30,
  kind: "request",
  versions: "1-3",
  flexible: "2+",
  fields: {
    creations: f.array({
      resourceType: f.int8(),
      resourceName: f.string(),
      resourcePatternType: f.int8({ default: 3 }),
      principal: f.string(),
      host: f.string(),
      operation: f.int8(),
      permissionType: f.int8(),
    }),
  },
});

/** A decoded CreateAclsRequest: every field present, defaults filled in. */
export type CreateAclsRequest = Decoded<typeof CreateAclsRequestSchema>;
/** A CreateAclsRequest to encode: version-limited, tagged and defaulted fields may be omitted. */
export type CreateAclsRequestInput = Encodable<typeof CreateAclsRequestSchema>;
