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
  readonly key: Exclude<keyof BrokerConfigFile, "log" | "groups">;
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
    const groupKey = GROUP_FLAGS[name];
    if (groupKey) {
      groups[groupKey] = parseInt32(name, value);
      continue;
    }
    throw new ConfigError(`unknown flag --${name} (see --help)`);
  }
  if (Object.keys(log).length > 0) flags["log"] = log;
  if (Object.keys(groups).length > 0) flags["groups"] = groups;
  // The shape is validated (with clear messages) by resolveConfig's zod schema.
  return { flags: flags as BrokerConfigFile, configFile, help, version };
}

/** Text printed by `--help`. */
export function usage(): string {
  const row = (flag: string, text: string) => `  ${flag.padEnd(40)} ${text}`;
  const lines = ["Usage: sluice-broker [flags]", "", "Flags:"];
  lines.push(row("--config FILE", "JSON config file (flags override it)"));
  for (const [name, spec] of Object.entries(FLAGS)) {
    lines.push(row(`--${name} VALUE`, spec.help));
  }
  lines.push("", "Log defaults for every topic (Kafka topic configs, overridable per topic):");
  for (const [name, spec] of Object.entries(LOG_FLAGS)) {
    lines.push(row(`--${name} VALUE`, `log.${spec.key}`));
  }
  lines.push("", "Consumer groups:");
  for (const [name, key] of Object.entries(GROUP_FLAGS)) {
    lines.push(row(`--${name} VALUE`, `groups.${key}`));
  }
  return lines.join("\n");
}
