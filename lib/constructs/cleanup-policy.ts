/** Kafka's `cleanup.policy`: how old records leave a topic. */
export enum CleanupPolicy {
  /** Delete whole segments older than the retention time or beyond the retention size. */
  DELETE = "delete",
  /** Keep the latest record per key (log compaction). */
  COMPACT = "compact",
  /** Compact, and also delete by retention. */
  COMPACT_DELETE = "compact,delete",
}
