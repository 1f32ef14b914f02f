import { createHash, createHmac, pbkdf2 } from "node:crypto";

/** SASL mechanism names of the SCRAM family the broker offers (RFC 7677 and its SHA-512 sibling). */
export type ScramMechanismName = "SCRAM-SHA-256" | "SCRAM-SHA-512";

/** Every SCRAM mechanism the broker offers, strongest first. */
export const SCRAM_MECHANISMS: readonly ScramMechanismName[] = ["SCRAM-SHA-512", "SCRAM-SHA-256"];

/**
 * Digest behind a SCRAM variant. `sha1` exists only so the RFC 5802 test vector can be checked;
 * the broker never offers SCRAM-SHA-1 (Kafka does not either).
 */
export type ScramDigest = "sha1" | "sha256" | "sha512";

/** Kafka's numeric ScramMechanism (DescribeUserScramCredentials / AlterUserScramCredentials). */
export const SCRAM_MECHANISM_CODE: Readonly<Record<ScramMechanismName, number>> = {
  "SCRAM-SHA-256": 1,
  "SCRAM-SHA-512": 2,
};

/** Kafka's bounds on SCRAM iterations (ScramMechanism.minIterations / maxIterations). */
export const SCRAM_MIN_ITERATIONS = 4096;
/** Upper bound Kafka accepts in AlterUserScramCredentials. */
export const SCRAM_MAX_ITERATIONS = 16384;

/** The mechanism named by a Kafka ScramMechanism code, or null for UNKNOWN (0) and anything else. */
export function scramMechanismFromCode(code: number): ScramMechanismName | null {
  if (code === 1) return "SCRAM-SHA-256";
  if (code === 2) return "SCRAM-SHA-512";
  return null;
}

/** Whether a SASL mechanism name is one of the SCRAM mechanisms offered. */
export function isScramMechanism(name: string): name is ScramMechanismName {
  return name === "SCRAM-SHA-256" || name === "SCRAM-SHA-512";
}

/** Node digest of a mechanism. */
export function scramDigest(mechanism: ScramMechanismName): ScramDigest {
  return mechanism === "SCRAM-SHA-256" ? "sha256" : "sha512";
}

/** Output length in bytes of a digest. */
export function digestLength(digest: ScramDigest): number {
  if (digest === "sha1") return 20;
  return digest === "sha256" ? 32 : 64;
}

/** RFC 5802 HMAC(key, text). */
export function hmac(digest: ScramDigest, key: Buffer, text: string | Buffer): Buffer {
  return createHmac(digest, key).update(text).digest();
}

/** RFC 5802 H(text). */
export function hash(digest: ScramDigest, data: Buffer): Buffer {
  return createHash(digest).update(data).digest();
}

/** RFC 5802 Hi(password, salt, i) = PBKDF2 with the digest's HMAC; async so it never blocks the loop. */
export function saltPassword(
  digest: ScramDigest,
  password: string,
  salt: Buffer,
  iterations: number,
): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    // RFC 5802 asks for SASLprep; NFKC is its main effect and what common clients apply.
    pbkdf2(
      Buffer.from(password.normalize("NFKC"), "utf8"),
      salt,
      iterations,
      digestLength(digest),
      digest,
      (err, key) => (err ? reject(err) : resolve(key)),
    );
  });
}

/** What the server keeps of a SCRAM password (RFC 5802 §3): never the password itself. */
export interface ScramKeys {
  readonly salt: Buffer;
  readonly iterations: number;
  /** H(ClientKey): verifies the client's proof. */
  readonly storedKey: Buffer;
  /** HMAC(SaltedPassword, "Server Key"): signs the server-final-message. */
  readonly serverKey: Buffer;
}

/** Derives the stored keys from an already salted password (what AlterUserScramCredentials carries). */
export function keysFromSaltedPassword(
  digest: ScramDigest,
  saltedPassword: Buffer,
  salt: Buffer,
  iterations: number,
): ScramKeys {
  const clientKey = hmac(digest, saltedPassword, "Client Key");
  return {
    salt: Buffer.from(salt),
    iterations,
    storedKey: hash(digest, clientKey),
    serverKey: hmac(digest, saltedPassword, "Server Key"),
  };
}

/** Derives the stored keys from a password (tests, bootstrap users and PLAIN verification). */
export async function keysFromPassword(
  digest: ScramDigest,
  password: string,
  salt: Buffer,
  iterations: number,
): Promise<ScramKeys> {
  const salted = await saltPassword(digest, password, salt, iterations);
  return keysFromSaltedPassword(digest, salted, salt, iterations);
}
