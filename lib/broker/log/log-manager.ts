import { existsSync, promises as fsp } from "node:fs";
import * as path from "node:path";
import { FdCache } from "./fd-cache";
import { DEFAULT_LOG_CONFIG, isCompacted, type LogConfig, mergeLogConfig } from "./log-config";
import { LogError } from "./log-error";
import {
  isPartitionDir,
  PARTITION_META_FILE,
  PRODUCER_ID_BLOCK,
  PRODUCER_ID_FILE,
  PRODUCER_IDS_STATE,
  partitionMetaState,
  producerIdsDocument,
} from "./log-state-files";
import { Mutex } from "./mutex";
import {
  PartitionLog,
  type PartitionLog as PartitionLogType,
  type PartitionOpenOptions,
} from "./partition-log";
import { readStateFile, writeStateFile } from "./state-file";
import { fsyncDir, writeFileAtomic } from "./write-file-atomic";

/** Options of {@link LogManager.open}. */
export interface LogManagerOptions {
  /** Directory holding one sub-directory per partition (`<topic>-<partition>`). */
  readonly dataDir: string;
  /** Broker-wide defaults over Kafka's. */
  readonly defaults?: Partial<LogConfig>;
  /** Budget of simultaneously open segment files (LRU). @default 1024 */
  readonly maxOpenFiles?: number;
  /** Period of background maintenance (flush.ms, retention, compaction); 0 disables the timer. @default 1000 */
  readonly maintenanceIntervalMs?: number;
  /** Clock (tests). @default Date.now */
  readonly clock?: () => number;
  /** Told when a damaged state file was replaced by its previous copy. @default - ignored */
  readonly onWarning?: (message: string) => void;
}

/** Written on clean shutdown; its absence on open means the tails must be recovered. */
export const CLEAN_SHUTDOWN_MARKER = ".sluice-clean-shutdown";
/** Partitions opened concurrently at start-up. */
const OPEN_CONCURRENCY = 16;
const VALID_TOPIC = /^[a-zA-Z0-9._-]{1,249}$/;

/** Summary of {@link LogManager.open} (logging, tests). */
export interface ManagerOpenReport {
  readonly clean: boolean;
  readonly partitions: number;
  readonly truncatedBytes: number;
}

/**
 * Owns every partition log of a broker's data directory, the shared file-descriptor budget,
 * producer id allocation, the clean-shutdown marker and the background maintenance timer.
 */
export class LogManager {
  /** What the last open found. */
  openReport: ManagerOpenReport = { clean: true, partitions: 0, truncatedBytes: 0 };
  private readonly logs = new Map<string, PartitionLog>();
  private readonly creating = new Map<string, Promise<PartitionLog>>();
  private readonly pidLock = new Mutex();
  private nextProducerId = 0;
  private producerIdBlockEnd = 0;
  private timer: NodeJS.Timeout | undefined;
  private tick: Promise<void> | undefined;
  private compactCursor = 0;
  private closed = false;
  private damageFound = 0;
  private fsyncFailures = 0;

  private constructor(
    readonly dataDir: string,
    private defaults: LogConfig,
    private readonly fds: FdCache,
    private readonly clock: () => number,
    private readonly clean: boolean,
    private readonly onWarning: (message: string) => void,
  ) {}

  /** Opens (recovering the tails if the last shutdown was unclean) every partition under `dataDir`. */
  static async open(opts: LogManagerOptions): Promise<LogManager> {
    await fsp.mkdir(opts.dataDir, { recursive: true });
    const marker = path.join(opts.dataDir, CLEAN_SHUTDOWN_MARKER);
    const clean = existsSync(marker);
    if (clean) {
      // Remove it now: a crash from here on must be detected as unclean.
      await fsp.rm(marker);
      await fsyncDir(opts.dataDir);
    }
    const mgr = new LogManager(
      opts.dataDir,
      mergeLogConfig(DEFAULT_LOG_CONFIG, opts.defaults),
      new FdCache(opts.maxOpenFiles ?? 1024),
      opts.clock ?? Date.now,
      clean,
      opts.onWarning ?? (() => {}),
    );
    await mgr.loadProducerIds();
    await mgr.loadAll();
    const interval = opts.maintenanceIntervalMs ?? 1000;
    if (interval > 0) {
      mgr.timer = setInterval(() => mgr.runMaintenance(), interval);
      mgr.timer.unref();
    }
    return mgr;
  }

