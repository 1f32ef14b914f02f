import type { LogConfig } from "./log-config";
import { LogError } from "./log-error";
import type { AppendOptions, AppendResult, ReadResult, TimestampOffset } from "./log-types";

/**
 * The log of one topic partition: a list of segments, the producer state of idempotent
 * producers, and the durability policy. Obtained from {@link LogManager}. (API skeleton; the
 * implementation follows.)
 */
export class PartitionLog {
  constructor(
    readonly topic: string,
    readonly partition: number,
    private cfg: LogConfig,
  ) {}

  /** First offset still readable. */
  get logStartOffset(): number {
    return 0;
  }
  /** Offset the next record gets (single node: high watermark = log end offset). */
  get highWatermark(): number {
    return 0;
  }
  /** Effective config (broker defaults merged with topic overrides). */
  get config(): LogConfig {
    return this.cfg;
  }
  /** Changes topic overrides at run time (persisted). */
  setConfig(overrides: Partial<LogConfig>): void {
    this.cfg = { ...this.cfg, ...overrides };
  }
  /** Bytes on disk of all segments. */
  sizeBytes(): number {
    return 0;
  }
  /**
   * Appends the raw records of one produce partition (1+ batches). Validates everything before
   * writing anything; throws LogError (CORRUPT_MESSAGE, MESSAGE_TOO_LARGE, INVALID_RECORD,
   * OUT_OF_ORDER_SEQUENCE_NUMBER, INVALID_PRODUCER_EPOCH, …). The buffer's baseOffset and
   * partitionLeaderEpoch fields are rewritten in place.
   */
  async append(_records: Buffer, _opts: AppendOptions): Promise<AppendResult> {
    throw new LogError("UNKNOWN_SERVER_ERROR", "not implemented yet");
  }
  /**
   * Whole batches from the one containing `fetchOffset`, up to `maxBytes` but at least one
   * batch; OFFSET_OUT_OF_RANGE when fetchOffset < logStartOffset or > highWatermark.
   */
  async read(_fetchOffset: number, _maxBytes: number): Promise<ReadResult> {
    throw new LogError("UNKNOWN_SERVER_ERROR", "not implemented yet");
  }
  /** -2 earliest, -1 latest, -3 max timestamp, else first batch with maxTimestamp >= ts; null if none. */
  async offsetForTimestamp(_ts: number): Promise<TimestampOffset | null> {
    return null;
  }
  /** Advances the log start offset (DeleteRecords); returns the new log start offset. */
  async deleteRecords(_beforeOffset: number): Promise<number> {
    return 0;
  }
  /** Registers a listener called after each append (Fetch long-polling); returns unsubscribe. */
  onAppend(_listener: () => void): () => void {
    return () => {};
  }
}
