import { createHash, createHmac, pbkdf2Sync, randomBytes, timingSafeEqual } from "node:crypto";
import type { ScramMechanism } from "../manifest/cluster-state";
import { SaslAuthenticationError } from "./admin-errors";

/** Node's digest name for a SCRAM mechanism. */
function digest(mechanism: ScramMechanism): "sha256" | "sha512" {
  return mechanism === "SCRAM-SHA-256" ? "sha256" : "sha512";
}

/** Hash output length in bytes. */
function digestLength(mechanism: ScramMechanism): number {
  return mechanism === "SCRAM-SHA-256" ? 32 : 64;
}

/** RFC 5802 Hi(): PBKDF2 with the mechanism's HMAC, output one hash length. */
export function scramSaltedPassword(
  mechanism: ScramMechanism,
  password: string,
  salt: Buffer,
  iterations: number,
): Buffer {
  return pbkdf2Sync(
    Buffer.from(password.normalize("NFKC"), "utf8"),
    salt,
    iterations,
    digestLength(mechanism),
    digest(mechanism),
  );
}

/** A fresh random salt for AlterUserScramCredentials. */
export function newScramSalt(): Buffer {
  return randomBytes(32);
}

/** Escapes a SCRAM `saslname` (RFC 5802 §5.1: `=` → `=3D`, `,` → `=2C`). */
export function escapeSaslName(name: string): string {
  return name.replace(/=/g, "=3D").replace(/,/g, "=2C");
}

function hmac(mechanism: ScramMechanism, key: Buffer, text: string): Buffer {
  return createHmac(digest(mechanism), key).update(text, "utf8").digest();
}

function parseAttributes(message: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const part of message.split(",")) {
    const eq = part.indexOf("=");
    if (eq === 1) out.set(part.slice(0, 1), part.slice(2));
  }
  return out;
}

/**
 * The client side of one SCRAM exchange (RFC 5802, without channel binding, as Kafka uses it):
 * `first()` → send; `final(serverFirst)` → send; `verify(serverFinal)` checks the server's proof.
 */
export class ScramClient {
  private readonly mechanism: ScramMechanism;
  private readonly user: string;
  private readonly password: string;
  private readonly clientNonce: string;
  private readonly minIterations: number;
  private clientFirstBare = "";
  private expectedServerSignature: Buffer | undefined;

  constructor(
    mechanism: ScramMechanism,
    user: string,
    password: string,
    options: { nonce?: string; minIterations?: number } = {},
  ) {
    this.mechanism = mechanism;
    this.user = user;
    this.password = password;
    this.clientNonce = options.nonce ?? randomBytes(24).toString("base64url");
    this.minIterations = options.minIterations ?? 4096;
  }

  /** client-first-message: `n,,n=<user>,r=<nonce>`. */
  first(): Buffer {
    this.clientFirstBare = `n=${escapeSaslName(this.user)},r=${this.clientNonce}`;
    return Buffer.from(`n,,${this.clientFirstBare}`, "utf8");
  }

  /** client-final-message for the server-first-message. */
  final(serverFirstBytes: Buffer): Buffer {
    const serverFirst = serverFirstBytes.toString("utf8");
    const attrs = parseAttributes(serverFirst);
    const error = attrs.get("e");
    if (error !== undefined) throw new SaslAuthenticationError(`SCRAM server error: ${error}`);
    const nonce = attrs.get("r");
    const salt = attrs.get("s");
    const iterations = Number(attrs.get("i"));
    if (nonce === undefined || salt === undefined || !Number.isInteger(iterations)) {
      throw new SaslAuthenticationError(`malformed SCRAM server-first-message: ${serverFirst}`);
    }
    if (!nonce.startsWith(this.clientNonce) || nonce.length === this.clientNonce.length) {
      throw new SaslAuthenticationError("SCRAM server nonce does not extend the client nonce");
    }
    if (iterations < this.minIterations) {
      throw new SaslAuthenticationError(
        `SCRAM iteration count ${iterations} is below the minimum ${this.minIterations}`,
      );
    }
    const salted = scramSaltedPassword(
      this.mechanism,
      this.password,
      Buffer.from(salt, "base64"),
      iterations,
    );
    const clientKey = hmac(this.mechanism, salted, "Client Key");
    const storedKey = createHash(digest(this.mechanism)).update(clientKey).digest();
    const withoutProof = `c=biws,r=${nonce}`;
    const authMessage = `${this.clientFirstBare},${serverFirst},${withoutProof}`;
    const clientSignature = hmac(this.mechanism, storedKey, authMessage);
    const proof = Buffer.alloc(clientKey.length);
    for (let i = 0; i < proof.length; i++) {
      proof[i] = (clientKey[i] ?? 0) ^ (clientSignature[i] ?? 0);
    }
    const serverKey = hmac(this.mechanism, salted, "Server Key");
    this.expectedServerSignature = hmac(this.mechanism, serverKey, authMessage);
    return Buffer.from(`${withoutProof},p=${proof.toString("base64")}`, "utf8");
  }

  /** Checks the server-final-message; throws {@link SaslAuthenticationError} if it is wrong. */
  verify(serverFinalBytes: Buffer): void {
    const attrs = parseAttributes(serverFinalBytes.toString("utf8"));
    const error = attrs.get("e");
    if (error !== undefined) throw new SaslAuthenticationError(`SCRAM server error: ${error}`);
    const v = attrs.get("v");
    const expected = this.expectedServerSignature;
    if (v === undefined || expected === undefined) {
      throw new SaslAuthenticationError("malformed SCRAM server-final-message");
    }
    const got = Buffer.from(v, "base64");
    if (got.length !== expected.length || !timingSafeEqual(got, expected)) {
      throw new SaslAuthenticationError(
        "the server's SCRAM signature is wrong (not the real server?)",
      );
    }
  }
}