  /** Damaged ranges of segment files found since open (each skipped, never served; `/metrics`). */
  get damagedRangesFound(): number {
    return this.damageFound;
  }

  /** Failed fsyncs of segment files since open (`/metrics`). */
  get failedFsyncs(): number {
    return this.fsyncFailures;
  }

  /** Partitions that take no writes after a failed fsync (`/metrics`). */
  get partitionsOfflineForWrites(): number {
    let n = 0;
    for (const l of this.logs.values()) if (l.offlineForWrites !== undefined) n++;
    return n;
  }

  /** What every partition log of this manager is told, besides where it is. */
  private get partitionHooks(): Pick<
    PartitionOpenOptions,
    "defaults" | "fds" | "clock" | "onDamage" | "onWarning" | "onFsyncFailure"
  > {
    return {
      defaults: this.defaults,
      fds: this.fds,
      clock: this.clock,
      onDamage: (m) => this.damage(m),
      onWarning: this.onWarning,
      onFsyncFailure: () => {
        this.fsyncFailures++;
      },
    };
  }

  private damage(message: string): void {
    this.damageFound++;
    this.onWarning(message);
  }

  /** Number of segment files currently open (diagnostics). */
  get openFiles(): number {
    return this.fds.openCount;
  }

  /** Broker-wide defaults (Kafka's defaults merged with the broker's). */
  get defaultConfig(): LogConfig {
    return this.defaults;
  }

  /** The log of a partition, if it exists. */
  get(topic: string, partition: number): PartitionLog | undefined {
    return this.logs.get(key(topic, partition));
  }

  /** Every open partition log. */
  all(): Iterable<PartitionLog> {
    return this.logs.values();
  }

  /** Creates the partition's log (idempotent: returns the existing one, ignoring `overrides`). */
  async create(
    topic: string,
    partition: number,
    overrides?: Partial<LogConfig>,
  ): Promise<PartitionLog> {
    if (this.closed) throw new LogError("UNKNOWN_SERVER_ERROR", "log manager is closed");
    if (!VALID_TOPIC.test(topic) || topic === "." || topic === "..") {
      throw new LogError("UNKNOWN_SERVER_ERROR", `invalid topic name ${JSON.stringify(topic)}`);
    }
    if (!Number.isInteger(partition) || partition < 0) {
      throw new LogError("UNKNOWN_TOPIC_OR_PARTITION", `invalid partition ${partition}`);
    }
    const k = key(topic, partition);
    const existing = this.logs.get(k) ?? this.creating.get(k);
    if (existing) return existing;
    const p = (async () => {
      const dir = path.join(this.dataDir, `${topic}-${partition}`);
      const log = await PartitionLog.open({
        dir,
        topic,
        partition,
        overrides: overrides ?? {},
        clean: true,
        ...this.partitionHooks,
      });
      await fsyncDir(this.dataDir);
      this.logs.set(k, log);
      return log;
    })();
    this.creating.set(k, p);
    try {
      return await p;
    } finally {
      this.creating.delete(k);
    }
  }

  /** Deletes the partition's log and its files (rename first, so a crash cannot half-delete it). */
  async delete(topic: string, partition: number): Promise<void> {
    const k = key(topic, partition);
    const log = this.logs.get(k);
    if (!log) return;
    this.logs.delete(k);
    await log.abandon();
    const doomed = `${log.dir}.${this.clock()}.deleting`;
    await fsp.rename(log.dir, doomed);
    await fsyncDir(this.dataDir);
    await fsp.rm(doomed, { recursive: true, force: true });
  }

  /**
   * Replaces the broker-wide defaults over Kafka's (every log keeps its own overrides on top): what
   * is not in `overrides` goes back to Kafka's default.
   */
  setDefaults(overrides: Partial<LogConfig>): void {
    this.defaults = mergeLogConfig(DEFAULT_LOG_CONFIG, overrides);
    for (const l of this.logs.values()) l.setDefaults(this.defaults);
  }

  /** A new producer id, persisted (in blocks) before it is handed out so it is never reused. */
  allocateProducerId(): Promise<number> {
    return this.pidLock.run(async () => {
      if (this.nextProducerId >= this.producerIdBlockEnd) {
        const end = this.nextProducerId + PRODUCER_ID_BLOCK;
        await writeStateFile(path.join(this.dataDir, PRODUCER_ID_FILE), producerIdsDocument(end));
        this.producerIdBlockEnd = end;
      }
      return this.nextProducerId++;
    });
  }

