import { ApiKey } from "../../protocol";
import { alterTopicConfigResources } from "../alter-topic-configs";
import type { HandlerFor } from "../handler";

/**
 * AlterConfigs (33), v0-2: replaces *all* overrides of a topic with the given set (Kafka's legacy,
 * non-incremental semantics; a null value removes the key).
 */
export const alterConfigsHandler: HandlerFor<ApiKey.AlterConfigs> = {
  apiKey: ApiKey.AlterConfigs,
  async handle(req, _ctx, broker) {
    const responses = await alterTopicConfigResources(req.resources, broker, async (r) => {
      const configs: Record<string, string | null> = {};
      for (const c of r.configs) configs[c.name] = c.value;
      await broker.topics.setConfigs(r.resourceName, configs, req.validateOnly);
    });
    return { throttleTimeMs: 0, responses };
  },
};
