import { ErrorCode } from "../protocol";
import type { BrokerServices } from "./broker-services";
import { ResourceType } from "./config-describer";
import { errorCodeOf, errorMessageOf, isExpectedError } from "./error-codes";

/** Message for attempts to change broker configs, which are static (flags and config file). */
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

/**
 * Shared skeleton of AlterConfigs (33) and IncrementalAlterConfigs (44): broker resources are
 * refused (static configs), other non-topic types are unsupported, and each topic resource is
 * changed by `alter`, whose failure becomes that resource's error code (one bad resource never
 * fails the others, as in Kafka).
 */
export async function alterTopicConfigResources<R extends ConfigResourceRef>(
  resources: readonly R[],
  broker: BrokerServices,
  alter: (resource: R) => Promise<void>,
): Promise<ConfigResourceResult[]> {
  const results: ConfigResourceResult[] = [];
  for (const r of resources) {
    const base = { resourceType: r.resourceType, resourceName: r.resourceName };
    if (r.resourceType === ResourceType.BROKER) {
      results.push({
        ...base,
        errorCode: ErrorCode.INVALID_REQUEST,
        errorMessage: STATIC_BROKER_CONFIGS,
      });
      continue;
    }
    if (r.resourceType !== ResourceType.TOPIC) {
      results.push({
        ...base,
        errorCode: ErrorCode.INVALID_REQUEST,
        errorMessage: `Resource type ${r.resourceType} is not supported by Sluice.`,
      });
      continue;
    }
    try {
      await alter(r);
      results.push({ ...base, errorCode: ErrorCode.NONE, errorMessage: null });
    } catch (e) {
      if (!isExpectedError(e))
        broker.logger.error(`alter configs ${r.resourceName}: ${errorMessageOf(e)}`);
      results.push({ ...base, errorCode: errorCodeOf(e), errorMessage: errorMessageOf(e) });
    }
  }
  return results;
}
