import { gunzipSync } from "node:zlib";
import type { AdminClientOptions } from "../admin/kafka-admin-client";
import { KafkaClusterAdmin } from "../admin/kafka-cluster-admin";
import type { TlsOptions } from "../admin/kafka-connection";
import type { SaslOptions } from "../admin/sasl-login";
import { applyManifest } from "../manifest/apply-manifest";
import { formatChange } from "../manifest/format-plan";
import { parseManifest } from "../manifest/parse-manifest";
import { saslMechanismSchema } from "../manifest/schema";
import type { CliIo } from "./cli-io";
import { type ClosableAdmin, connectWithRetry } from "./connect-with-retry";
import { type FlagSpec, parseArgs, parseHostPort, stringFlag } from "./parse-args";
import { UsageError } from "./usage-error";

/** Flags of `sluice apply`. */
export const APPLY_FLAGS: Readonly<Record<string, FlagSpec>> = {
  bootstrap: { type: "string" },
  "manifest-env": { type: "string" },
  "sasl-mechanism": { type: "string" },
  username: { type: "string" },
  "password-env": { type: "string" },
  "password-file": { type: "string" },
  tls: { type: "boolean" },
  ca: { type: "string" },
  cert: { type: "string" },
  key: { type: "string" },
  insecure: { type: "boolean" },
  "dry-run": { type: "boolean" },
  "timeout-ms": { type: "string" },
  "wait-ms": { type: "string" },
  help: { type: "boolean" },
};

/** Usage text of `sluice apply`. */
export const APPLY_USAGE = `usage: sluice apply MANIFEST --bootstrap HOST:PORT [options]
       sluice apply --manifest-env VAR --bootstrap HOST:PORT [options]

Brings a Kafka-compatible cluster to the manifest through the admin APIs; idempotent.

options:
  --bootstrap HOST:PORT        broker to connect to (comma-separated list: first reachable)
  --manifest-env VAR           read the manifest from environment variable VAR instead of a file:
                               JSON, or gzip-compressed JSON in base64
  --sasl-mechanism M           PLAIN, SCRAM-SHA-256 or SCRAM-SHA-512
  --username U                 SASL user
  --password-env VAR           read the SASL password from environment variable VAR
  --password-file FILE         read the SASL password from FILE
  --tls                        connect with TLS
  --ca FILE                    PEM CA certificate(s) to trust (implies --tls)
  --cert FILE --key FILE       client certificate and key for mutual TLS (implies --tls)
  --insecure                   do not verify the server certificate (testing only)
  --dry-run                    print the changes without applying them
  --timeout-ms N               connect and request timeout (default 30000)
  --wait-ms N                  keep retrying an unreachable broker this long (default 30000; 0 = no retry)`;

/** Connects a ClusterAdmin; injectable for tests. */
export type AdminConnector = (options: AdminClientOptions) => Promise<ClosableAdmin>;

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

/** `sluice apply`; returns the exit code. */
export async function applyCommand(
  argv: readonly string[],
  io: CliIo,
  connect: AdminConnector = (o) => KafkaClusterAdmin.connect(o),
): Promise<number> {
  const args = parseArgs(argv, APPLY_FLAGS);
  if (args.flags.get("help") === true) {
    io.out(APPLY_USAGE);
    return 0;
  }
  const manifestEnv = stringFlag(args, "manifest-env");
  if (manifestEnv !== undefined ? args.positionals.length !== 0 : args.positionals.length !== 1) {
    throw new UsageError(
      manifestEnv !== undefined
        ? "sluice apply takes a MANIFEST file or --manifest-env, not both"
        : "sluice apply takes exactly one MANIFEST file",
    );
  }
  const file = manifestEnv !== undefined ? `$${manifestEnv}` : (args.positionals[0] ?? "");
  const bootstrapText = stringFlag(args, "bootstrap");
  if (bootstrapText === undefined) throw new UsageError("--bootstrap HOST:PORT is required");
  const bootstraps = bootstrapText.split(",").map(parseHostPort);
  const base = connectionOptions(args, io);
  const dryRun = args.flags.get("dry-run") === true;
  const waitText = stringFlag(args, "wait-ms");
  const waitMs = waitText === undefined ? 30_000 : Number(waitText);
  if (!Number.isInteger(waitMs) || waitMs < 0) {
    throw new UsageError(`--wait-ms must be a non-negative integer (got '${waitText}')`);
  }

  let text: string;
  try {
    text = manifestEnv !== undefined ? manifestFromEnv(io, manifestEnv) : io.readFile(file);
  } catch (e) {
    io.err(`error: cannot read ${file}: ${e instanceof Error ? e.message : e}`);
    return 1;
  }
  const manifest = parseManifest(text, file);

  const admin = await connectWithRetry(bootstraps, base, connect, {
    waitMs,
    onWaiting: (reason) => io.err(`waiting for the cluster (up to ${waitMs} ms): ${reason}`),
  });
  try {
    const result = await applyManifest(manifest, admin, {
      dryRun,
      ...(base.sasl ? { authenticatedUser: base.sasl.username } : {}),
      secrets: { env: io.env, readFile: (p) => io.readFile(p) },
      onApplied: (c) => io.out(formatChange(c)),
    });
    const { plan } = result;
    for (const w of plan.warnings) io.err(`warning: ${w}`);
    if (plan.errors.length > 0) {
      for (const e of plan.errors) io.err(`error: ${e}`);
      io.err("nothing was applied");
      return 1;
    }
    if (dryRun) {
      for (const c of plan.changes) io.out(formatChange(c));
    }
    for (const n of plan.notes) io.out(`note: ${n}`);
    if (plan.changes.length === 0) io.out("no changes");
    else if (dryRun) io.out(`dry run: ${plan.changes.length} change(s) not applied`);
    else io.out(`applied ${result.applied.length} change(s)`);
    return 0;
  } finally {
    admin.close();
  }
}

/**
 * The manifest from an environment variable: JSON as it is, or gzip-compressed JSON in base64 (an
 * environment string is limited to 128 KiB on Linux; compressed, a manifest fits ten times more).
 */
function manifestFromEnv(io: CliIo, name: string): string {
  const value = io.env[name];
  if (value === undefined || value.trim() === "") throw new Error("the variable is not set");
  if (value.trimStart().startsWith("{")) return value;
  try {
    return gunzipSync(Buffer.from(value, "base64")).toString("utf8");
  } catch {
    throw new Error("neither JSON nor gzip-compressed JSON in base64");
  }
}
