/**
 * Per-partition log configuration: Kafka's topic configs, camelCased, all in bytes or milliseconds.
 * Broker defaults come from {@link DEFAULT_LOG_CONFIG}; topics override individual keys.
 */
export interface LogConfig {
  /** `segment.bytes`: roll the active segment once it would exceed this size. */
  readonly segmentBytes: number;
  /** `segment.ms`: roll the active segment once its first batch is this old. */
  readonly segmentMs: number;
  /** `index.interval.bytes`: add a sparse offset/time index entry every this many bytes. */
  readonly indexIntervalBytes: number;
  /** `retention.ms`: delete whole closed segments whose newest timestamp is older; -1 keeps forever. */
  readonly retentionMs: number;
  /** `retention.bytes`: delete the oldest closed segments while the log exceeds this; -1 is unlimited. */
  readonly retentionBytes: number;
  /** `cleanup.policy`. */
  readonly cleanupPolicy: "delete" | "compact" | "compact,delete";
  /** `delete.retention.ms`: how long compaction keeps tombstones. */
  readonly deleteRetentionMs: number;
  /** `min.compaction.lag.ms`: records younger than this are never compacted. */
  readonly minCompactionLagMs: number;
  /** `max.message.bytes`: largest record batch accepted (MESSAGE_TOO_LARGE above). */
  readonly maxMessageBytes: number;
  /** `flush.messages`: fsync after this many appended records (MAX_SAFE_INTEGER = leave it to the OS). */
  readonly flushMessages: number;
  /** `flush.ms`: fsync when unflushed data is this old (MAX_SAFE_INTEGER = leave it to the OS). */
  readonly flushMs: number;
  /** `message.timestamp.type`: LogAppendTime makes the broker stamp batches with its clock. */
  readonly messageTimestampType: "CreateTime" | "LogAppendTime";
}

/** Kafka's defaults for every {@link LogConfig} key. */
export const DEFAULT_LOG_CONFIG: LogConfig = Object.freeze({
  segmentBytes: 1024 * 1024 * 1024,
  segmentMs: 7 * 24 * 3600 * 1000,
  indexIntervalBytes: 4096,
  retentionMs: 7 * 24 * 3600 * 1000,
  retentionBytes: -1,
  cleanupPolicy: "delete",
  deleteRetentionMs: 24 * 3600 * 1000,
  minCompactionLagMs: 0,
  maxMessageBytes: 1048588,
  flushMessages: Number.MAX_SAFE_INTEGER,
  flushMs: Number.MAX_SAFE_INTEGER,
  messageTimestampType: "CreateTime",
});

/** Merges overrides over a base config, ignoring `undefined` values. */
export function mergeLogConfig(
  base: LogConfig,
  overrides: Partial<LogConfig> | undefined,
): LogConfig {
  const out: Record<string, unknown> = { ...base };
  for (const [k, v] of Object.entries(overrides ?? {})) {
    if (v !== undefined) out[k] = v;
  }
  return out as unknown as LogConfig;
}

/** True when the policy includes compaction. */
export function isCompacted(config: LogConfig): boolean {
  return config.cleanupPolicy !== "delete";
}

/** True when the policy includes time/size based deletion. */
export function isDeleting(config: LogConfig): boolean {
  return config.cleanupPolicy !== "compact";
}
