/**
 * Typed options for the most used Kafka topic configs. Units are in the names; every field is
 * optional and omitted fields produce no config key (the cluster default applies).
 */
export interface TopicConfigOptions {
  /**
   * `retention.ms`: how long records are kept, in milliseconds; -1 keeps data forever.
   * @default - the cluster's `log.retention.ms` (7 days in Kafka and Sluice)
   */
  readonly retentionMs?: number;
  /**
   * `retention.bytes`: the most bytes kept per partition; -1 = unlimited.
   * @default - the cluster's `log.retention.bytes` (-1)
   */
  readonly retentionBytes?: number;
  /**
   * `cleanup.policy`: delete old segments, compact to the latest record per key, or both.
   * @default - the cluster's `log.cleanup.policy` (`delete`)
   */
  readonly cleanupPolicy?: "delete" | "compact" | "compact,delete";
  /**
   * `segment.bytes`: size at which a log segment is rolled, in bytes.
   * @default - the cluster's `log.segment.bytes` (1 GiB)
   */
  readonly segmentBytes?: number;
  /**
   * `segment.ms`: age at which a log segment is rolled even if not full, in milliseconds.
   * @default - the cluster's `log.roll.ms` (7 days)
   */
  readonly segmentMs?: number;
  /**
   * `max.message.bytes`: the largest record batch accepted, in bytes.
   * @default - the cluster's `message.max.bytes` (1048588)
   */
  readonly maxMessageBytes?: number;
  /**
   * `min.insync.replicas`: replicas that must have a write for an `acks=all` produce to succeed.
   * @default - the cluster's `min.insync.replicas` (1)
   */
  readonly minInsyncReplicas?: number;
  /**
   * `compression.type`: how the broker stores batches; `producer` keeps the producer's codec.
   * @default - the cluster's `compression.type` (`producer`)
   */
  readonly compressionType?: "producer" | "uncompressed" | "gzip" | "snappy" | "lz4" | "zstd";
  /**
   * `delete.retention.ms`: how long compaction keeps tombstones, in milliseconds.
   * @default - the cluster's `log.cleaner.delete.retention.ms` (1 day)
   */
  readonly deleteRetentionMs?: number;
  /**
   * `min.compaction.lag.ms`: the least time a record stays uncompacted, in milliseconds.
   * @default - the cluster's `log.cleaner.min.compaction.lag.ms` (0)
   */
  readonly minCompactionLagMs?: number;
  /**
   * `message.timestamp.type`: keep the producer's timestamp, or stamp the broker's append time.
   * @default - the cluster's `log.message.timestamp.type` (`CreateTime`)
   */
  readonly messageTimestampType?: "CreateTime" | "LogAppendTime";
  /**
   * `index.interval.bytes`: bytes of log between two offset index entries.
   * @default - the cluster's `log.index.interval.bytes` (4096)
   */
  readonly indexIntervalBytes?: number;
  /**
   * `flush.messages`: records written between forced fsyncs.
   * @default - the cluster's `log.flush.interval.messages` (never forced)
   */
  readonly flushMessages?: number;
  /**
   * `flush.ms`: time between forced fsyncs, in milliseconds.
   * @default - the cluster's `log.flush.interval.ms` (never forced)
   */
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
