import type { BrokerServices } from "./broker-services";
import {
  DEFAULT_FETCH_MAX_BYTES,
  DEFAULT_QUEUED_MAX_REQUEST_BYTES,
  DEFAULT_SASL_SERVER_MAX_RECEIVE_SIZE,
  type LogDefaults,
} from "./config";
import type { DynamicConfigEntry, DynamicConfigScope } from "./dynamic-broker-configs";
import {
  ConfigSource,
  ConfigType,
  dynamicBrokerLogConfigDef,
  logValueToString,
  TOPIC_CONFIGS,
  type TopicConfigDef,
} from "./topic-configs";

/** One config entry as DescribeConfigs (and CreateTopics v5+) report it. */
export interface DescribedConfig {
  readonly name: string;
  readonly value: string | null;
  readonly readOnly: boolean;
  readonly configSource: number;
  readonly isSensitive: boolean;
  readonly synonyms: { name: string; value: string | null; source: number }[];
  readonly configType: number;
  readonly documentation: string | null;
}

/** Kafka's `ConfigResource.Type` values. */
export const ResourceType = { TOPIC: 2, BROKER: 4, BROKER_LOGGER: 8 } as const;

/**
 * Every topic config of a topic with its effective value and where it comes from: the topic override
 * (DYNAMIC_TOPIC_CONFIG), this broker's or the cluster's dynamic default (DYNAMIC_BROKER_CONFIG,
 * DYNAMIC_DEFAULT_BROKER_CONFIG), the broker's flags/config file (STATIC_BROKER_CONFIG) — those three
 * under Kafka's broker config name — or Kafka's default (DEFAULT_CONFIG). Synonyms list those sources
 * in precedence order, as Kafka does.
 */
export function describeTopicConfigs(
  broker: BrokerServices,
  overrides: Readonly<Record<string, string>>,
): DescribedConfig[] {
  return TOPIC_CONFIGS.map((def) => {
    const synonyms: DescribedConfig["synonyms"] = [];
    const override = overrides[def.name];
    if (override !== undefined) {
      synonyms.push({ name: def.name, value: override, source: ConfigSource.DYNAMIC_TOPIC_CONFIG });
    }
    if (def.brokerSynonym) synonyms.push(...brokerLevelSynonyms(def, def.brokerSynonym, broker));
    const { value, source } = effectiveValue(def, synonyms);
    return {
      name: def.name,
      value,
      readOnly: false,
      configSource: source,
      isSensitive: false,
      synonyms,
      configType: def.type,
      documentation: def.doc,
    };
  });
}

/**
 * Where the broker-level config `name` (the synonym of the topic config `def`) gets its value, in
 * Kafka's precedence order: this broker's dynamic value, the cluster-wide dynamic default, the
 * broker's flags/config file, Kafka's default.
 */
function brokerLevelSynonyms(
  def: TopicConfigDef,
  name: string,
  broker: BrokerServices,
): DescribedConfig["synonyms"] {
  const synonyms: DescribedConfig["synonyms"] = [];
  const perBroker = broker.dynamicConfigs.value(name, "broker");
  if (perBroker !== undefined) {
    synonyms.push({ name, value: perBroker, source: ConfigSource.DYNAMIC_BROKER_CONFIG });
  }
  const clusterDefault = broker.dynamicConfigs.value(name, "cluster");
  if (clusterDefault !== undefined) {
    synonyms.push({
      name,
      value: clusterDefault,
      source: ConfigSource.DYNAMIC_DEFAULT_BROKER_CONFIG,
    });
  }
  const staticValue = staticBrokerValue(def, broker.config.logDefaults);
  if (staticValue !== undefined) {
    synonyms.push({ name, value: staticValue, source: ConfigSource.STATIC_BROKER_CONFIG });
  }
  const fallback = def.defaultSynonym ?? { name, value: def.defaultValue };
  synonyms.push({ ...fallback, source: ConfigSource.DEFAULT_CONFIG });
  return synonyms;
}

/**
 * The value and source of the first synonym; Kafka's default in the config's own unit when that is
 * the default (whose synonym may be in other units, e.g. `log.retention.hours`).
 */
function effectiveValue(
  def: TopicConfigDef,
  synonyms: DescribedConfig["synonyms"],
): { value: string | null; source: number } {
  const first = synonyms[0];
  if (!first || first.source === ConfigSource.DEFAULT_CONFIG) {
    return { value: def.defaultValue, source: ConfigSource.DEFAULT_CONFIG };
  }
  return { value: first.value, source: first.source };
}

function staticBrokerValue(def: TopicConfigDef, staticDefaults: LogDefaults): string | undefined {
  if (def.logKey === null) return undefined;
  const v = staticDefaults[def.logKey];
  return typeof v === "number" || typeof v === "string" ? logValueToString(v) : undefined;
}

