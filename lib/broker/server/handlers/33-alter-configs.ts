import { ApiKey } from "../../protocol";
import { alterConfigResources } from "../alter-config-resources";
import type { HandlerFor } from "../handler";

/**
 * AlterConfigs (33), v0-2: replaces *all* overrides of a topic, or all dynamic cluster-wide broker
 * configs, with the given set (Kafka's legacy, non-incremental semantics; a null value removes the key).
 */
export const alterConfigsHandler: HandlerFor<ApiKey.AlterConfigs> = {
  apiKey: ApiKey.AlterConfigs,
  async handle(req, _ctx, broker) {
    const responses = await alterConfigResources(req.resources, broker, req.validateOnly, {
      async topic(r) {
        const configs: Record<string, string | null> = {};
        for (const c of r.configs) configs[c.name] = c.value;
        await broker.topics.setConfigs(r.resourceName, configs, req.validateOnly);
      },
      brokerChanges: (r) => ({
        changes: r.configs.map((c) => ({ name: c.name, value: c.value })),
        replaceAll: true,
      }),
    });
    return { throttleTimeMs: 0, responses };
  },
};
