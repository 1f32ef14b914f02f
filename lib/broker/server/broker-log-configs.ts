import * as path from "node:path";
import { z } from "zod";
import {
  checkedBy,
  type LogManager,
  readStateFile,
  type StateFileKind,
  writeStateFile,
} from "../log";
import type { LogDefaults } from "./config";
import type {
  DynamicConfigChange,
  DynamicConfigEntry,
  DynamicConfigScope,
  DynamicConfigSource,
} from "./dynamic-broker-configs";
import { dynamicBrokerLogConfigDef, normalizeConfigValue, toLogOverrides } from "./topic-configs";
import { TopicError } from "./topic-error";

/** `<dataDir>/broker-configs.json`: the dynamic broker-level log configs set through the admin APIs. */
export const BROKER_CONFIGS_FILE = "broker-configs.json";

const Values = z.record(z.string(), z.string());
const FileSchema = z.object({ version: z.literal(1), cluster: Values, broker: Values }).strict();
type BrokerConfigsDocument = z.infer<typeof FileSchema>;

/** How `broker-configs.json` is read (at start and by `sluice-broker verify`). */
export const BROKER_CONFIGS_STATE: StateFileKind<BrokerConfigsDocument> = {
  parse: (raw) =>
    checkedBy(FileSchema.safeParse(raw), "not a set of dynamic broker configs (cluster, broker)"),
  remedy:
    "restore it from a backup, or move it away: the broker then starts with its static log defaults, and the dynamic ones can be set again with kafka-configs --entity-type brokers",
  previousCopyCaveat:
    "dynamic broker configs changed since it was written are not in it; set them again with kafka-configs --entity-type brokers (or your tooling)",
};

/**
 * The broker-level log defaults Kafka lets operators change at run time (`log.retention.ms`,
 * `log.segment.bytes`, `message.max.bytes`, … — the broker synonyms of the topic configs the log
 * engine acts on), set on the cluster-wide default (BROKER `""`) or on this broker (BROKER
 * `"<node id>"`, which wins). A change is persisted in {@link BROKER_CONFIGS_FILE} before it is
 * answered and takes effect at once on every partition without its own override, as in Kafka; at
 * start the file is read back over the static defaults (flags and config file).
 */
export class BrokerLogConfigs implements DynamicConfigSource {
  readonly scopes: readonly DynamicConfigScope[] = ["cluster", "broker"];
  private queue: Promise<unknown> = Promise.resolve();

  private constructor(
    private readonly file: string,
    private readonly logs: LogManager,
    private readonly staticDefaults: LogDefaults,
    private values: BrokerConfigsDocument,
  ) {}

  /** Reads the persisted dynamic configs and applies them over the static defaults. */
  static async open(opts: {
    dataDir: string;
    logs: LogManager;
    staticDefaults: LogDefaults;
    onWarning?: (message: string) => void;
  }): Promise<BrokerLogConfigs> {
    const file = path.join(opts.dataDir, BROKER_CONFIGS_FILE);
    const doc = await readStateFile(file, { ...BROKER_CONFIGS_STATE, onWarning: opts.onWarning });
    const values = doc?.value ?? { version: 1 as const, cluster: {}, broker: {} };
    for (const scope of ["cluster", "broker"] as const) {
      for (const [name, value] of Object.entries(values[scope])) {
        // A file from a broker that knew more configs, or edited by hand: keep serving without it.
        const problem = problemOf(name, value);
        if (problem !== null) {
          opts.onWarning?.(`${file}: ignoring ${name}=${value} (${problem})`);
          delete values[scope][name];
        }
      }
    }
    const configs = new BrokerLogConfigs(file, opts.logs, opts.staticDefaults, values);
    configs.takeEffect();
    return configs;
  }

  owns(name: string): boolean {
    return dynamicBrokerLogConfigDef(name) !== undefined;
  }

  entries(): DynamicConfigEntry[] {
    return (["cluster", "broker"] as const).flatMap((scope) =>
      Object.entries(this.values[scope]).map(([name, value]) => ({
        name,
        value,
        readOnly: false,
        scope,
        documentation: dynamicBrokerLogConfigDef(name)?.doc ?? "",
      })),
    );
  }

  apply(
    changes: readonly DynamicConfigChange[],
    validateOnly: boolean,
    scope: DynamicConfigScope,
  ): Promise<void> {
    const problems = changes.flatMap((c) => {
      const problem = c.value === null ? null : problemOf(c.name, c.value);
      return problem === null ? [] : [problem];
    });
    // Kafka answers a value its ConfigDef cannot parse with INVALID_REQUEST and this wording.
    if (problems.length > 0) throw new TopicError("INVALID_REQUEST", problems.join("; "));
    if (validateOnly) return Promise.resolve();
    const run = this.queue.then(async () => {
      const next: Record<string, string> = { ...this.values[scope] };
      for (const c of changes) {
        const def = dynamicBrokerLogConfigDef(c.name);
        if (c.value === null || !def) delete next[c.name];
        else next[c.name] = normalizeConfigValue(def, c.value);
      }
      const doc: BrokerConfigsDocument = { ...this.values, [scope]: next };
      await writeStateFile(this.file, `${JSON.stringify(doc, null, 1)}\n`);
      this.values = doc;
      this.takeEffect();
    });
    this.queue = run.catch(() => undefined);
    return run;
  }

  /** Static defaults, then the cluster-wide dynamic ones, then this broker's. */
  private takeEffect(): void {
    this.logs.setDefaults({
      ...this.staticDefaults,
      ...asLogOverrides(this.values.cluster),
      ...asLogOverrides(this.values.broker),
    });
  }
}

/** Why `name=value` cannot be a dynamic broker log config, in Kafka's words; null when it can. */
function problemOf(name: string, value: string): string | null {
  const def = dynamicBrokerLogConfigDef(name);
  if (!def) return `${name} is not a dynamic broker config`;
  const why = def.validate(value.trim());
  return why === null ? null : `Invalid value ${value} for configuration ${name}: ${why}`;
}

/** Broker-named values as log-engine overrides (through the topic configs they stand for). */
function asLogOverrides(values: Readonly<Record<string, string>>): LogDefaults {
  const byTopicName: Record<string, string> = {};
  for (const [name, value] of Object.entries(values)) {
    const def = dynamicBrokerLogConfigDef(name);
    if (def) byTopicName[def.name] = value;
  }
  return toLogOverrides(byTopicName);
}
