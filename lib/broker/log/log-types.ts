/** Options of {@link PartitionLog.append}. */
export interface AppendOptions {
  /**
   * Wait until the appended bytes are fsynced (group commit: concurrent appends share one
   * fdatasync). The produce handler passes `acks === -1` (acks=all); acks=1 does not wait and
   * relies on `flush.messages` / `flush.ms` or the OS.
   */
  readonly requireFsync: boolean;
}

/** Outcome of one successful append. */
export interface AppendResult {
  /** Offset of the first record written (or of the original batch when `duplicate`). */
  readonly baseOffset: number;
  /** Offset of the last record written. */
  readonly lastOffset: number;
  /** Broker time used for LogAppendTime topics, else -1. */
  readonly logAppendTimeMs: number;
  readonly logStartOffset: number;
  /** True when an idempotent producer retried a batch already in the log: nothing was written. */
  readonly duplicate: boolean;
}

/** Outcome of one read (Fetch semantics). */
export interface ReadResult {
  /** Whole batches, in order, as stored (the first may start before the requested offset). */
  readonly records: Buffer[];
  readonly highWatermark: number;
  readonly logStartOffset: number;
  /** No transactions: equals the high watermark. */
  readonly lastStableOffset: number;
}

/** Result of {@link PartitionLog.offsetForTimestamp}. */
export interface TimestampOffset {
  readonly offset: number;
  readonly timestamp: number;
}

/** ListOffsets' special timestamps (Kafka's ListOffsetsRequest constants). */
export const ListOffsetsTimestamp = {
  /** The high watermark. */
  LATEST: -1,
  /** The log start offset. */
  EARLIEST: -2,
  /** The first record carrying the largest timestamp (KIP-734). */
  MAX: -3,
  /** The first offset held locally (KIP-405): the log start, without tiered storage. */
  EARLIEST_LOCAL: -4,
  /** The last offset in tiered storage (KIP-1005): none, without tiered storage. */
  LATEST_TIERED: -5,
} as const;
