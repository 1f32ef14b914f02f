import type { LogDefaults } from "./config";

/** Kafka's `ConfigType` values (DescribeConfigs v3+). */
export enum ConfigType {
  UNKNOWN = 0,
  BOOLEAN = 1,
  STRING = 2,
  INT = 3,
  SHORT = 4,
  LONG = 5,
  DOUBLE = 6,
  LIST = 7,
  CLASS = 8,
  PASSWORD = 9,
}

/** Kafka's `ConfigSource` values (DescribeConfigs v1+). */
export enum ConfigSource {
  UNKNOWN = 0,
  DYNAMIC_TOPIC_CONFIG = 1,
  DYNAMIC_BROKER_CONFIG = 2,
  DYNAMIC_DEFAULT_BROKER_CONFIG = 3,
  STATIC_BROKER_CONFIG = 4,
  DEFAULT_CONFIG = 5,
}

/** Largest Java long, which Kafka uses as "never" for flush.* and lag configs. */
export const JAVA_LONG_MAX = "9223372036854775807";

/** One topic-level config as Kafka defines it. */
export interface TopicConfigDef {
  /** Topic config name, e.g. "retention.ms". */
  readonly name: string;
  readonly type: ConfigType;
  /** Kafka's default, as the string DescribeConfigs shows. */
  readonly defaultValue: string;
  /** The broker-level config that supplies the default (a synonym), e.g. "log.retention.ms". */
  readonly brokerSynonym: string | null;
  /** The log engine field it controls; null = accepted, stored and described, but not enforced. */
  readonly logKey: keyof LogDefaults | null;
  /**
   * The broker config Kafka names as the DEFAULT_CONFIG synonym when it is not `brokerSynonym`
   * (Kafka defines the retention and roll defaults in hours: `log.retention.hours=168`).
   */
  readonly defaultSynonym?: { readonly name: string; readonly value: string };
  /** Checks a value; returns the reason it is invalid, or null. */
  readonly validate: (value: string) => string | null;
  readonly doc: string;
}

/** Java's Long.parseLong / Integer.parseInt accept a sign and leading zeros. */
const INTEGER = /^[+-]?\d+$/;

function longIn(min: number): (v: string) => string | null {
  return (v) => {
    if (!INTEGER.test(v)) return `"${v}" is not an integer`;
    const n = Number(v);
    return n < min ? `${v} is below the minimum ${min}` : null;
  };
}

function intIn(min: number, max = 2147483647): (v: string) => string | null {
  return (v) => {
    if (!INTEGER.test(v)) return `"${v}" is not an integer`;
    const n = Number(v);
    if (n < min) return `${v} is below the minimum ${min}`;
    return n > max ? `${v} is above the maximum ${max}` : null;
  };
}

function oneOf(...allowed: string[]): (v: string) => string | null {
  return (v) => (allowed.includes(v) ? null : `"${v}" is not one of ${allowed.join(", ")}`);
}

function bool(v: string): string | null {
  // Kafka's ConfigDef parses booleans case-insensitively.
  const lower = v.toLowerCase();
  return lower === "true" || lower === "false" ? null : `"${v}" is not true or false`;
}

function ratio(v: string): string | null {
  const n = Number(v);
  return v.trim() !== "" && Number.isFinite(n) && n >= 0 && n <= 1
    ? null
    : `"${v}" is not between 0 and 1`;
}

function anyList(): string | null {
  return null;
}

function cleanupPolicy(v: string): string | null {
  const parts = v.split(",").map((s) => s.trim());
  if (parts.length === 0 || parts.some((p) => p !== "delete" && p !== "compact")) {
    return `"${v}" is not a list of delete and compact`;
  }
  return new Set(parts).size === parts.length ? null : `"${v}" repeats a policy`;
}

const DAY_MS = 86_400_000;

