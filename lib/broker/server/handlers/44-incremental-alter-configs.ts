import { ApiKey } from "../../protocol";
import { alterConfigResources } from "../alter-config-resources";
import type { DynamicConfigChange } from "../dynamic-broker-configs";
import type { HandlerFor } from "../handler";
import { ConfigType, topicConfigDef } from "../topic-configs";
import { TopicError } from "../topic-error";

/** Kafka's `AlterConfigOp.OpType`. */
const OpType = { SET: 0, DELETE: 1, APPEND: 2, SUBTRACT: 3 } as const;

/** Applies one incremental operation to a topic's overrides. */
function applyOp(
  current: Record<string, string>,
  name: string,
  op: number,
  value: string | null,
): void {
  const def = topicConfigDef(name);
  if (!def) throw new TopicError("INVALID_CONFIG", `Unknown topic config name: ${name}`);
  if (op === OpType.SET) {
    if (value === null) throw new TopicError("INVALID_CONFIG", `Null value for config ${name}`);
    current[name] = value;
  } else if (op === OpType.DELETE) {
    delete current[name];
  } else if (op === OpType.APPEND || op === OpType.SUBTRACT) {
    if (def.type !== ConfigType.LIST) {
      throw new TopicError(
        "INVALID_CONFIG",
        `Config ${name} is not a list: it cannot be appended to or subtracted from`,
      );
    }
    const base = (current[name] ?? def.defaultValue)
      .split(",")
      .map((s) => s.trim())
      .filter((s) => s !== "");
    const items = (value ?? "")
      .split(",")
      .map((s) => s.trim())
      .filter((s) => s !== "");
    const next =
      op === OpType.APPEND
        ? [...base, ...items.filter((i) => !base.includes(i))]
        : base.filter((b) => !items.includes(b));
    current[name] = next.join(",");
  } else {
    throw new TopicError("INVALID_REQUEST", `Unknown config operation ${op}`);
  }
}

/** SET and DELETE of dynamic broker configs; list operations do not apply to them. */
function dynamicChange(name: string, op: number, value: string | null): DynamicConfigChange {
  if (op === OpType.SET) {
    if (value === null) throw new TopicError("INVALID_CONFIG", `Null value for config ${name}`);
    return { name, value };
  }
  if (op === OpType.DELETE) return { name, value: null };
  throw new TopicError(
    "INVALID_CONFIG",
    `Config ${name}: only SET and DELETE apply to broker configs.`,
  );
}

function rejectDuplicates(names: readonly string[]): void {
  const dup = names.find((n, i) => names.indexOf(n) !== i);
  if (dup !== undefined)
    throw new TopicError("INVALID_REQUEST", `Config ${dup} appears more than once.`);
}

/**
 * IncrementalAlterConfigs (44), v0-1: SET, DELETE, APPEND and SUBTRACT (list configs) on a topic's
 * overrides, SET and DELETE on dynamic broker configs (cluster default or this broker); other keys
 * keep their values.
 */
export const incrementalAlterConfigsHandler: HandlerFor<ApiKey.IncrementalAlterConfigs> = {
  apiKey: ApiKey.IncrementalAlterConfigs,
  async handle(req, _ctx, broker) {
    const responses = await alterConfigResources(req.resources, broker, req.validateOnly, {
      async topic(r) {
        const info = broker.topics.get(r.resourceName);
        if (!info)
          throw new TopicError(
            "UNKNOWN_TOPIC_OR_PARTITION",
            `Topic ${r.resourceName} does not exist.`,
          );
        rejectDuplicates(r.configs.map((c) => c.name));
        const next: Record<string, string> = { ...info.configs };
        for (const c of r.configs) applyOp(next, c.name, c.configOperation, c.value);
        await broker.topics.setConfigs(r.resourceName, next, req.validateOnly);
      },
      brokerChanges(r) {
        rejectDuplicates(r.configs.map((c) => c.name));
        return {
          changes: r.configs.map((c) => dynamicChange(c.name, c.configOperation, c.value)),
          replaceAll: false,
        };
      },
    });
    return { throttleTimeMs: 0, responses };
  },
};
