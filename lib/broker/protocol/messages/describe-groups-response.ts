import { type Decoded, type Encodable, f, message } from "../schema";

/** DescribeGroupsResponse (API key 15), versions 0-5; derived from Kafka's message definition. */
export const DescribeGroupsResponseSchema = message({
  name: "DescribeGroupsResponse",
  apiKey: 15,
  kind: "response",
  versions: "0-5",
  flexible: "5+",
  fields: {
    throttleTimeMs: f.int32({ v: "1+" }),
    groups: f.array({
      errorCode: f.int16(),
      groupId: f.string(),
      groupState: f.string(),
      protocolType: f.string(),
      protocolData: f.string(),
      members: f.array({
        memberId: f.string(),
        groupInstanceId: f.string({ v: "4+", nullable: "4+", default: null }),
        clientId: f.string(),
        clientHost: f.string(),
        memberMetadata: f.bytes(),
        memberAssignment: f.bytes(),
      }),
      authorizedOperations: f.int32({ v: "3+", default: -2147483648 }),
    }),
  },
});

/** A decoded DescribeGroupsResponse: every field present, defaults filled in. */
export type DescribeGroupsResponse = Decoded<typeof DescribeGroupsResponseSchema>;
/** A DescribeGroupsResponse to encode: version-limited, tagged and defaulted fields may be omitted. */
export type DescribeGroupsResponseInput = Encodable<typeof DescribeGroupsResponseSchema>;