/** Every topic-level config of Kafka 4.3 (alphabetical, as Kafka lists them). */
export const TOPIC_CONFIGS: readonly TopicConfigDef[] = [
  {
    name: "cleanup.policy",
    type: ConfigType.LIST,
    defaultValue: "delete",
    brokerSynonym: "log.cleanup.policy",
    logKey: "cleanupPolicy",
    validate: cleanupPolicy,
    doc: "delete old segments, compact by key, or both",
  },
  {
    name: "compression.gzip.level",
    type: ConfigType.INT,
    defaultValue: "-1",
    brokerSynonym: "compression.gzip.level",
    logKey: null,
    validate: intIn(-1, 9),
    doc: "gzip level when the broker recompresses (Sluice stores batches as sent)",
  },
  {
    name: "compression.lz4.level",
    type: ConfigType.INT,
    defaultValue: "9",
    brokerSynonym: "compression.lz4.level",
    logKey: null,
    validate: intIn(1, 17),
    doc: "lz4 level when the broker recompresses (Sluice stores batches as sent)",
  },
  {
    name: "compression.type",
    type: ConfigType.STRING,
    defaultValue: "producer",
    brokerSynonym: "compression.type",
    logKey: null,
    validate: oneOf("uncompressed", "zstd", "lz4", "snappy", "gzip", "producer"),
    doc: "final compression; Sluice keeps the producer's compression",
  },
  {
    name: "compression.zstd.level",
    type: ConfigType.INT,
    defaultValue: "3",
    brokerSynonym: "compression.zstd.level",
    logKey: null,
    validate: intIn(-131072, 22),
    doc: "zstd level when the broker recompresses (Sluice stores batches as sent)",
  },
  {
    name: "delete.retention.ms",
    type: ConfigType.LONG,
    defaultValue: String(DAY_MS),
    brokerSynonym: "log.cleaner.delete.retention.ms",
    logKey: "deleteRetentionMs",
    validate: longIn(0),
    doc: "how long tombstones are kept on compacted topics",
  },
  {
    name: "file.delete.delay.ms",
    type: ConfigType.LONG,
    defaultValue: "60000",
    brokerSynonym: "log.segment.delete.delay.ms",
    logKey: null,
    validate: longIn(0),
    doc: "delay before deleting a file from the filesystem",
  },
  {
    name: "flush.messages",
    type: ConfigType.LONG,
    defaultValue: JAVA_LONG_MAX,
    brokerSynonym: "log.flush.interval.messages",
    logKey: "flushMessages",
    validate: longIn(1),
    doc: "fsync after this many messages",
  },
  {
    name: "flush.ms",
    type: ConfigType.LONG,
    defaultValue: JAVA_LONG_MAX,
    brokerSynonym: "log.flush.interval.ms",
    logKey: "flushMs",
    validate: longIn(0),
    doc: "fsync after this many milliseconds",
  },
  {
    name: "follower.replication.throttled.replicas",
    type: ConfigType.LIST,
    defaultValue: "",
    brokerSynonym: null,
    logKey: null,
    validate: anyList,
    doc: "replication throttling (no effect on one node)",
  },
  {
    name: "index.interval.bytes",
    type: ConfigType.INT,
    defaultValue: "4096",
    brokerSynonym: "log.index.interval.bytes",
    logKey: "indexIntervalBytes",
    validate: intIn(0),
    doc: "bytes between offset index entries",
  },
  {
    name: "leader.replication.throttled.replicas",
    type: ConfigType.LIST,
    defaultValue: "",
    brokerSynonym: null,
    logKey: null,
    validate: anyList,
    doc: "replication throttling (no effect on one node)",
  },
  {
    name: "local.retention.bytes",
    type: ConfigType.LONG,
    defaultValue: "-2",
    brokerSynonym: "log.local.retention.bytes",
    logKey: null,
    validate: longIn(-2),
    doc: "tiered storage local retention (no effect: no tiered storage)",
  },
  {
    name: "local.retention.ms",
    type: ConfigType.LONG,
    defaultValue: "-2",
    brokerSynonym: "log.local.retention.ms",
    logKey: null,
    validate: longIn(-2),
    doc: "tiered storage local retention (no effect: no tiered storage)",
  },
  {
    name: "max.compaction.lag.ms",
    type: ConfigType.LONG,
    defaultValue: JAVA_LONG_MAX,
    brokerSynonym: "log.cleaner.max.compaction.lag.ms",
    logKey: null,
    validate: longIn(1),
    doc: "longest time a message stays ineligible for compaction",
  },
  {
    name: "max.message.bytes",
    type: ConfigType.INT,
    defaultValue: "1048588",
    brokerSynonym: "message.max.bytes",
    logKey: "maxMessageBytes",
    validate: intIn(0),
    doc: "largest record batch accepted",
  },
  {
    name: "message.timestamp.after.max.ms",
    type: ConfigType.LONG,
    defaultValue: "3600000",
    brokerSynonym: "log.message.timestamp.after.max.ms",
    logKey: null,
    validate: longIn(0),
    doc: "allowed timestamp skew into the future",
  },
  {
    name: "message.timestamp.before.max.ms",
    type: ConfigType.LONG,
    defaultValue: JAVA_LONG_MAX,
    brokerSynonym: "log.message.timestamp.before.max.ms",
    logKey: null,
    validate: longIn(0),
    doc: "allowed timestamp skew into the past",
  },
  {
    name: "message.timestamp.type",
    type: ConfigType.STRING,
    defaultValue: "CreateTime",
    brokerSynonym: "log.message.timestamp.type",
    logKey: "messageTimestampType",
    validate: oneOf("CreateTime", "LogAppendTime"),
    doc: "CreateTime keeps the producer's timestamps; LogAppendTime stamps the broker's",
  },
  {
    name: "min.cleanable.dirty.ratio",
    type: ConfigType.DOUBLE,
    defaultValue: "0.5",
    brokerSynonym: "log.cleaner.min.cleanable.ratio",
    logKey: null,
    validate: ratio,
    doc: "share of dirty log that triggers compaction",
  },
  {
    name: "min.compaction.lag.ms",
    type: ConfigType.LONG,
    defaultValue: "0",
    brokerSynonym: "log.cleaner.min.compaction.lag.ms",
    logKey: "minCompactionLagMs",
    validate: longIn(0),
    doc: "shortest time a message stays uncompacted",
  },
  {
    name: "min.insync.replicas",
    type: ConfigType.INT,
    defaultValue: "1",
    brokerSynonym: "min.insync.replicas",
    logKey: null,
    validate: intIn(1),
    doc: "replicas that must acknowledge acks=all (one node: always 1)",
  },
  {
    name: "preallocate",
    type: ConfigType.BOOLEAN,
    defaultValue: "false",
    brokerSynonym: "log.preallocate",
    logKey: null,
    validate: bool,
    doc: "preallocate segment files",
  },
  {
    name: "remote.log.copy.disable",
    type: ConfigType.BOOLEAN,
    defaultValue: "false",
    brokerSynonym: null,
    logKey: null,
    validate: bool,
    doc: "stop copying segments to tiered storage (no tiered storage: nothing is copied)",
  },
  {
    name: "remote.log.delete.on.disable",
    type: ConfigType.BOOLEAN,
    defaultValue: "false",
    brokerSynonym: null,
    logKey: null,
    validate: bool,
    doc: "delete tiered data when tiering is turned off (no tiered storage: nothing to delete)",
  },
  {
    name: "remote.storage.enable",
    type: ConfigType.BOOLEAN,
    defaultValue: "false",
    brokerSynonym: null,
    logKey: null,
    validate: oneOf("false"),
    doc: "tiered storage (not supported)",
  },
  {
    name: "retention.bytes",
    type: ConfigType.LONG,
    defaultValue: "-1",
    brokerSynonym: "log.retention.bytes",
    logKey: "retentionBytes",
    validate: longIn(-1),
    doc: "largest partition size before old segments are deleted; -1 = unlimited",
  },
  {
    name: "retention.ms",
    type: ConfigType.LONG,
    defaultValue: String(7 * DAY_MS),
    brokerSynonym: "log.retention.ms",
    logKey: "retentionMs",
    defaultSynonym: { name: "log.retention.hours", value: "168" },
    validate: longIn(-1),
    doc: "how long records are kept; -1 = forever",
  },
  {
    name: "segment.bytes",
    type: ConfigType.INT,
    defaultValue: String(1024 * 1024 * 1024),
    brokerSynonym: "log.segment.bytes",
    logKey: "segmentBytes",
    validate: intIn(14),
    doc: "segment file size",
  },
  {
    name: "segment.index.bytes",
    type: ConfigType.INT,
    defaultValue: "10485760",
    brokerSynonym: "log.index.size.max.bytes",
    logKey: null,
    validate: intIn(4),
    doc: "index file size",
  },
  {
    name: "segment.jitter.ms",
    type: ConfigType.LONG,
    defaultValue: "0",
    brokerSynonym: "log.roll.jitter.ms",
    logKey: null,
    validate: longIn(0),
    doc: "random jitter subtracted from segment.ms",
  },
  {
    name: "segment.ms",
    type: ConfigType.LONG,
    defaultValue: String(7 * DAY_MS),
    brokerSynonym: "log.roll.ms",
    logKey: "segmentMs",
    defaultSynonym: { name: "log.roll.hours", value: "168" },
    validate: longIn(1),
    doc: "time after which a segment is rolled",
  },
  {
    name: "unclean.leader.election.enable",
    type: ConfigType.BOOLEAN,
    defaultValue: "false",
    brokerSynonym: "unclean.leader.election.enable",
    logKey: null,
    validate: bool,
    doc: "leader election from out-of-sync replicas (no effect on one node)",
  },
];

