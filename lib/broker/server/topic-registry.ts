import { randomUUID } from "node:crypto";
import * as path from "node:path";
import { z } from "zod";
import {
  checkedBy,
  DEFAULT_LOG_CONFIG,
  type LogConfig,
  type LogManager,
  type PartitionLog,
  readStateFile,
  type StateFileKind,
  writeStateFile,
} from "../log";
import {
  fromLogOverrides,
  normalizeConfigValue,
  toLogOverrides,
  topicConfigDef,
  validateTopicConfig,
} from "./topic-configs";
import { TopicError } from "./topic-error";
import { isInternalTopicName, topicCollisionKey, topicNameProblem } from "./topic-name";

/** A topic as the broker knows it. */
export interface TopicInfo {
  readonly name: string;
  /** Kafka topic id (a random UUID, canonical string form). */
  readonly topicId: string;
  readonly partitions: number;
  /** Topic-level config overrides (Kafka names, string values); defaults are not stored. */
  readonly configs: Readonly<Record<string, string>>;
}

/** `<dataDir>/topics.json`: the topics and their settings. */
export const TOPIC_REGISTRY_FILE = "topics.json";

const FileSchema = z
  .object({
    version: z.literal(1),
    topics: z.array(
      z
        .object({
          name: z.string(),
          topicId: z.string(),
          partitions: z.number().int().min(1),
          configs: z.record(z.string(), z.string()),
        })
        .strict(),
    ),
    /** Topics whose partition logs are being deleted (finished on the next open after a crash). */
    deleting: z
      .array(z.object({ name: z.string(), partitions: z.number().int() }).strict())
      .default([]),
  })
  .strict();

/** How `topics.json` is read (at start and by `sluice-broker verify`). */
export const TOPIC_REGISTRY_STATE: StateFileKind<z.infer<typeof FileSchema>> = {
  parse: (raw) => checkedBy(FileSchema.safeParse(raw), "not a topic registry (topics, deleting)"),
  remedy:
    "restore it from a backup, or move it away: the broker then adopts the partition logs it finds, with default settings",
  previousCopyCaveat:
    "topics created, deleted or reconfigured since it was written are not in it — a topic created since is adopted with default settings, one deleted since comes back empty; re-run `sluice apply` (or your tooling) to restore the desired state",
};

/** Largest partition count accepted per topic (keeps one request from opening millions of files). */
export const MAX_PARTITIONS_PER_TOPIC = 10_000;

/**
 * The topics of the broker: names, ids, partition counts and config overrides, persisted in
 * `<dataDir>/topics.json` (written atomically). Every mutation is serialised, persisted first and then
 * applied to the log engine, so a crash in between is repaired on the next open.
 */
export class TopicRegistry {
  private readonly topics = new Map<string, TopicInfo>();
  private readonly collisionKeys = new Map<string, string>();
  private deleting: { name: string; partitions: number }[] = [];
  private queue: Promise<unknown> = Promise.resolve();

  private constructor(
    private readonly file: string,
    private readonly logs: LogManager,
  ) {}

  /** Loads the registry and reconciles the log engine with it (creates missing partitions). */
  static async open(opts: {
    dataDir: string;
    logs: LogManager;
    onWarning?: (message: string) => void;
  }): Promise<TopicRegistry> {
    const reg = new TopicRegistry(path.join(opts.dataDir, TOPIC_REGISTRY_FILE), opts.logs);
    const doc = await readStateFile(reg.file, {
      ...TOPIC_REGISTRY_STATE,
      onWarning: opts.onWarning,
    });
    if (doc !== undefined) {
      for (const t of doc.value.topics) reg.remember(t);
      reg.deleting = doc.value.deleting;
    }
    // Finish deletions a crash interrupted.
    for (const d of reg.deleting) {
      for (let p = 0; p < d.partitions; p++) await opts.logs.delete(d.name, p);
      opts.onWarning?.(`finished deleting topic ${d.name}`);
    }
    if (reg.deleting.length > 0) {
      reg.deleting = [];
      await reg.persist();
    }
    for (const t of reg.topics.values()) {
      const overrides = logOverrides(t.configs);
      for (let p = 0; p < t.partitions; p++) {
        const log = await opts.logs.create(t.name, p, toLogOverrides(t.configs));
        // The registry is the source of truth for overrides (a crash may have left them behind).
        if (!sameOverrides(log.configOverrides, overrides)) await log.setConfig(overrides);
      }
    }
    // Logs the registry does not know (a lost or older topics.json, a copied data directory) are
    // adopted, never deleted: data is only removed by an explicit DeleteTopics. Internal topics
    // ("__…") are owned by other components (e.g. the group coordinator) and left alone.
    const orphans = new Map<string, PartitionLog[]>();
    for (const log of opts.logs.all()) {
      if (isInternalTopicName(log.topic)) continue;
      const t = reg.topics.get(log.topic);
      if (t && log.partition < t.partitions) continue;
      orphans.set(log.topic, [...(orphans.get(log.topic) ?? []), log]);
    }
    for (const [name, logs] of orphans) {
      const known = reg.topics.get(name);
      const partitions = Math.max(known?.partitions ?? 0, ...logs.map((l) => l.partition + 1));
      const info: TopicInfo = known
        ? { ...known, partitions }
        : {
            name,
            topicId: randomUUID(),
            partitions,
            configs: fromLogOverrides(logs[0]?.configOverrides ?? {}),
          };
      opts.onWarning?.(`adopting partition logs of topic ${name} not in ${TOPIC_REGISTRY_FILE}`);
      reg.remember(info);
      const overrides = toLogOverrides(info.configs);
      for (let p = 0; p < partitions; p++) await opts.logs.create(name, p, overrides);
    }
    if (orphans.size > 0) await reg.persist();
    return reg;
  }

