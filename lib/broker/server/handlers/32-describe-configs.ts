import { ApiKey, ErrorCode, type ResponseInputOf } from "../../protocol";
import { brokerResourceScope } from "../alter-config-resources";
import {
  type DescribedConfig,
  describeBrokerConfigs,
  describeTopicConfigs,
  ResourceType,
} from "../config-describer";
import type { DynamicConfigScope } from "../dynamic-broker-configs";
import { errorCodeOf, errorMessageOf } from "../error-codes";
import type { HandlerFor } from "../handler";

type DescribeConfigsResult = ResponseInputOf<ApiKey.DescribeConfigs>["results"][number];

/**
 * DescribeConfigs (32), v1-4: every config of a topic (with defaults, sources and — on request —
 * synonyms and documentation), this broker's configs (resource type BROKER named by its id) or the
 * cluster-wide dynamic defaults (BROKER "").
 */
export const describeConfigsHandler: HandlerFor<ApiKey.DescribeConfigs> = {
  apiKey: ApiKey.DescribeConfigs,
  handle(req, _ctx, broker) {
    const results: DescribeConfigsResult[] = req.resources.map((r) => {
      const base = { resourceType: r.resourceType, resourceName: r.resourceName };
      let configs: DescribedConfig[];
      if (r.resourceType === ResourceType.TOPIC) {
        const info = broker.topics.get(r.resourceName);
        if (!info) {
          return {
            ...base,
            errorCode: ErrorCode.UNKNOWN_TOPIC_OR_PARTITION,
            errorMessage: `Topic ${r.resourceName} does not exist.`,
            configs: [],
          };
        }
        configs = describeTopicConfigs(broker, info.configs);
      } else if (r.resourceType === ResourceType.BROKER) {
        let scope: DynamicConfigScope;
        try {
          scope = brokerResourceScope(r.resourceName, broker);
        } catch (e) {
          return {
            ...base,
            errorCode: errorCodeOf(e),
            errorMessage: errorMessageOf(e),
            configs: [],
          };
        }
        configs = describeBrokerConfigs(broker, scope);
      } else {
        return {
          ...base,
          errorCode: ErrorCode.INVALID_REQUEST,
          errorMessage: `Resource type ${r.resourceType} is not supported by Sluice.`,
          configs: [],
        };
      }
      const keys = r.configurationKeys === null ? null : new Set(r.configurationKeys);
      return {
        ...base,
        errorCode: ErrorCode.NONE,
        errorMessage: null,
        configs: configs
          .filter((c) => keys === null || keys.has(c.name))
          .map((c) => ({
            ...c,
            synonyms: req.includeSynonyms ? c.synonyms : [],
            documentation: req.includeDocumentation ? c.documentation : null,
          })),
      };
    });
    return { throttleTimeMs: 0, results };
  },
};
