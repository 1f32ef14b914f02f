import type { SecuritySettings } from "../tenancy/security-config";
import { type BrokerConfigFile, ConfigError, type GroupSettings, type LogDefaults } from "./config";

/** Result of parsing the command line. */
export interface ParsedArgs {
  /** Settings given as flags, in config-file shape (they override the file). */
  readonly flags: BrokerConfigFile;
  /** `--config FILE`, if given. */
  readonly configFile: string | undefined;
  readonly help: boolean;
  readonly version: boolean;
}

type Kind = "string" | "int" | "bool";

interface FlagSpec {
  readonly key: Exclude<keyof BrokerConfigFile, "log" | "groups" | "security">;
  readonly kind: Kind;
  readonly help: string;
}

const FLAGS: Record<string, FlagSpec> = {
  "data-dir": {
    key: "dataDir",
    kind: "string",
    help: "directory for logs and metadata (required)",
  },
  listeners: {
    key: "listeners",
    kind: "string",
    help: "PLAINTEXT://HOST:PORT[,…] to bind (default PLAINTEXT://0.0.0.0:9092)",
  },
  "advertised-listeners": {
    key: "advertisedListeners",
    kind: "string",
    help: "NAME://HOST:PORT[,…] given to clients in Metadata (default: the listeners)",
  },
  "node-id": { key: "nodeId", kind: "int", help: "broker id (default 0)" },
  rack: {
    key: "rack",
    kind: "string",
    help: "broker.rack returned to clients in Metadata (default: none)",
  },
  "auto-create-topics": {
    key: "autoCreateTopics",
    kind: "bool",
    help: "create unknown topics on Metadata/Produce: true|false (default true)",
  },
  "num-partitions": {
    key: "numPartitions",
    kind: "int",
    help: "partitions of auto-created topics (default 1)",
  },
  "admin-listener": {
    key: "adminListener",
    kind: "string",
    help: "HOST:PORT for HTTP /healthz, /readyz, /metrics (default: off)",
  },
  "max-request-bytes": {
    key: "maxRequestBytes",
    kind: "int",
    help: "largest accepted request (default 104857600)",
  },
  "sasl-server-max-receive-size": {
    key: "saslServerMaxReceiveSize",
    kind: "int",
    help: "largest frame read before SASL authentication; larger closes the connection (default 524288)",
  },
  "queued-max-request-bytes": {
    key: "queuedMaxRequestBytes",
    kind: "int",
    help: "bytes of requests held at once, broker-wide; at the bound reading pauses (default 268435456)",
  },
  "fetch-max-bytes": {
    key: "fetchMaxBytes",
    kind: "int",
    help: "largest Fetch response, whatever the client asks (default 57671680)",
  },
  "log-flush-policy": {
    key: "flushPolicy",
    kind: "string",
    help: "when produce waits for fsync: acks-all|always|never (default acks-all)",
  },
  "connections-max-idle-ms": {
    key: "connectionsMaxIdleMs",
    kind: "int",
    help: "close connections idle this long; 0 = never (default 600000)",
  },
  "shutdown-timeout-ms": {
    key: "shutdownTimeoutMs",
    kind: "int",
    help: "how long SIGTERM waits for in-flight requests (default 5000)",
  },
};

const LOG_FLAGS: Record<string, { key: keyof LogDefaults; kind: "int" | "string" }> = {
  "log-segment-bytes": { key: "segmentBytes", kind: "int" },
  "log-segment-ms": { key: "segmentMs", kind: "int" },
  "log-index-interval-bytes": { key: "indexIntervalBytes", kind: "int" },
  "log-retention-ms": { key: "retentionMs", kind: "int" },
  "log-retention-bytes": { key: "retentionBytes", kind: "int" },
  "log-cleanup-policy": { key: "cleanupPolicy", kind: "string" },
  "log-delete-retention-ms": { key: "deleteRetentionMs", kind: "int" },
  "log-min-compaction-lag-ms": { key: "minCompactionLagMs", kind: "int" },
  "log-max-message-bytes": { key: "maxMessageBytes", kind: "int" },
  "log-flush-messages": { key: "flushMessages", kind: "int" },
  "log-flush-ms": { key: "flushMs", kind: "int" },
  "log-message-timestamp-type": { key: "messageTimestampType", kind: "string" },
};

const GROUP_FLAGS: Record<string, keyof GroupSettings> = {
  "group-initial-rebalance-delay-ms": "initialRebalanceDelayMs",
  "group-min-session-timeout-ms": "minSessionTimeoutMs",
  "group-max-session-timeout-ms": "maxSessionTimeoutMs",
  "group-max-size": "maxGroupSize",
  "offset-metadata-max-bytes": "offsetMetadataMaxBytes",
  "offsets-retention-ms": "offsetsRetentionMs",
};

/** Security flags: the `security` section, so a container needs no config file for SASL. */
const SECURITY_FLAGS: Record<
  string,
  { help: string; parse: (flag: string, raw: string) => Partial<SecuritySettings> }