  /** The topic, if it exists. */
  get(name: string): TopicInfo | undefined {
    return this.topics.get(name);
  }

  /** The topic with this id, if it exists. */
  getById(topicId: string): TopicInfo | undefined {
    for (const t of this.topics.values()) if (t.topicId === topicId) return t;
    return undefined;
  }

  /** Every topic, sorted by name. */
  list(): TopicInfo[] {
    return [...this.topics.values()].sort((a, b) => (a.name < b.name ? -1 : 1));
  }

  /** Total partitions of all topics. */
  partitionCount(): number {
    let n = 0;
    for (const t of this.topics.values()) n += t.partitions;
    return n;
  }

  /**
   * Checks that a topic could be created; throws {@link TopicError} (INVALID_TOPIC_EXCEPTION,
   * TOPIC_ALREADY_EXISTS, INVALID_PARTITIONS, INVALID_CONFIG) otherwise. Returns the normalised configs.
   */
  validateCreate(
    name: string,
    partitions: number,
    configs: Readonly<Record<string, string | null>>,
  ): Record<string, string> {
    const problem = topicNameProblem(name);
    if (problem) throw new TopicError("INVALID_TOPIC_EXCEPTION", problem);
    if (this.topics.has(name)) {
      throw new TopicError("TOPIC_ALREADY_EXISTS", `Topic '${name}' already exists.`);
    }
    const other = this.collisionKeys.get(topicCollisionKey(name));
    if (other !== undefined) {
      throw new TopicError(
        "INVALID_TOPIC_EXCEPTION",
        `Topic '${name}' collides with existing topic: ${other} ('.' and '_' are treated alike)`,
      );
    }
    if (!Number.isInteger(partitions) || partitions < 1) {
      throw new TopicError("INVALID_PARTITIONS", "Number of partitions must be larger than 0.");
    }
    if (partitions > MAX_PARTITIONS_PER_TOPIC) {
      throw new TopicError(
        "INVALID_PARTITIONS",
        `Number of partitions ${partitions} is above the limit ${MAX_PARTITIONS_PER_TOPIC}.`,
      );
    }
    return validateConfigs(configs);
  }

  /** Creates a topic (see {@link validateCreate} for the errors). */
  create(
    name: string,
    partitions: number,
    configs: Readonly<Record<string, string | null>> = {},
  ): Promise<TopicInfo> {
    return this.serialised(async () => {
      const normalized = this.validateCreate(name, partitions, configs);
      const info: TopicInfo = { name, topicId: randomUUID(), partitions, configs: normalized };
      this.remember(info);
      await this.persist();
      const overrides = toLogOverrides(normalized);
      for (let p = 0; p < partitions; p++) await this.logs.create(name, p, overrides);
      return info;
    });
  }

  /** Deletes a topic and its partitions; UNKNOWN_TOPIC_OR_PARTITION if it does not exist. */
  delete(name: string): Promise<TopicInfo> {
    return this.serialised(async () => {
      const info = this.require(name);
      this.topics.delete(name);
      this.collisionKeys.delete(topicCollisionKey(name));
      this.deleting.push({ name, partitions: info.partitions });
      await this.persist();
      for (let p = 0; p < info.partitions; p++) await this.logs.delete(name, p);
      this.deleting = this.deleting.filter((d) => d.name !== name);
      await this.persist();
      return info;
    });
  }