const BY_NAME = new Map(TOPIC_CONFIGS.map((d) => [d.name, d]));

/** The definition of a topic config, or undefined when Kafka has no such topic config. */
export function topicConfigDef(name: string): TopicConfigDef | undefined {
  return BY_NAME.get(name);
}

const BY_BROKER_NAME = new Map(
  TOPIC_CONFIGS.filter((d) => d.brokerSynonym !== null && d.logKey !== null).map((d) => [
    d.brokerSynonym as string,
    d,
  ]),
);

/**
 * The topic config behind a broker-level log config that Sluice changes at run time (Kafka's
 * dynamic `log.*` defaults, e.g. `log.retention.ms` → `retention.ms`): the broker synonyms of the
 * topic configs the log engine acts on. Undefined for every other name.
 */
export function dynamicBrokerLogConfigDef(brokerName: string): TopicConfigDef | undefined {
  return BY_BROKER_NAME.get(brokerName);
}

/**
 * Canonical spelling of a value, as Kafka describes a value it parsed: numbers without sign or
 * leading zeros (`+016777216` → `16777216`, `0.50` → `0.5`), booleans in lower case; the cleanup
 * policy in one order ("delete,compact" → "compact,delete").
 */
export function normalizeConfigValue(def: TopicConfigDef, value: string): string {
  const v = value.trim();
  if (def.type === ConfigType.BOOLEAN) return v.toLowerCase();
  if (
    (def.type === ConfigType.INT ||
      def.type === ConfigType.LONG ||
      def.type === ConfigType.SHORT) &&
    INTEGER.test(v)
  ) {
    return BigInt(v).toString();
  }
  if (def.type === ConfigType.DOUBLE && v !== "" && Number.isFinite(Number(v))) {
    return String(Number(v));
  }
  if (def.name === "cleanup.policy") {
    const parts = new Set(value.split(",").map((s) => s.trim()));
    return parts.has("compact") && parts.has("delete")
      ? "compact,delete"
      : parts.has("compact")
        ? "compact"
        : "delete";
  }
  return v;
}

