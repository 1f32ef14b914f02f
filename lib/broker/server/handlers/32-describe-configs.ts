import { ApiKey, ErrorCode, type ResponseInputOf } from "../../protocol";
import {
  type DescribedConfig,
  describeBrokerConfigs,
  describeTopicConfigs,
  ResourceType,
} from "../config-describer";
import type { HandlerFor } from "../handler";

type DescribeConfigsResult = ResponseInputOf<ApiKey.DescribeConfigs>["results"][number];

/**
 * DescribeConfigs (32), v1-4: every config of a topic (with defaults, sources and — on request —
 * synonyms and documentation), or this broker's configs (resource type BROKER, name "" or its id).
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
        if (r.resourceName !== "" && r.resourceName !== String(broker.config.nodeId)) {
          return {
            ...base,
            errorCode: ErrorCode.INVALID_REQUEST,
            errorMessage: `Unexpected broker id, expected ${broker.config.nodeId} or empty string, but received ${r.resourceName}`,
            configs: [],
          };
        }
        configs = describeBrokerConfigs(broker);
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
