import { type Decoded, type Encodable, f, message } from "../schema";

/** SaslAuthenticateResponse (API key 36), versions 0-2; derived from Kafka's message definition. */
export const SaslAuthenticateResponseSchema = message({
  name: "SaslAuthenticateResponse",
  apiKey: 36,
  kind: "response",
  versions: "0-2",
  flexible: "2+",
  fields: {
    errorCode: f.int16(),
    errorMessage: f.string({ nullable: "0+" }),
    authBytes: f.bytes(),
    sessionLifetimeMs: f.int64({ v: "1+", default: 0n }),
  },
});

/** A decoded SaslAuthenticateResponse: every field present, defaults filled in. */
export type SaslAuthenticateResponse = Decoded<typeof SaslAuthenticateResponseSchema>;
/** A SaslAuthenticateResponse to encode: version-limited, tagged and defaulted fields may be omitted. */
export type SaslAuthenticateResponseInput = Encodable<typeof SaslAuthenticateResponseSchema>;
