import { ErrorCode } from "../protocol";
import type { BrokerServices } from "./broker-services";
import { describeBrokerConfigs, ResourceType } from "./config-describer";
import type { DynamicConfigChange, DynamicConfigScope } from "./dynamic-broker-configs";
import { errorCodeOf, errorMessageOf, isExpectedError } from "./error-codes";
import { dynamicBrokerLogConfigDef } from "./topic-configs";
import { TopicError } from "./topic-error";

/** Why a static broker config cannot be changed through the admin APIs. */
const STATIC_BROKER_CONFIGS =
  "they come from the broker's flags or config file: change them there and restart it.";

/**
 * Broker configs Kafka changes at run time (kafka-configs --entity-type brokers) that have no
 * counterpart in Sluice: its thread pools, its log cleaner's tuning, replication throttles and
 * connection limits (Kafka 4.3's DynamicBrokerConfig). Refused as not dynamically updatable, with why,
 * rather than called unknown (they are Kafka's) or accepted and silently ignored.
 */
const KAFKA_DYNAMIC_WITHOUT_COUNTERPART: ReadonlyMap<string, string> = new Map([
  ...[
    "num.io.threads",
    "num.network.threads",
    "num.replica.fetchers",
    "num.recovery.threads.per.data.dir",
    "background.threads",
  ].map((n): [string, string] => [
    n,
    "Sluice runs one event loop and a libuv pool, no such thread pool",
  ]),
  ...[
    "log.cleaner.threads",
    "log.cleaner.io.max.bytes.per.second",
    "log.cleaner.dedupe.buffer.size",
    "log.cleaner.io.buffer.size",
    "log.cleaner.io.buffer.load.factor",
    "log.cleaner.backoff.ms",
  ].map((n): [string, string] => [n, "Sluice's log cleaner has no such setting"]),
  ...[
    "leader.replication.throttled.rate",
    "follower.replication.throttled.rate",
    "replica.alter.log.dirs.io.max.bytes.per.second",
  ].map((n): [string, string] => [n, "the bundled broker has one replica per partition"]),
  ...["max.connections", "max.connections.per.ip", "max.connection.creation.rate"].map(
    (n): [string, string] => [n, "use tenant limits (maxConnections) instead"],
  ),
]);

/** A config resource as AlterConfigs and IncrementalAlterConfigs name it. */
export interface ConfigResourceRef {
  readonly resourceType: number;
  readonly resourceName: string;
}

/** One resource's outcome, shaped like both APIs' response entries. */
export interface ConfigResourceResult extends ConfigResourceRef {
  errorCode: number;
  errorMessage: string | null;
}

/** How one API changes each kind of resource. */
export interface ConfigResourceAlterers<R extends ConfigResourceRef> {
  /** Changes one topic's overrides. */
  topic(resource: R): Promise<void>;
  /**
   * The changes to the dynamic broker configs of a BROKER resource and whether they replace every
   * dynamic config of its scope (AlterConfigs) or only the named ones (IncrementalAlterConfigs).
   */
  brokerChanges(resource: R): { changes: DynamicConfigChange[]; replaceAll: boolean };
}

/**
 * Shared skeleton of AlterConfigs (33) and IncrementalAlterConfigs (44): each topic resource is
 * changed by `alterers.topic`; the BROKER resources (`""`, the cluster-wide default, and this
 * broker's node id) accept only the dynamic configs registered with the broker (the others are
 * refused, each named); other types are unsupported. A resource's
 * failure becomes its error code: one bad resource never fails the others, as in Kafka.
 */
export async function alterConfigResources<R extends ConfigResourceRef>(
  resources: readonly R[],
  broker: BrokerServices,
  validateOnly: boolean,
  alterers: ConfigResourceAlterers<R>,
): Promise<ConfigResourceResult[]> {
  const results: ConfigResourceResult[] = [];
  for (const r of resources) {
    const base = { resourceType: r.resourceType, resourceName: r.resourceName };
    try {
      if (r.resourceType === ResourceType.TOPIC) {
        await alterers.topic(r);
      } else if (r.resourceType === ResourceType.BROKER) {
        await alterBrokerResource(r, broker, validateOnly, alterers);
      } else {
        throw new TopicError(
          "INVALID_REQUEST",
          `Resource type ${r.resourceType} is not supported by Sluice.`,
        );
      }
      results.push({ ...base, errorCode: ErrorCode.NONE, errorMessage: null });
    } catch (e) {
      if (!isExpectedError(e))
        broker.logger.error(`alter configs ${r.resourceName}: ${errorMessageOf(e)}`);
      results.push({ ...base, errorCode: errorCodeOf(e), errorMessage: errorMessageOf(e) });
    }
  }
  return results;
}

/** The BROKER resource's scope: `""` is the cluster-wide default, the node id this broker. */
export function brokerResourceScope(
  resourceName: string,
  broker: BrokerServices,
): DynamicConfigScope {
  if (resourceName === "") return "cluster";
  const nodeId = String(broker.config.nodeId);
  if (resourceName === nodeId) return "broker";
  throw new TopicError(
    "INVALID_REQUEST",
    `Unexpected broker id, expected ${nodeId} or empty string, but received ${resourceName}`,
  );
}

async function alterBrokerResource<R extends ConfigResourceRef>(
  r: R,
  broker: BrokerServices,
  validateOnly: boolean,
  alterers: ConfigResourceAlterers<R>,
): Promise<void> {
  const scope = brokerResourceScope(r.resourceName, broker);
  const { changes, replaceAll } = alterers.brokerChanges(r);
  const dynamic = broker.dynamicConfigs;
  const refused = changes.map((c) => c.name).filter((name) => !dynamic.owns(name));
  if (refused.length > 0) throw refusal(refused, broker);
  await dynamic.apply(changes, { validateOnly, replaceAll, scope });
}

/**
 * Why the broker configs `names` cannot be changed, naming each: the ones the broker describes are
 * static here (Kafka's INVALID_REQUEST and wording), the others unknown (INVALID_CONFIG).
 */
function refusal(names: readonly string[], broker: BrokerServices): TopicError {
  const described = describeBrokerConfigs(broker, "broker");
  const known = new Set(described.map((c) => c.name));
  const noCounterpart = names.filter((n) => KAFKA_DYNAMIC_WITHOUT_COUNTERPART.has(n));
  const staticNames = names.filter((n) => known.has(n) && !noCounterpart.includes(n));
  const unknown = names.filter((n) => !known.has(n) && !noCounterpart.includes(n));
  const dynamicNames = described
    .filter((c) => dynamicBrokerLogConfigDef(c.name) !== undefined)
    .map((c) => c.name);
  const parts: string[] = [];
  if (staticNames.length > 0) {
    parts.push(
      `Cannot update these configs dynamically: [${staticNames.join(", ")}] (${STATIC_BROKER_CONFIGS} Sluice changes these at run time: ${dynamicNames.join(", ")})`,
    );
  }
  if (noCounterpart.length > 0) {
    const why = noCounterpart.map((n) => `${n}: ${KAFKA_DYNAMIC_WITHOUT_COUNTERPART.get(n)}`);
    parts.push(
      `Cannot update these configs dynamically: [${noCounterpart.join(", ")}] (Apache Kafka changes them at run time; Sluice does not act on them: ${why.join("; ")})`,
    );
  }
  if (unknown.length > 0) parts.push(`Unknown broker config: [${unknown.join(", ")}]`);
  return new TopicError(
    unknown.length > 0 ? "INVALID_CONFIG" : "INVALID_REQUEST",
    parts.join("; "),
  );
}
