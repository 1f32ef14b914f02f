import { type Decoded, type Encodable, f, message } from "../schema";

/** SaslAuthenticateRequest (API key 36), versions 0-2; derived from Kafka's message definition. */
export const SaslAuthenticateRequestSchema = message({
  name: "SaslAuthenticateRequest",
  apiKey: 36,
  kind: "request",
  versions: "0-2",
  flexible: "2+",
  fields: {
    authBytes: f.bytes(),
  },
});

/** A decoded SaslAuthenticateRequest: every field present, defaults filled in. */
export type SaslAuthenticateRequest = Decoded<typeof SaslAuthenticateRequestSchema>;
/** A SaslAuthenticateRequest to encode: version-limited, tagged and defaulted fields may be omitted. */
export type SaslAuthenticateRequestInput = Encodable<typeof SaslAuthenticateRequestSchema>;
