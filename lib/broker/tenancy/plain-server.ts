import { ErrorCode } from "../protocol";
import { SaslError } from "./sasl-error";

/** Checks a PLAIN user's password; resolves false for unknown users and wrong passwords alike. */
export type PlainPasswordCheck = (user: string, password: string) => Promise<boolean>;

/** The three NUL-separated parts of a PLAIN message (RFC 4616). */
export interface PlainMessage {
  readonly authzid: string;
  readonly authcid: string;
  readonly password: string;
}

/** Parses `[authzid] NUL authcid NUL passwd`; throws {@link SaslError} when malformed. */
export function parsePlainMessage(message: Buffer): PlainMessage {
  const parts = message.toString("utf8").split("\u0000");
  if (parts.length !== 3) {
    throw new SaslError(
      ErrorCode.SASL_AUTHENTICATION_FAILED,
      "Invalid SASL/PLAIN response: expected 3 tokens",
    );
  }
  const [authzid = "", authcid = "", password = ""] = parts;
  if (authcid.length === 0) {
    throw new SaslError(
      ErrorCode.SASL_AUTHENTICATION_FAILED,
      "Authentication failed: username not specified",
    );
  }
  if (password.length === 0) {
    throw new SaslError(
      ErrorCode.SASL_AUTHENTICATION_FAILED,
      "Authentication failed: password not specified",
    );
  }
  return { authzid, authcid, password };
}

/**
 * Verifies one PLAIN message (single round trip). As in Kafka, the authorization id must be empty or
 * equal to the user name (no impersonation). Resolves to the authenticated user name.
 */
export async function authenticatePlain(
  message: Buffer,
  check: PlainPasswordCheck,
): Promise<string> {
  const plain = parsePlainMessage(message);
  if (plain.authzid !== "" && plain.authzid !== plain.authcid) {
    throw new SaslError(
      ErrorCode.SASL_AUTHENTICATION_FAILED,
      "Authentication failed: Client requested an authorization id that is different from username",
    );
  }
  if (!(await check(plain.authcid, plain.password))) {
    throw new SaslError(
      ErrorCode.SASL_AUTHENTICATION_FAILED,
      "Authentication failed: Invalid username or password",
    );
  }
  return plain.authcid;
}
