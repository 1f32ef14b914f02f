import { type Decoded, type Encodable, f, message } from "../schema";

/** ListGroupsRequest (API key 16), versions 0-5; derived from Kafka's message definition. */
export const ListGroupsRequestSchema = message({
  name: "ListGroupsRequest",
  apiKey: 16,
  kind: "request",
  versions: "0-5",
  flexible: "3+",
  fields: {
    statesFilter: f.arrayOf("string", { v: "4+" }),
    typesFilter: f.arrayOf("string", { v: "5+" }),
  },
});

/** A decoded ListGroupsRequest: every field present, defaults filled in. */
export type ListGroupsRequest = Decoded<typeof ListGroupsRequestSchema>;
/** A ListGroupsRequest to encode: version-limited, tagged and defaulted fields may be omitted. */
export type ListGroupsRequestInput = Encodable<typeof ListGroupsRequestSchema>;