/** Why `name = value` is not acceptable as a topic config, or null when it is. */
export function validateTopicConfig(name: string, value: string | null): string | null {
  const def = BY_NAME.get(name);
  if (!def) return `unknown topic config ${name}`;
  if (value === null) return null;
  return def.validate(value.trim());
}

/** Turns a log-engine value into the string Kafka shows (Number.MAX_SAFE_INTEGER means "never"). */
export function logValueToString(value: number | string): string {
  if (typeof value === "number" && value >= Number.MAX_SAFE_INTEGER) return JAVA_LONG_MAX;
  return String(value);
}

/** Translates topic config overrides (Kafka names, strings) into log-engine overrides. */
export function toLogOverrides(configs: Readonly<Record<string, string>>): LogDefaults {
  const out: Record<string, number | string> = {};
  for (const [name, value] of Object.entries(configs)) {
    const def = BY_NAME.get(name);
    if (!def || def.logKey === null) continue;
    if (def.type === ConfigType.LONG || def.type === ConfigType.INT) {
      const n = Number(value);
      out[def.logKey] = n >= Number.MAX_SAFE_INTEGER ? Number.MAX_SAFE_INTEGER : n;
    } else {
      out[def.logKey] = normalizeConfigValue(def, value);
    }
  }
  return out as LogDefaults;
}

/** Translates log-engine overrides back into topic configs (Kafka names, strings). */
export function fromLogOverrides(
  overrides: Readonly<Record<string, unknown>>,
): Record<string, string> {
  const out: Record<string, string> = {};
  for (const def of TOPIC_CONFIGS) {
    if (def.logKey === null) continue;
    const v = overrides[def.logKey];
    if (typeof v === "number" || typeof v === "string") out[def.name] = logValueToString(v);
  }
  return out;
}
