import { type Decoded, type Encodable, f, message } from "../schema";

/** DeleteGroupsRequest (API key 42), versions 0-2; derived from Kafka's message definition. */
export const DeleteGroupsRequestSchema = message({
  name: "DeleteGroupsRequest",
  apiKey: 42,
  kind: "request",
  versions: "0-2",
  flexible: "2+",
  fields: {
    groupsNames: f.arrayOf("string"),
  },
});

/** A decoded DeleteGroupsRequest: every field present, defaults filled in. */
export type DeleteGroupsRequest = Decoded<typeof DeleteGroupsRequestSchema>;
/** A DeleteGroupsRequest to encode: version-limited, tagged and defaulted fields may be omitted. */
export type DeleteGroupsRequestInput = Encodable<typeof DeleteGroupsRequestSchema>;