  /** Grows a topic to `total` partitions (INVALID_PARTITIONS unless it grows). */
  createPartitions(name: string, total: number, validateOnly = false): Promise<TopicInfo> {
    return this.serialised(async () => {
      const info = this.require(name);
      if (!Number.isInteger(total) || total <= info.partitions) {
        throw new TopicError(
          "INVALID_PARTITIONS",
          `Topic currently has ${info.partitions} partitions, which is higher than or equal to the requested ${total}.`,
        );
      }
      if (total > MAX_PARTITIONS_PER_TOPIC) {
        throw new TopicError(
          "INVALID_PARTITIONS",
          `Number of partitions ${total} is above the limit ${MAX_PARTITIONS_PER_TOPIC}.`,
        );
      }
      if (validateOnly) return { ...info, partitions: total };
      const grown: TopicInfo = { ...info, partitions: total };
      this.topics.set(name, grown);
      await this.persist();
      const overrides = toLogOverrides(grown.configs);
      for (let p = info.partitions; p < total; p++) await this.logs.create(name, p, overrides);
      return grown;
    });
  }

  /**
   * Replaces the topic's config overrides with `configs` (null values are dropped) and applies them to
   * its partition logs. With `validateOnly` nothing changes.
   */
  setConfigs(
    name: string,
    configs: Readonly<Record<string, string | null>>,
    validateOnly = false,
  ): Promise<TopicInfo> {
    return this.serialised(async () => {
      const info = this.require(name);
      const normalized = validateConfigs(configs);
      const updated: TopicInfo = { ...info, configs: normalized };
      if (validateOnly) return updated;
      // The partitions' metadata first: if one cannot be written (KAFKA_STORAGE_ERROR to the client),
      // topics.json keeps the old configs, which the registry applies again at start.
      const overrides = logOverrides(normalized);
      const logs = Array.from({ length: info.partitions }, (_, p) => this.logs.get(name, p));
      const written = await Promise.allSettled(logs.map((log) => log?.setConfig(overrides)));
      const failed = written.find((w): w is PromiseRejectedResult => w.status === "rejected");
      if (failed !== undefined) {
        const old = logOverrides(info.configs);
        await Promise.allSettled(logs.map((log) => log?.setConfig(old)));
        throw failed.reason;
      }
      this.topics.set(name, updated);
      await this.persist();
      return updated;
    });
  }

  private require(name: string): TopicInfo {
    const info = this.topics.get(name);
    if (!info) {
      throw new TopicError(
        "UNKNOWN_TOPIC_OR_PARTITION",
        "This server does not host this topic-partition.",
      );
    }
    return info;
  }

  private remember(info: TopicInfo): void {
    this.topics.set(info.name, info);
    this.collisionKeys.set(topicCollisionKey(info.name), info.name);
  }

  private async persist(): Promise<void> {
    const doc = { version: 1, topics: this.list(), deleting: this.deleting };
    await writeStateFile(this.file, `${JSON.stringify(doc, null, 1)}\n`);
  }

  private serialised<T>(fn: () => Promise<T>): Promise<T> {
    const run = this.queue.then(fn, fn);
    this.queue = run.catch(() => undefined);
    return run;
  }
}

function validateConfigs(configs: Readonly<Record<string, string | null>>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(configs)) {
    const problem = validateTopicConfig(name, value);
    if (problem) {
      throw new TopicError(
        "INVALID_CONFIG",
        `Invalid value ${value} for configuration ${name}: ${problem}`,
      );
    }
    const def = topicConfigDef(name);
    if (value !== null && def) out[name] = normalizeConfigValue(def, value);
  }
  return out;
}

/** Every log-engine key: the override, or undefined (which removes a previous override). */
function logOverrides(configs: Readonly<Record<string, string>>): Partial<LogConfig> {
  const set = toLogOverrides(configs) as Record<string, unknown>;
  const out: Record<string, unknown> = {};
  for (const k of Object.keys(DEFAULT_LOG_CONFIG)) out[k] = set[k];
  return out as Partial<LogConfig>;
}

function sameOverrides(a: Partial<LogConfig>, b: Partial<LogConfig>): boolean {
  return (Object.keys(DEFAULT_LOG_CONFIG) as (keyof LogConfig)[]).every((k) => a[k] === b[k]);
}
