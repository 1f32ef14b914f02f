import type { AdminClientOptions } from "../admin/kafka-admin-client";
import type { TlsOptions } from "../admin/kafka-connection";
import type { SaslOptions } from "../admin/sasl-login";
import { saslMechanismSchema } from "../manifest/schema";
import type { CliIo } from "./cli-io";
import { type FlagSpec, type parseArgs, stringFlag } from "./parse-args";
import { UsageError } from "./usage-error";

/**
 * How a command reaches a cluster besides its bootstrap address: SASL, TLS, timeouts. Shared by
 * `sluice apply` and `sluice plan --bootstrap`.
 */
export const CONNECTION_FLAGS: Readonly<Record<string, FlagSpec>> = {
  "sasl-mechanism": { type: "string" },
  username: { type: "string" },
  "password-env": { type: "string" },
  "password-file": { type: "string" },
  tls: { type: "boolean" },
  ca: { type: "string" },
  cert: { type: "string" },
  key: { type: "string" },
  insecure: { type: "boolean" },
  "timeout-ms": { type: "string" },
  "wait-ms": { type: "string" },
};

/** `--wait-ms`: how long to keep retrying an unreachable broker, or `defaultMs`. */
export function waitMsFlag(args: ReturnType<typeof parseArgs>, defaultMs: number): number {
  const text = stringFlag(args, "wait-ms");
  const waitMs = text === undefined ? defaultMs : Number(text);
  if (!Number.isInteger(waitMs) || waitMs < 0) {
    throw new UsageError(`--wait-ms must be a non-negative integer (got '${text}')`);
  }
  return waitMs;
}

/** Builds connection options from the flags (everything except the bootstrap address). */
export function connectionOptions(
  args: ReturnType<typeof parseArgs>,
  io: CliIo,
): Omit<AdminClientOptions, "host" | "port"> {
  const timeoutText = stringFlag(args, "timeout-ms");
  const timeoutMs = timeoutText === undefined ? 30_000 : Number(timeoutText);
  if (!Number.isInteger(timeoutMs) || timeoutMs <= 0) {
    throw new UsageError(`--timeout-ms must be a positive integer (got '${timeoutText}')`);
  }
  const read = (flag: string): string | undefined => {
    const path = stringFlag(args, flag);
    if (path === undefined) return undefined;
    try {
      return io.readFile(path);
    } catch (e) {
      throw new UsageError(`--${flag}: cannot read ${path}: ${e instanceof Error ? e.message : e}`);
    }
  };
  const ca = read("ca");
  const cert = read("cert");
  const key = read("key");
  const insecure = args.flags.get("insecure") === true;
  const wantsTls =
    args.flags.get("tls") === true || ca !== undefined || cert !== undefined || insecure;
  if ((cert === undefined) !== (key === undefined)) {
    throw new UsageError("--cert and --key go together");
  }
  let tls: TlsOptions | undefined;
  if (wantsTls) {
    tls = {
      ...(ca !== undefined ? { ca } : {}),
      ...(cert !== undefined ? { cert } : {}),
      ...(key !== undefined ? { key } : {}),
      insecure,
    };
  }
  const sasl = saslOptions(args, io);
  return {
    timeoutMs,
    clientId: "sluice-apply",
    ...(tls ? { tls } : {}),
    ...(sasl ? { sasl } : {}),
  };
}

function saslOptions(args: ReturnType<typeof parseArgs>, io: CliIo): SaslOptions | undefined {
  const mechanismText = stringFlag(args, "sasl-mechanism");
  const username = stringFlag(args, "username");
  const passwordEnv = stringFlag(args, "password-env");
  const passwordFile = stringFlag(args, "password-file");
  if (mechanismText === undefined) {
    if (username !== undefined || passwordEnv !== undefined || passwordFile !== undefined) {
      throw new UsageError("--username/--password-env/--password-file need --sasl-mechanism");
    }
    return undefined;
  }
  const mechanism = saslMechanismSchema.safeParse(mechanismText);
  if (!mechanism.success) {
    throw new UsageError(
      `--sasl-mechanism must be PLAIN, SCRAM-SHA-256 or SCRAM-SHA-512 (got '${mechanismText}')`,
    );
  }
  if (username === undefined) throw new UsageError("--sasl-mechanism needs --username");
  if ((passwordEnv === undefined) === (passwordFile === undefined)) {
    throw new UsageError("--sasl-mechanism needs exactly one of --password-env or --password-file");
  }
  let password: string | undefined;
  if (passwordEnv !== undefined) {
    password = io.env[passwordEnv];
    if (password === undefined)
      throw new UsageError(`environment variable ${passwordEnv} is not set`);
  } else if (passwordFile !== undefined) {
    try {
      password = io.readFile(passwordFile).replace(/\r?\n$/, "");
    } catch (e) {
      throw new UsageError(`--password-file: ${e instanceof Error ? e.message : e}`);
    }
  }
  if (!password) throw new UsageError("the SASL password is empty");
  return { mechanism: mechanism.data, username, password };
}