> = {
  "sasl-mechanisms": {
    help: "SCRAM-SHA-512,SCRAM-SHA-256,PLAIN offered on SASL listeners (default: all three)",
    parse: (_flag, raw) => ({
      saslMechanisms: list(raw) as SecuritySettings["saslMechanisms"],
    }),
  },
  "super-users": {
    help: "User:NAME[,…] allowed everything [super.users]",
    parse: (_flag, raw) => ({ superUsers: list(raw) }),
  },
  authorizer: {
    help: "enforce ACLs: true|false (default false; tenant isolation applies regardless)",
    parse: (flag, raw) => ({ authorizationEnabled: parseBool(flag, raw) }),
  },
  "allow-everyone-if-no-acl-found": {
    help: "true|false (default false)",
    parse: (flag, raw) => ({ allowEveryoneIfNoAclFound: parseBool(flag, raw) }),
  },
  "bootstrap-users": {
    help: "USER:ENV_VAR[,…] SCRAM users whose password is read from ENV_VAR at start",
    parse: (flag, raw) => ({
      bootstrapUsers: list(raw).map((entry) => {
        const colon = entry.lastIndexOf(":");
        if (colon <= 0 || colon === entry.length - 1) {
          throw new ConfigError(`--${flag}: "${entry}" is not USER:ENV_VAR`);
        }
        return { user: entry.slice(0, colon), passwordEnv: entry.slice(colon + 1) };
      }),
    }),
  },
};

function list(raw: string): string[] {
  return raw
    .split(",")
    .map((s) => s.trim())
    .filter((s) => s !== "");
}

function parseInt32(flag: string, raw: string): number {
  if (!/^-?\d+$/.test(raw)) throw new ConfigError(`--${flag}: "${raw}" is not an integer`);
  const n = Number(raw);
  if (!Number.isSafeInteger(n)) throw new ConfigError(`--${flag}: ${raw} is out of range`);
  return n;
}

function parseBool(flag: string, raw: string): boolean {
  if (raw === "true") return true;
  if (raw === "false") return false;
  throw new ConfigError(`--${flag}: "${raw}" is not true or false`);
}

/** Parses `argv` (without node and script): `--flag value` or `--flag=value`. Unknown flags are errors. */
export function parseArgs(argv: readonly string[]): ParsedArgs {
  const flags: Record<string, unknown> = {};
  const log: Record<string, unknown> = {};
  const groups: Record<string, unknown> = {};
  let security: Partial<SecuritySettings> = {};
  let configFile: string | undefined;
  let help = false;
  let version = false;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] ?? "";
    if (arg === "--help" || arg === "-h") {
      help = true;
      continue;
    }
    if (arg === "--version") {
      version = true;
      continue;
    }
    if (!arg.startsWith("--")) {
      throw new ConfigError(`unexpected argument "${arg}" (flags look like --data-dir DIR)`);
    }
    const eq = arg.indexOf("=");
    const name = eq >= 0 ? arg.slice(2, eq) : arg.slice(2);
    let value: string;
    if (eq >= 0) {
      value = arg.slice(eq + 1);
    } else {
      const next = argv[i + 1];
      if (next === undefined) throw new ConfigError(`--${name} needs a value`);
      value = next;
      i++;
    }
    if (name === "config") {
      configFile = value;
      continue;
    }
    const spec = FLAGS[name];
    if (spec) {
      flags[spec.key] =
        spec.kind === "int"
          ? parseInt32(name, value)
          : spec.kind === "bool"
            ? parseBool(name, value)
            : value;
      continue;
    }
    const logSpec = LOG_FLAGS[name];
    if (logSpec) {
      log[logSpec.key] = logSpec.kind === "int" ? parseInt32(name, value) : value;
      continue;
    }
    const securitySpec = SECURITY_FLAGS[name];
    if (securitySpec) {
      security = { ...security, ...securitySpec.parse(name, value) };
      continue;
    }
    const groupKey = GROUP_FLAGS[name];
    if (groupKey) {
      groups[groupKey] = parseInt32(name, value);
      continue;
    }
    throw new ConfigError(`unknown flag --${name} (see --help)`);
  }
  if (Object.keys(log).length > 0) flags["log"] = log;
  if (Object.keys(groups).length > 0) flags["groups"] = groups;
  if (Object.keys(security).length > 0) flags["security"] = security;
  // The shape is validated (with clear messages) by resolveConfig's zod schema.
  return { flags: flags as BrokerConfigFile, configFile, help, version };
}

/** Text printed by `--help`. */
export function usage(): string {
  const row = (flag: string, text: string) => `  ${flag.padEnd(40)} ${text}`;
  const lines = [
    "Usage: sluice-broker [flags]",
    "       sluice-broker verify --data-dir DIR [--repair] [--json]   (offline check; verify --help)",
    "",
    "Flags:",
  ];
  lines.push(row("--config FILE", "JSON config file (flags override it)"));
  for (const [name, spec] of Object.entries(FLAGS)) {
    lines.push(row(`--${name} VALUE`, spec.help));
  }
  lines.push("", "Log defaults for every topic (Kafka topic configs, overridable per topic):");
  for (const [name, spec] of Object.entries(LOG_FLAGS)) {
    lines.push(row(`--${name} VALUE`, `log.${spec.key}`));
  }
  lines.push("", "Security (the config file's `security` section; flags override its keys):");
  for (const [name, spec] of Object.entries(SECURITY_FLAGS)) {
    lines.push(row(`--${name} VALUE`, spec.help));
  }
  lines.push("", "Consumer groups:");
  for (const [name, key] of Object.entries(GROUP_FLAGS)) {
    lines.push(row(`--${name} VALUE`, `groups.${key}`));
  }
  return lines.join("\n");
}
