import { timingSafeEqual } from "node:crypto";
import { JsonStateFile, TenancyStateError } from "./json-state-file";
import {
  hash,
  hmac,
  SCRAM_MECHANISMS,
  type ScramKeys,
  type ScramMechanismName,
  saltPassword,
  scramDigest,
} from "./scram-algorithm";

/** On-disk form of one SCRAM credential (base64 fields; no password, no salted password). */
interface StoredScramKeys {
  salt: string;
  iterations: number;
  storedKey: string;
  serverKey: string;
}

type StoredCredentials = Record<string, Partial<Record<ScramMechanismName, StoredScramKeys>>>;

/** One change in {@link CredentialStore.apply}. */
export type CredentialChange =
  | {
      readonly kind: "upsert";
      readonly user: string;
      readonly mechanism: ScramMechanismName;
      readonly keys: ScramKeys;
    }
  | { readonly kind: "delete"; readonly user: string; readonly mechanism: ScramMechanismName };

/** A user's credential as DescribeUserScramCredentials shows it. */
export interface CredentialInfo {
  readonly mechanism: ScramMechanismName;
  readonly iterations: number;
}

function toStored(keys: ScramKeys): StoredScramKeys {
  return {
    salt: keys.salt.toString("base64"),
    iterations: keys.iterations,
    storedKey: keys.storedKey.toString("base64"),
    serverKey: keys.serverKey.toString("base64"),
  };
}

function fromStored(file: string, user: string, s: StoredScramKeys): ScramKeys {
  if (typeof s.salt !== "string" || !Number.isInteger(s.iterations)) {
    throw new TenancyStateError(file, `malformed credential of user ${JSON.stringify(user)}`);
  }
  return {
    salt: Buffer.from(s.salt, "base64"),
    iterations: s.iterations,
    storedKey: Buffer.from(s.storedKey, "base64"),
    serverKey: Buffer.from(s.serverKey, "base64"),
  };
}

/**
 * SCRAM credentials per user and mechanism, persisted in `<dataDir>/tenancy/scram-credentials.json`.
 *
 * Only what RFC 5802 lets a server keep is stored: salt, iteration count, StoredKey and ServerKey.
 * PLAIN passwords are verified against the same keys (PBKDF2 of the offered password with the stored
 * salt, then compared with StoredKey), so one credential serves SCRAM and PLAIN and no password is
 * ever written anywhere.
 */
export class CredentialStore {
  private readonly stateFile: JsonStateFile<StoredCredentials>;
  private readonly users = new Map<string, Map<ScramMechanismName, ScramKeys>>();

  private constructor(stateFile: JsonStateFile<StoredCredentials>) {
    this.stateFile = stateFile;
  }

  /** Opens (or starts empty) the store in `dataDir`. */
  static async open(dataDir: string): Promise<CredentialStore> {
    const stateFile = new JsonStateFile<StoredCredentials>(dataDir, "scram-credentials", 1);
    const store = new CredentialStore(stateFile);
    const state = await stateFile.load();
    for (const [user, mechs] of Object.entries(state ?? {})) {
      const m = new Map<ScramMechanismName, ScramKeys>();
      for (const mech of SCRAM_MECHANISMS) {
        const s = mechs[mech];
        if (s !== undefined) m.set(mech, fromStored(stateFile.file, user, s));
      }
      if (m.size > 0) store.users.set(user, m);
    }
    return store;
  }

  /** The stored keys of `user` for `mechanism`. */
  get(user: string, mechanism: ScramMechanismName): ScramKeys | undefined {
    return this.users.get(user)?.get(mechanism);
  }

  /** Whether the user has any credential. */
  has(user: string): boolean {
    return this.users.has(user);
  }

  /** Users with at least one credential, sorted. */
  userNames(): string[] {
    return [...this.users.keys()].sort();
  }

  /** The user's mechanisms and iteration counts (empty when unknown). */
  describe(user: string): CredentialInfo[] {
    const m = this.users.get(user);
    if (m === undefined) return [];
    return SCRAM_MECHANISMS.flatMap((mechanism) => {
      const k = m.get(mechanism);
      return k === undefined ? [] : [{ mechanism, iterations: k.iterations }];
    });
  }

  /** Applies changes in order and persists once; resolves when durable. */
  async apply(changes: readonly CredentialChange[]): Promise<void> {
    if (changes.length === 0) return;
    for (const c of changes) {
      if (c.kind === "upsert") {
        let m = this.users.get(c.user);
        if (m === undefined) {
          m = new Map();
          this.users.set(c.user, m);
        }
        m.set(c.mechanism, c.keys);
      } else {
        const m = this.users.get(c.user);
        m?.delete(c.mechanism);
        if (m?.size === 0) this.users.delete(c.user);
      }
    }
    await this.stateFile.save(this.snapshot());
  }

  /**
   * Verifies a password (SASL/PLAIN) against the user's strongest SCRAM credential. Resolves false
   * for unknown users too (after the same amount of hashing, so timing says little).
   */
  async verifyPassword(user: string, password: string): Promise<boolean> {
    const m = this.users.get(user);
    const mechanism = SCRAM_MECHANISMS.find((x) => m?.has(x)) ?? "SCRAM-SHA-512";
    const keys = m?.get(mechanism);
    const digest = scramDigest(mechanism);
    const salted = await saltPassword(
      digest,
      password,
      keys?.salt ?? Buffer.alloc(32),
      keys?.iterations ?? 4096,
    );
    if (keys === undefined) return false;
    const storedKey = hash(digest, hmac(digest, salted, "Client Key"));
    return storedKey.length === keys.storedKey.length && timingSafeEqual(storedKey, keys.storedKey);
  }

  private snapshot(): StoredCredentials {
    const out: StoredCredentials = {};
    for (const [user, m] of [...this.users].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
      const entry: Partial<Record<ScramMechanismName, StoredScramKeys>> = {};
      for (const [mech, keys] of m) entry[mech] = toStored(keys);
      out[user] = entry;
    }
    return out;
  }
}
