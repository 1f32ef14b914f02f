import { randomBytes, timingSafeEqual } from "node:crypto";
import { ErrorCode } from "../protocol";
import { SaslError } from "./sasl-error";
import {
  digestLength,
  hash,
  hmac,
  SCRAM_MIN_ITERATIONS,
  type ScramDigest,
  type ScramKeys,
} from "./scram-algorithm";

/** Finds the stored keys of a user; `undefined` when the user has no credential for this mechanism. */
export type ScramKeyLookup = (user: string) => ScramKeys | undefined;

/** Outcome of one server step: the bytes to send back, and the user once authentication is complete. */
export interface SaslStep {
  /** Server challenge or final message to return in SaslAuthenticate `authBytes`. */
  readonly response: Buffer;
  /** Set on the last, successful step: the authenticated user name (without `User:`). */
  readonly authenticatedUser?: string;
}

/** Options of {@link ScramServer}; `serverNonce` exists for the RFC test vectors. */
export interface ScramServerOptions {
  readonly mechanism: string;
  readonly digest: ScramDigest;
  readonly lookup: ScramKeyLookup;
  /** The server's nonce part. @default - 24 random bytes, base64url */
  readonly serverNonce?: string;
}

enum State {
  ExpectClientFirst = 0,
  ExpectClientFinal = 1,
  Done = 2,
  Failed = 3,
}

/** Decodes an RFC 5802 `saslname` (`=2C` → `,`, `=3D` → `=`; any other `=` is malformed). */
export function unescapeSaslName(name: string): string {
  if (/=(?!2C|3D)/.test(name)) {
    throw new SaslError(ErrorCode.SASL_AUTHENTICATION_FAILED, "invalid SCRAM user name encoding");
  }
  return name.replace(/=2C/g, ",").replace(/=3D/g, "=");
}

function malformed(what: string): SaslError {
  return new SaslError(ErrorCode.SASL_AUTHENTICATION_FAILED, `malformed SCRAM ${what}`);
}

/** Splits `k=v,k=v` into ordered pairs (RFC 5802 attributes are one letter; Kafka extensions longer). */
function attributes(message: string, what: string): Array<[string, string]> {
  const out: Array<[string, string]> = [];
  for (const part of message.split(",")) {
    const eq = part.indexOf("=");
    if (eq < 1) throw malformed(what);
    out.push([part.slice(0, eq), part.slice(eq + 1)]);
  }
  return out;
}

/**
 * The server side of one SCRAM exchange (RFC 5802 §3/§5, RFC 7677), without channel binding, as
 * Kafka runs it over SaslAuthenticate: client-first → server-first (nonce, salt, iterations) →
 * client-final (proof checked against StoredKey) → server-final (ServerSignature).
 *
 * An unknown user gets a plausible server-first-message with a random salt and fails at the proof,
 * so the exchange does not reveal which users exist.
 */
export class ScramServer {
  private readonly opts: ScramServerOptions;
  private state = State.ExpectClientFirst;
  private user = "";
  private keys: ScramKeys | undefined;
  private gs2Header = "";
  private clientNonce = "";
  private nonce = "";
  private clientFirstBare = "";
  private serverFirst = "";

  constructor(opts: ScramServerOptions) {
    this.opts = opts;
  }

  /** Whether the exchange finished successfully. */
  get complete(): boolean {
    return this.state === State.Done;
  }

  /** Processes one client message; throws {@link SaslError} on failure (the exchange is then dead). */
  step(message: Buffer): SaslStep {
    try {
      switch (this.state) {
        case State.ExpectClientFirst:
          return this.clientFirst(message.toString("utf8"));
        case State.ExpectClientFinal:
          return this.clientFinal(message.toString("utf8"));
        default:
          throw new SaslError(
            ErrorCode.ILLEGAL_SASL_STATE,
            `unexpected SCRAM message after the exchange ${this.state === State.Done ? "completed" : "failed"}`,
          );
      }
    } catch (err) {
      this.state = State.Failed;
      throw err;
    }
  }

