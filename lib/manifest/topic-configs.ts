/**
 * Typed options for the most used Kafka topic configs. Units are in the names; every field is
 * optional and omitted fields produce no config key (the cluster default applies).
 */
export interface TopicConfigOptions {
  /** `retention.ms`; -1 keeps data forever. */
  readonly retentionMs?: number;
  /** `retention.bytes` per partition; -1 = unlimited. */
  readonly retentionBytes?: number;
  /** `cleanup.policy`. */
  readonly cleanupPolicy?: "delete" | "compact" | "compact,delete";
  /** `segment.bytes`. */
  readonly segmentBytes?: number;
  /** `segment.ms`. */
  readonly segmentMs?: number;
  /** `max.message.bytes` (largest record batch). */
  readonly maxMessageBytes?: number;
  /** `min.insync.replicas`. */
  readonly minInsyncReplicas?: number;
  /** `compression.type`. */
  readonly compressionType?: "producer" | "uncompressed" | "gzip" | "snappy" | "lz4" | "zstd";
  /** `delete.retention.ms` (how long compaction keeps tombstones). */
  readonly deleteRetentionMs?: number;
  /** `min.compaction.lag.ms`. */
  readonly minCompactionLagMs?: number;
  /** `message.timestamp.type`. */
  readonly messageTimestampType?: "CreateTime" | "LogAppendTime";
  /** `index.interval.bytes`. */
  readonly indexIntervalBytes?: number;
  /** `flush.messages`. */
  readonly flushMessages?: number;
  /** `flush.ms`. */
  readonly flushMs?: number;
}

/** Option name → Kafka config name. */
const CONFIG_NAMES: { readonly [K in keyof Required<TopicConfigOptions>]: string } = {
  retentionMs: "retention.ms",
  retentionBytes: "retention.bytes",
  cleanupPolicy: "cleanup.policy",
  segmentBytes: "segment.bytes",
  segmentMs: "segment.ms",
  maxMessageBytes: "max.message.bytes",
  minInsyncReplicas: "min.insync.replicas",
  compressionType: "compression.type",
  deleteRetentionMs: "delete.retention.ms",
  minCompactionLagMs: "min.compaction.lag.ms",
  messageTimestampType: "message.timestamp.type",
  indexIntervalBytes: "index.interval.bytes",
  flushMessages: "flush.messages",
  flushMs: "flush.ms",
};

/** Thrown when a typed topic config value is out of range. */
export class TopicConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "TopicConfigError";
  }
}

/**
 * Builds the manifest's string map of Kafka topic configs from typed options.
 *
 * @example topicConfigs({ retentionMs: 86_400_000, cleanupPolicy: "compact" })
 *   // → { "cleanup.policy": "compact", "retention.ms": "86400000" }
 */
export function topicConfigs(options: TopicConfigOptions): Record<string, string> {
  const out: Record<string, string> = {};
  for (const key of Object.keys(CONFIG_NAMES) as (keyof TopicConfigOptions)[]) {
    const value = options[key];
    if (value === undefined) continue;
    if (typeof value === "number") {
      if (!Number.isSafeInteger(value)) {
        throw new TopicConfigError(`${key} must be an integer (got ${value})`);
      }
      const allowsMinusOne = key === "retentionMs" || key === "retentionBytes";
      if (value < 0 && !(allowsMinusOne && value === -1)) {
        throw new TopicConfigError(
          `${key} must be >= 0${allowsMinusOne ? " or -1 (unlimited)" : ""} (got ${value})`,
        );
      }
    }
    out[CONFIG_NAMES[key]] = String(value);
  }
  return out;
}
