import { type Decoded, type Encodable, f, message } from "../schema";

/** DeleteGroupsResponse (API key 42), versions 0-2; derived from Kafka's message definition. */
export const DeleteGroupsResponseSchema = message({
  name: "DeleteGroupsResponse",
  apiKey: 42,
  kind: "response",
  versions: "0-2",
  flexible: "2+",
  fields: {
    throttleTimeMs: f.int32(),
    results: f.array({
      groupId: f.string(),
      errorCode: f.int16(),
    }),
  },
});

/** A decoded DeleteGroupsResponse: every field present, defaults filled in. */
export type DeleteGroupsResponse = Decoded<typeof DeleteGroupsResponseSchema>;
/** A DeleteGroupsResponse to encode: version-limited, tagged and defaulted fields may be omitted. */
export type DeleteGroupsResponseInput = Encodable<typeof DeleteGroupsResponseSchema>;
