import { ApiKey, ErrorCode } from "../../protocol";
import { ResourceType } from "../config-describer";
import { errorCodeOf, errorMessageOf, isExpectedError } from "../error-codes";
import type { HandlerFor } from "../handler";

/** Message for attempts to change broker configs, which are static (flags and config file). */
export const STATIC_BROKER_CONFIGS =
  "Broker configs are static in Sluice: change the broker's flags or config file and restart it.";

/**
 * AlterConfigs (33), v0-2: replaces *all* overrides of a topic with the given set (Kafka's legacy,
 * non-incremental semantics; a null value removes the key).
 */
export const alterConfigsHandler: HandlerFor<ApiKey.AlterConfigs> = {
  apiKey: ApiKey.AlterConfigs,
  async handle(req, _ctx, broker) {
    const responses = [];
    for (const r of req.resources) {
      const base = { resourceType: r.resourceType, resourceName: r.resourceName };
      if (r.resourceType === ResourceType.BROKER) {
        responses.push({
          ...base,
          errorCode: ErrorCode.INVALID_REQUEST,
          errorMessage: STATIC_BROKER_CONFIGS,
        });
        continue;
      }
      if (r.resourceType !== ResourceType.TOPIC) {
        responses.push({
          ...base,
          errorCode: ErrorCode.INVALID_REQUEST,
          errorMessage: `Resource type ${r.resourceType} is not supported by Sluice.`,
        });
        continue;
      }
      const configs: Record<string, string | null> = {};
      for (const c of r.configs) configs[c.name] = c.value;
      try {
        await broker.topics.setConfigs(r.resourceName, configs, req.validateOnly);
        responses.push({ ...base, errorCode: ErrorCode.NONE, errorMessage: null });
      } catch (e) {
        if (!isExpectedError(e))
          broker.logger.error(`alter configs ${r.resourceName}: ${errorMessageOf(e)}`);
        responses.push({ ...base, errorCode: errorCodeOf(e), errorMessage: errorMessageOf(e) });
      }
    }
    return { throttleTimeMs: 0, responses };
  },
};
