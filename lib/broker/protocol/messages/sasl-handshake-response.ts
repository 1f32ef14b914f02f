import { type Decoded, type Encodable, f, message } from "../schema";

/** SaslHandshakeResponse (API key 17), versions 0-1; derived from Kafka's message definition. */
export const SaslHandshakeResponseSchema = message({
  name: "SaslHandshakeResponse",
  apiKey: 17,
  kind: "response",
  versions: "0-1",
  flexible: "none",
  fields: {
    errorCode: f.int16(),
    mechanisms: f.arrayOf("string"),
  },
});

/** A decoded SaslHandshakeResponse: every field present, defaults filled in. */
export type SaslHandshakeResponse = Decoded<typeof SaslHandshakeResponseSchema>;
/** A SaslHandshakeResponse to encode: version-limited, tagged and defaulted fields may be omitted. */
export type SaslHandshakeResponseInput = Encodable<typeof SaslHandshakeResponseSchema>;
