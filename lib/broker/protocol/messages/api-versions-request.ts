import { type Decoded, type Encodable, f, message } from "../schema";

/** ApiVersionsRequest (API key 18), versions 0-4; derived from Kafka's message definition. */
export const ApiVersionsRequestSchema = message({
  name: "ApiVersionsRequest",
  apiKey: 18,
  kind: "request",
  versions: "0-4",
  flexible: "3+",
  fields: {
    clientSoftwareName: f.string({ v: "3+" }),
    clientSoftwareVersion: f.string({ v: "3+" }),
  },
});

/** A decoded ApiVersionsRequest: every field present, defaults filled in. */
export type ApiVersionsRequest = Decoded<typeof ApiVersionsRequestSchema>;
/** A ApiVersionsRequest to encode: version-limited, tagged and defaulted fields may be omitted. */
export type ApiVersionsRequestInput = Encodable<typeof ApiVersionsRequestSchema>;
