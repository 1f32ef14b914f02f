import { ErrorCode } from "../protocol";
import type { BrokerServices } from "./broker-services";
import { ResourceType } from "./config-describer";
import type { DynamicConfigChange } from "./dynamic-broker-configs";
import { errorCodeOf, errorMessageOf, isExpectedError } from "./error-codes";
import { TopicError } from "./topic-error";

/** Message for attempts to change static broker configs (everything not dynamic). */
export const STATIC_BROKER_CONFIGS =
  "Broker configs are static in Sluice: change the broker's flags or config file and restart it.";

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
   * The changes to the cluster-wide dynamic broker configs (BROKER resource `""`) and whether they
   * replace every dynamic config (AlterConfigs) or only the named ones (IncrementalAlterConfigs).
   */
  brokerChanges(resource: R): { changes: DynamicConfigChange[]; replaceAll: boolean };
}

/**
 * Shared skeleton of AlterConfigs (33) and IncrementalAlterConfigs (44): each topic resource is
 * changed by `alterers.topic`; the cluster-wide BROKER resource `""` accepts only the dynamic configs
 * some layer registered (static ones are refused); other types are unsupported. A resource's
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

async function alterBrokerResource<R extends ConfigResourceRef>(
  r: R,
  broker: BrokerServices,
  validateOnly: boolean,
  alterers: ConfigResourceAlterers<R>,
): Promise<void> {
  const { changes, replaceAll } = alterers.brokerChanges(r);
  const dynamic = broker.dynamicConfigs;
  const allDynamic = changes.length > 0 && changes.every((c) => dynamic.owns(c.name));
  if (!allDynamic) throw new TopicError("INVALID_REQUEST", STATIC_BROKER_CONFIGS);
  if (r.resourceName !== "") {
    // Sluice's dynamic configs are cluster-wide defaults; per-broker overrides do not exist.
    throw new TopicError(
      "INVALID_REQUEST",
      `Config ${changes[0]?.name} is cluster-wide: alter it on the BROKER resource "" (the cluster default), not on broker ${r.resourceName}.`,
    );
  }
  await dynamic.apply(changes, { validateOnly, replaceAll });
}