  /**
   * One round of background work: flush.ms flushing and retention for every partition, then
   * compaction of at most one partition (bounded work per tick). The timer calls it; tests may too.
   */
  maintain(): Promise<void> {
    if (this.tick) return this.tick;
    this.tick = (async () => {
      const now = this.clock();
      const logs = [...this.logs.values()];
      for (const l of logs) {
        if (this.closed) return;
        await l.maintain(now).catch(() => {});
      }
      const compacted = logs.filter((l) => isCompacted(l.config) && l.dirtySealedSegments > 0);
      if (compacted.length > 0 && !this.closed) {
        const l = compacted[this.compactCursor++ % compacted.length];
        await l?.compact(now).catch(() => {});
      }
    })().finally(() => {
      this.tick = undefined;
    });
    return this.tick;
  }

  private runMaintenance(): void {
    void this.maintain();
  }

  /** Flushes and closes every log, then writes the clean-shutdown marker. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    if (this.timer) clearInterval(this.timer);
    await this.tick;
    for (const p of this.creating.values()) await p.catch(() => {});
    const logs = [...this.logs.values()];
    const failures: unknown[] = [];
    for (let i = 0; i < logs.length; i += OPEN_CONCURRENCY) {
      const settled = await Promise.allSettled(
        logs.slice(i, i + OPEN_CONCURRENCY).map((l) => l.close()),
      );
      for (const r of settled) if (r.status === "rejected") failures.push(r.reason);
    }
    this.fds.closeAll();
    const offline = logs.filter((l) => l.offlineForWrites !== undefined);
    if (failures.length > 0 || offline.length > 0) {
      // No clean-shutdown marker: the next start recovers the tails from what is on disk.
      this.onWarning(
        `log shutdown not clean (${failures.length} partition(s) failed to close, ${offline.length} offline after a failed fsync): the next start recovers from disk`,
      );
      if (failures.length > 0) throw failures[0];
      return;
    }
    await writeFileAtomic(path.join(this.dataDir, CLEAN_SHUTDOWN_MARKER), String(this.clock()));
  }

  private async loadProducerIds(): Promise<void> {
    const found = await readStateFile(path.join(this.dataDir, PRODUCER_ID_FILE), {
      ...PRODUCER_IDS_STATE,
      onWarning: this.onWarning,
    });
    if (found === undefined) return;
    const next = found.value;
    this.nextProducerId = next;
    this.producerIdBlockEnd = next;
  }

  private async loadAll(): Promise<void> {
    const entries = await fsp.readdir(this.dataDir, { withFileTypes: true });
    const dirs: string[] = [];
    for (const e of entries) {
      if (!e.isDirectory()) continue;
      const full = path.join(this.dataDir, e.name);
      if (e.name.endsWith(".deleting")) {
        await fsp.rm(full, { recursive: true, force: true });
        continue;
      }
      if (isPartitionDir(full)) dirs.push(full);
    }
    let truncated = 0;
    for (let i = 0; i < dirs.length; i += OPEN_CONCURRENCY) {
      const opened = await Promise.all(
        dirs.slice(i, i + OPEN_CONCURRENCY).map((d) => this.openDir(d)),
      );
      for (const l of opened) {
        if (!l) continue;
        this.logs.set(key(l.topic, l.partition), l);
        truncated += l.openReport.truncatedBytes;
        l.dirtySealedSegments = l.segmentCount - 1;
      }
    }
    this.openReport = { clean: this.clean, partitions: this.logs.size, truncatedBytes: truncated };
  }

  private async openDir(dir: string): Promise<PartitionLogType | undefined> {
    const found = await readStateFile(path.join(dir, PARTITION_META_FILE), {
      ...partitionMetaState(dir),
      onWarning: this.onWarning,
    });
    const meta = found?.value;
    if (
      meta === undefined ||
      typeof meta.topic !== "string" ||
      typeof meta.partition !== "number"
    ) {
      return undefined;
    }
    return PartitionLog.open({
      dir,
      topic: meta.topic,
      partition: meta.partition,
      overrides: meta.overrides ?? {},
      logStartOffset: typeof meta.logStartOffset === "number" ? meta.logStartOffset : 0,
      clean: this.clean,
      ...this.partitionHooks,
    });
  }
}

function key(topic: string, partition: number): string {
  return `${topic}\u0000${partition}`;
}