  private clientFirst(text: string): SaslStep {
    // gs2-header = gs2-cbind-flag "," [ authzid ] ","
    const first = text.indexOf(",");
    const second = first < 0 ? -1 : text.indexOf(",", first + 1);
    if (second < 0) throw malformed("client-first-message");
    const cbind = text.slice(0, first);
    const authzid = text.slice(first + 1, second);
    if (cbind.startsWith("p=")) {
      throw new SaslError(
        ErrorCode.SASL_AUTHENTICATION_FAILED,
        "SCRAM channel binding is not supported",
      );
    }
    if (cbind !== "n" && cbind !== "y") throw malformed("client-first-message");
    this.gs2Header = text.slice(0, second + 1);
    this.clientFirstBare = text.slice(second + 1);
    const attrs = attributes(this.clientFirstBare, "client-first-message");
    const [userAttr, nonceAttr, ...extensions] = attrs;
    if (userAttr?.[0] !== "n" || nonceAttr?.[0] !== "r" || nonceAttr[1].length === 0) {
      throw malformed("client-first-message");
    }
    this.user = unescapeSaslName(userAttr[1]);
    if (this.user.length === 0) throw malformed("client-first-message (empty user)");
    if (authzid !== "") {
      if (!authzid.startsWith("a=") || unescapeSaslName(authzid.slice(2)) !== this.user) {
        throw new SaslError(
          ErrorCode.SASL_AUTHENTICATION_FAILED,
          "SCRAM authorization id must be empty or equal to the user name",
        );
      }
    }
    for (const [key, value] of extensions) {
      // Kafka's only extension is delegation-token auth, which this broker does not offer.
      if (key === "m") throw malformed("client-first-message (mandatory extension)");
      if (value === "true" && key === "tokenauth") {
        throw new SaslError(
          ErrorCode.SASL_AUTHENTICATION_FAILED,
          "delegation tokens are not supported",
        );
      }
    }
    if (/[^\x21-\x2b\x2d-\x7e]/.test(nonceAttr[1])) throw malformed("client nonce");
    this.keys = this.opts.lookup(this.user);
    const salt = this.keys?.salt ?? randomBytes(32);
    const iterations = this.keys?.iterations ?? SCRAM_MIN_ITERATIONS;
    this.clientNonce = nonceAttr[1];
    this.nonce = nonceAttr[1] + (this.opts.serverNonce ?? randomBytes(24).toString("base64url"));
    this.serverFirst = `r=${this.nonce},s=${salt.toString("base64")},i=${iterations}`;
    this.state = State.ExpectClientFinal;
    return { response: Buffer.from(this.serverFirst, "utf8") };
  }

  private clientFinal(text: string): SaslStep {
    const proofAt = text.lastIndexOf(",p=");
    if (proofAt < 0) throw malformed("client-final-message");
    const withoutProof = text.slice(0, proofAt);
    const attrs = attributes(withoutProof, "client-final-message");
    const channel = attrs[0];
    const nonce = attrs[1];
    if (channel?.[0] !== "c" || nonce?.[0] !== "r") throw malformed("client-final-message");
    if (channel[1] !== Buffer.from(this.gs2Header, "utf8").toString("base64")) {
      throw new SaslError(ErrorCode.SASL_AUTHENTICATION_FAILED, "SCRAM channel binding mismatch");
    }
    // librdkafka before 2.6.1 (librdkafka#4895) sends its client nonce once more in front of the
    // combined nonce. Kafka 3.8.1–3.9 accepted that (endsWith); Kafka 4 rejects it, which locks out
    // Debian's and Ubuntu's librdkafka. Accepting exactly that form keeps the replay protection:
    // the server's fresh nonce must still be echoed, and the proof covers the message as sent.
    if (nonce[1] !== this.nonce && nonce[1] !== this.clientNonce + this.nonce) {
      throw new SaslError(ErrorCode.SASL_AUTHENTICATION_FAILED, "SCRAM nonce mismatch");
    }
    const proof = Buffer.from(text.slice(proofAt + 3), "base64");
    const keys = this.keys;
    const authMessage = `${this.clientFirstBare},${this.serverFirst},${withoutProof}`;
    if (keys === undefined || proof.length !== digestLength(this.opts.digest)) {
      throw this.invalidCredentials();
    }
    const clientSignature = hmac(this.opts.digest, keys.storedKey, authMessage);
    const clientKey = Buffer.alloc(proof.length);
    for (let i = 0; i < proof.length; i++) {
      clientKey[i] = (proof[i] ?? 0) ^ (clientSignature[i] ?? 0);
    }
    const computed = hash(this.opts.digest, clientKey);
    if (computed.length !== keys.storedKey.length || !timingSafeEqual(computed, keys.storedKey)) {
      throw this.invalidCredentials();
    }
    const serverSignature = hmac(this.opts.digest, keys.serverKey, authMessage);
    this.state = State.Done;
    return {
      response: Buffer.from(`v=${serverSignature.toString("base64")}`, "utf8"),
      authenticatedUser: this.user,
    };
  }

  private invalidCredentials(): SaslError {
    // Kafka's wording; the same for an unknown user and a wrong password.
    return new SaslError(
      ErrorCode.SASL_AUTHENTICATION_FAILED,
      `Authentication failed during authentication due to invalid credentials with SASL mechanism ${this.opts.mechanism}`,
    );
  }
}
