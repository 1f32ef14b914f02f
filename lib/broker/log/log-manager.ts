import { DEFAULT_LOG_CONFIG, type LogConfig, mergeLogConfig } from "./log-config";
import { PartitionLog } from "./partition-log";

/** Options of {@link LogManager.open}. */
export interface LogManagerOptions {
  /** Directory holding one sub-directory per partition. */
  readonly dataDir: string;
  /** Broker-wide defaults over Kafka's. */
  readonly defaults?: Partial<LogConfig>;
  /** Budget of simultaneously open segment files (LRU). @default 1024 */
  readonly maxOpenFiles?: number;
}

/** Owns every partition log of a broker's data directory. (API skeleton; implementation follows.) */
export class LogManager {
  private readonly logs = new Map<string, PartitionLog>();
  private constructor(private readonly defaults: LogConfig) {}

  /** Opens (recovering if the last shutdown was unclean) every partition under `dataDir`. */
  static async open(opts: LogManagerOptions): Promise<LogManager> {
    return new LogManager(mergeLogConfig(DEFAULT_LOG_CONFIG, opts.defaults));
  }
  /** The log of a partition, if it exists. */
  get(topic: string, partition: number): PartitionLog | undefined {
    return this.logs.get(`${topic}-${partition}`);
  }
  /** Every open partition log. */
  all(): Iterable<PartitionLog> {
    return this.logs.values();
  }
  /** Creates the partition's log (idempotent: returns the existing one). */
  async create(
    topic: string,
    partition: number,
    overrides?: Partial<LogConfig>,
  ): Promise<PartitionLog> {
    const existing = this.get(topic, partition);
    if (existing) return existing;
    const log = new PartitionLog(topic, partition, mergeLogConfig(this.defaults, overrides));
    this.logs.set(`${topic}-${partition}`, log);
    return log;
  }
  /** Deletes the partition's log and its files. */
  async delete(topic: string, partition: number): Promise<void> {
    this.logs.delete(`${topic}-${partition}`);
  }
  /** A new producer id, persisted so it is never handed out again. */
  async allocateProducerId(): Promise<number> {
    return 0;
  }
  /** Flushes everything and writes the clean-shutdown marker. */
  async close(): Promise<void> {}
}