/**
 * The broker's configs as the BROKER resources describe them, as Kafka does: this broker's
 * (`scope` "broker", resource `"<node id>"`) lists every config with where its value comes from —
 * static ones read-only, the dynamic ones (the `log.*` defaults, tenancy's) writable; the cluster
 * default (`scope` "cluster", resource `""`) lists only the dynamic configs set at that level.
 */
export function describeBrokerConfigs(
  broker: BrokerServices,
  scope: DynamicConfigScope = "broker",
): DescribedConfig[] {
  if (scope === "cluster")
    return byName(broker.dynamicConfigs.entries("cluster").map(dynamicEntry));
  const c = broker.config;
  const listeners = (ls: readonly { name: string; host: string; port: number }[]) =>
    ls
      .map((l) => `${l.name}://${l.host.includes(":") ? `[${l.host}]` : l.host}:${l.port}`)
      .join(",");
  const entries: [string, string, ConfigType, boolean, string][] = [
    // [name, value, type, set explicitly?, doc]
    ["node.id", String(c.nodeId), ConfigType.INT, true, "id of this broker"],
    ["broker.id", String(c.nodeId), ConfigType.INT, true, "id of this broker"],
    ["listeners", listeners(c.listeners), ConfigType.STRING, true, "bound listeners"],
    [
      "advertised.listeners",
      listeners(broker.advertisedListeners()),
      ConfigType.STRING,
      true,
      "listeners given to clients",
    ],
    ["log.dirs", c.dataDir, ConfigType.STRING, true, "data directory"],
    [
      "auto.create.topics.enable",
      String(c.autoCreateTopics),
      ConfigType.BOOLEAN,
      !c.autoCreateTopics,
      "create unknown topics on Metadata and Produce",
    ],
    [
      "num.partitions",
      String(c.numPartitions),
      ConfigType.INT,
      c.numPartitions !== 1,
      "partitions of auto-created topics",
    ],
    ["default.replication.factor", "1", ConfigType.SHORT, false, "always 1 (one node)"],
    [
      "socket.request.max.bytes",
      String(c.maxRequestBytes),
      ConfigType.INT,
      c.maxRequestBytes !== 104857600,
      "largest request accepted",
    ],
    [
      "sasl.server.max.receive.size",
      String(c.saslServerMaxReceiveSize),
      ConfigType.INT,
      c.saslServerMaxReceiveSize !== DEFAULT_SASL_SERVER_MAX_RECEIVE_SIZE,
      "largest frame read before SASL authentication",
    ],
    [
      "queued.max.request.bytes",
      String(c.queuedMaxRequestBytes),
      ConfigType.LONG,
      c.queuedMaxRequestBytes !== DEFAULT_QUEUED_MAX_REQUEST_BYTES,
      "bytes of requests held at once before reading pauses",
    ],
    [
      "fetch.max.bytes",
      String(c.fetchMaxBytes),
      ConfigType.INT,
      c.fetchMaxBytes !== DEFAULT_FETCH_MAX_BYTES,
      "largest Fetch response",
    ],
  ];
  const out: DescribedConfig[] = entries.map(([name, value, type, explicit, doc]) => {
    const source = explicit ? ConfigSource.STATIC_BROKER_CONFIG : ConfigSource.DEFAULT_CONFIG;
    return {
      name,
      value,
      readOnly: true,
      configSource: source,
      isSensitive: false,
      synonyms: [{ name, value, source }],
      configType: type,
      documentation: doc,
    };
  });
  // The broker-level names of the topic configs (log.retention.ms, message.max.bytes, …).
  const seen = new Set(out.map((e) => e.name));
  for (const def of TOPIC_CONFIGS) {
    const name = def.brokerSynonym;
    if (!name || seen.has(name)) continue;
    seen.add(name);
    const synonyms = brokerLevelSynonyms(def, name, broker);
    const { value, source } = effectiveValue(def, synonyms);
    out.push({
      name,
      value,
      readOnly: !broker.dynamicConfigs.owns(name),
      configSource: source,
      isSensitive: false,
      synonyms,
      configType: def.type,
      documentation: def.doc,
    });
  }
  for (const e of broker.dynamicConfigs.entries()) {
    if (!seen.has(e.name)) out.push(dynamicEntry(e));
  }
  return byName(out);
}

/** A dynamic config as its own entry (readOnly ones, such as markers, as defaults). */
function dynamicEntry(e: DynamicConfigEntry): DescribedConfig {
  const source = e.readOnly
    ? ConfigSource.DEFAULT_CONFIG
    : e.scope === "broker"
      ? ConfigSource.DYNAMIC_BROKER_CONFIG
      : ConfigSource.DYNAMIC_DEFAULT_BROKER_CONFIG;
  return {
    name: e.name,
    value: e.value,
    readOnly: e.readOnly,
    configSource: source,
    isSensitive: false,
    synonyms: [{ name: e.name, value: e.value, source }],
    configType: dynamicBrokerLogConfigDef(e.name)?.type ?? ConfigType.STRING,
    documentation: e.documentation,
  };
}

function byName(configs: DescribedConfig[]): DescribedConfig[] {
  return configs.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}
