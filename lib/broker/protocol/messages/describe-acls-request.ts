import { type Decoded, type Encodable, f, message } from "../schema";

/** DescribeAclsRequest (API key 29), versions 1-3; derived from Kafka's message definition. */
export const DescribeAclsRequestSchema = message({
  name: "DescribeAclsRequest",
  apiKey: 29,
  kind: "request",
  versions: "1-3",
  flexible: "2+",
  fields: {
    resourceTypeFilter: f.int8(),
    resourceNameFilter: f.string({ nullable: "1+" }),
    patternTypeFilter: f.int8({ default: 3 }),
    principalFilter: f.string({ nullable: "1+" }),
    hostFilter: f.string({ nullable: "1+" }),
    operation: f.int8(),
    permissionType: f.int8(),
  },
});

/** A decoded DescribeAclsRequest: every field present, defaults filled in. */
export type DescribeAclsRequest = Decoded<typeof DescribeAclsRequestSchema>;
/** A DescribeAclsRequest to encode: version-limited, tagged and defaulted fields may be omitted. */
export type DescribeAclsRequestInput = Encodable<typeof DescribeAclsRequestSchema>;
