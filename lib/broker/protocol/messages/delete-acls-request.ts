import { type Decoded, type Encodable, f, message } from "../schema";

/** DeleteAclsRequest (API key 31), versions 1-3; derived from Kafka's message definition. */
export const DeleteAclsRequestSchema = message({
  name: "DeleteAclsRequest",
  apiKey: 31,
  kind: "request",
  versions: "1-3",
  flexible: "2+",
  fields: {
    filters: f.array({
      resourceTypeFilter: f.int8(),
      resourceNameFilter: f.string({ nullable: "1+" }),
      patternTypeFilter: f.int8({ default: 3 }),
      principalFilter: f.string({ nullable: "1+" }),
      hostFilter: f.string({ nullable: "1+" }),
      operation: f.int8(),
      permissionType: f.int8(),
    }),
  },
});

/** A decoded DeleteAclsRequest: every field present, defaults filled in. */
export type DeleteAclsRequest = Decoded<typeof DeleteAclsRequestSchema>;
/** A DeleteAclsRequest to encode: version-limited, tagged and defaulted fields may be omitted. */
export type DeleteAclsRequestInput = Encodable<typeof DeleteAclsRequestSchema>;
