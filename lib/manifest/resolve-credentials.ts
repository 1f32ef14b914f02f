import { readFileSync } from "node:fs";
import type { CredentialRef, Manifest } from "./schema";

/** A credential reference that cannot be resolved (unset variable, unreadable file, empty). */
export class CredentialError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "CredentialError";
  }
}

/** Where secrets come from; injectable for tests. */
export interface SecretSource {
  /** Environment variables, for `{ env }` references. */
  readonly env: Readonly<Record<string, string | undefined>>;
  /** Reads a file as UTF-8, for `{ file }` references; throws when it cannot. */
  readFile(path: string): string;
}

/** The process environment and the file system. */
export const PROCESS_SECRETS: SecretSource = {
  env: process.env,
  readFile: (path) => readFileSync(path, "utf8"),
};

/** Reads one secret. A single trailing newline (as `echo` writes) is dropped from files. */
export function resolveCredential(
  ref: CredentialRef,
  source: SecretSource = PROCESS_SECRETS,
): string {
  let secret: string;
  if ("env" in ref) {
    const value = source.env[ref.env];
    if (value === undefined)
      throw new CredentialError(`environment variable ${ref.env} is not set`);
    secret = value;
  } else {
    try {
      secret = source.readFile(ref.file).replace(/\r?\n$/, "");
    } catch (e) {
      const reason = e instanceof Error ? e.message : String(e);
      throw new CredentialError(`cannot read credential file ${ref.file}: ${reason}`);
    }
  }
  if (secret === "") {
    throw new CredentialError(
      `${"env" in ref ? `variable ${ref.env}` : `file ${ref.file}`} is empty`,
    );
  }
  return secret;
}

/** Resolves every principal's password: principal name → password. Throws on the first failure. */
export function resolveCredentials(
  m: Manifest,
  source: SecretSource = PROCESS_SECRETS,
): Map<string, string> {
  const out = new Map<string, string>();
  for (const p of m.principals) {
    try {
      out.set(p.name, resolveCredential(p.credential, source));
    } catch (e) {
      if (e instanceof CredentialError) {
        throw new CredentialError(`principal '${p.name}': ${e.message}`);
      }
      throw e;
    }
  }
  return out;
}
