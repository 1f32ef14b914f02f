import { ErrorCode } from "../protocol";
import type { CredentialStore } from "./credential-store";
import { authenticatePlain } from "./plain-server";
import { SaslError } from "./sasl-error";
import { isScramMechanism, scramDigest } from "./scram-algorithm";
import { ScramServer } from "./scram-server";

/** SASL mechanisms the broker can serve. */
export type SaslMechanismName = "PLAIN" | "SCRAM-SHA-256" | "SCRAM-SHA-512";

/** Every mechanism the broker implements, in the order SaslHandshake lists them. */
export const ALL_SASL_MECHANISMS: readonly SaslMechanismName[] = [
  "SCRAM-SHA-512",
  "SCRAM-SHA-256",
  "PLAIN",
];

/** Result of a SaslHandshake. */
export interface HandshakeResult {
  readonly errorCode: number;
  /** The mechanisms enabled on this listener (Kafka returns them whatever the outcome). */
  readonly mechanisms: string[];
}

/** Result of one successful SaslAuthenticate round. */
export interface AuthenticateResult {
  readonly authBytes: Buffer;
  /** Set when authentication completed: `User:<name>`. */
  readonly principal?: string;
}

/**
 * The SASL state of one connection: SaslHandshake picks the mechanism, then SaslAuthenticate rounds
 * run it. Kafka's order is enforced: a second handshake, or an authenticate before the handshake or
 * after completion, is ILLEGAL_SASL_STATE. Any failure leaves the session failed for good (the
 * connection layer closes the connection after sending the error, as Kafka does).
 */
export class SaslSession {
  private readonly enabled: readonly SaslMechanismName[];
  private readonly store: CredentialStore;
  private mechanism: SaslMechanismName | null = null;
  private scram: ScramServer | null = null;
  private failed = false;
  private authenticated: string | null = null;

  constructor(enabled: readonly SaslMechanismName[], store: CredentialStore) {
    this.enabled = enabled;
    this.store = store;
  }

  /** `User:<name>` once authenticated, else null. */
  get principal(): string | null {
    return this.authenticated;
  }

  /** Whether the exchange failed (the connection must be closed). */
  get hasFailed(): boolean {
    return this.failed;
  }

  /**
   * Ends the session as failed after the mechanism succeeded (e.g. the tenant's connection limit is
   * reached): the principal is dropped and the connection must be closed.
   */
  revoke(): void {
    this.authenticated = null;
    this.failed = true;
  }

  /** SaslHandshake: choose the mechanism. */
  handshake(mechanism: string): HandshakeResult {
    const mechanisms = [...this.enabled];
    if (this.mechanism !== null || this.authenticated !== null) {
      this.failed = true;
      return { errorCode: ErrorCode.ILLEGAL_SASL_STATE, mechanisms };
    }
    const chosen = this.enabled.find((m) => m === mechanism);
    if (chosen === undefined) {
      this.failed = true;
      return { errorCode: ErrorCode.UNSUPPORTED_SASL_MECHANISM, mechanisms };
    }
    this.mechanism = chosen;
    if (isScramMechanism(chosen)) {
      this.scram = new ScramServer({
        mechanism: chosen,
        digest: scramDigest(chosen),
        lookup: (user) => this.store.get(user, chosen),
      });
    }
    return { errorCode: ErrorCode.NONE, mechanisms };
  }

  /** SaslAuthenticate: one round of the chosen mechanism; throws {@link SaslError}. */
  async authenticate(authBytes: Buffer): Promise<AuthenticateResult> {
    try {
      if (this.failed || this.mechanism === null || this.authenticated !== null) {
        throw new SaslError(
          ErrorCode.ILLEGAL_SASL_STATE,
          this.mechanism === null
            ? "SaslAuthenticate before a successful SaslHandshake"
            : "SaslAuthenticate after the SASL exchange ended",
        );
      }
      if (this.mechanism === "PLAIN") {
        const user = await authenticatePlain(authBytes, (u, p) => this.store.verifyPassword(u, p));
        this.authenticated = `User:${user}`;
        return { authBytes: Buffer.alloc(0), principal: this.authenticated };
      }
      if (this.scram === null) throw new SaslError(ErrorCode.ILLEGAL_SASL_STATE, "no SCRAM state");
      const step = this.scram.step(authBytes);
      if (step.authenticatedUser !== undefined) {
        this.authenticated = `User:${step.authenticatedUser}`;
        return { authBytes: step.response, principal: this.authenticated };
      }
      return { authBytes: step.response };
    } catch (err) {
      this.failed = true;
      throw err;
    }
  }
}
