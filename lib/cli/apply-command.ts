import { gunzipSync } from "node:zlib";
import type { AdminClientOptions } from "../admin/kafka-admin-client";
import { KafkaClusterAdmin } from "../admin/kafka-cluster-admin";
import { EXIT_CODES } from "../exit-codes";
import { applyManifest } from "../manifest/apply-manifest";
import { formatChange } from "../manifest/format-plan";
import { parseManifest } from "../manifest/parse-manifest";
import type { CliIo } from "./cli-io";
import { type ClosableAdmin, connectWithRetry } from "./connect-with-retry";
import { CONNECTION_FLAGS, connectionOptions, waitMsFlag } from "./connection-flags";
import { type FlagSpec, parseArgs, parseHostPort, stringFlag } from "./parse-args";
import { UsageError } from "./usage-error";

/** Flags of `sluice apply`. */
export const APPLY_FLAGS: Readonly<Record<string, FlagSpec>> = {
  bootstrap: { type: "string" },
  "manifest-env": { type: "string" },
  ...CONNECTION_FLAGS,
  "dry-run": { type: "boolean" },
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

/** `sluice apply`; returns the exit code. */
export async function applyCommand(
  argv: readonly string[],
  io: CliIo,
  connect: AdminConnector = (o) => KafkaClusterAdmin.connect(o),
): Promise<number> {
  const args = parseArgs(argv, APPLY_FLAGS);
  if (args.flags.get("help") === true) {
    io.out(APPLY_USAGE);
    return EXIT_CODES.ok;
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
  const waitMs = waitMsFlag(args, 30_000);

  let text: string;
  try {
    text = manifestEnv !== undefined ? manifestFromEnv(io, manifestEnv) : io.readFile(file);
  } catch (e) {
    io.err(`error: cannot read ${file}: ${e instanceof Error ? e.message : e}`);
    return EXIT_CODES.error;
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
      return EXIT_CODES.error;
    }
    if (dryRun) {
      for (const c of plan.changes) io.out(formatChange(c));
    }
    for (const n of plan.notes) io.out(`note: ${n}`);
    if (plan.changes.length === 0) io.out("no changes");
    else if (dryRun) io.out(`dry run: ${plan.changes.length} change(s) not applied`);
    else io.out(`applied ${result.applied.length} change(s)`);
    return EXIT_CODES.ok;
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
