import { type Decoded, type Encodable, f, message } from "../schema";

/** SaslHandshakeRequest (API key 17), versions 0-1; derived from Kafka's message definition. */
export const SaslHandshakeRequestSchema = message({
  name: "SaslHandshakeRequest",
  apiKey: 17,
  kind: "request",
  versions: "0-1",
  flexible: "none",
  fields: {
    mechanism: f.string(),
  },
});

/** A decoded SaslHandshakeRequest: every field present, defaults filled in. */
export type SaslHandshakeRequest = Decoded<typeof SaslHandshakeRequestSchema>;
/** A SaslHandshakeRequest to encode: version-limited, tagged and defaulted fields may be omitted. */
export type SaslHandshakeRequestInput = Encodable<typeof SaslHandshakeRequestSchema>;
