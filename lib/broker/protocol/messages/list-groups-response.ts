import { type Decoded, type Encodable, f, message } from "../schema";

/** ListGroupsResponse (API key 16), versions 0-5; derived from Kafka's message definition. */
export const ListGroupsResponseSchema = message({
  name: "ListGroupsResponse",
  apiKey: 16,
  kind: "response",
  versions: "0-5",
  flexible: "3+",
  fields: {
    throttleTimeMs: f.int32({ v: "1+" }),
    errorCode: f.int16(),
    groups: f.array({
      groupId: f.string(),
      protocolType: f.string(),
      groupState: f.string({ v: "4+" }),
      groupType: f.string({ v: "5+" }),
    }),
  },
});

/** A decoded ListGroupsResponse: every field present, defaults filled in. */
export type ListGroupsResponse = Decoded<typeof ListGroupsResponseSchema>;
/** A ListGroupsResponse to encode: version-limited, tagged and defaulted fields may be omitted. */
export type ListGroupsResponseInput = Encodable<typeof ListGroupsResponseSchema>;
