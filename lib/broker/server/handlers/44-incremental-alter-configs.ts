import { ApiKey } from "../../protocol";
import { alterConfigResources, brokerResourceScope } from "../alter-config-resources";
import type { BrokerServices } from "../broker-services";
import type { DynamicConfigChange } from "../dynamic-broker-configs";
import type { HandlerFor } from "../handler";
import { ConfigType, dynamicBrokerLogConfigDef, topicConfigDef } from "../topic-configs";
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
    current[name] = listOp(name, def.type, current[name] ?? def.defaultValue, op, value);
  } else {
    throw new TopicError("INVALID_REQUEST", `Unknown config operation ${op}`);
  }
}

/** APPEND or SUBTRACT `value`'s items to or from the config `name` (of `type`) holding `base`. */
function listOp(
  name: string,
  type: ConfigType,
  base: string,
  op: number,
  value: string | null,
): string {
  if (type !== ConfigType.LIST) {
    throw new TopicError(
      "INVALID_CONFIG",
      `Config ${name} is not a list: it cannot be appended to or subtracted from`,
    );
  }
  const items = (v: string) =>
    v
      .split(",")
      .map((s) => s.trim())
      .filter((s) => s !== "");
  const have = items(base);
  const given = items(value ?? "");
  const next =
    op === OpType.APPEND
      ? [...have, ...given.filter((i) => !have.includes(i))]
      : have.filter((b) => !given.includes(b));
  return next.join(",");
}

/**
 * One operation on a dynamic broker config of the BROKER resource `resourceName`: SET, DELETE, and
 * APPEND / SUBTRACT on a list config (`log.cleanup.policy`) starting from the value set on that
 * resource, or Kafka's default, as Kafka's controller does.
 */
function dynamicChange(
  broker: BrokerServices,
  resourceName: string,
  name: string,
  op: number,
  value: string | null,
): DynamicConfigChange {
  if (op === OpType.SET) {
    if (value === null) throw new TopicError("INVALID_CONFIG", `Null value for config ${name}`);
    return { name, value };
  }
  if (op === OpType.DELETE) return { name, value: null };
  const def = dynamicBrokerLogConfigDef(name);
  if ((op === OpType.APPEND || op === OpType.SUBTRACT) && def) {
    const scope = brokerResourceScope(resourceName, broker);
    const base = broker.dynamicConfigs.value(name, scope) ?? def.defaultValue;
    return { name, value: listOp(name, def.type, base, op, value) };
  }
  throw new TopicError(
    "INVALID_CONFIG",
    `Config ${name}: only SET and DELETE apply to this broker config.`,
  );
}

function rejectDuplicates(names: readonly string[]): void {
  const dup = names.find((n, i) => names.indexOf(n) !== i);
  if (dup !== undefined)
    throw new TopicError("INVALID_REQUEST", `Config ${dup} appears more than once.`);
}

/**
 * IncrementalAlterConfigs (44), v0-1: SET, DELETE, APPEND and SUBTRACT (list configs) on a topic's
 * overrides; SET, DELETE and (list configs) APPEND/SUBTRACT on dynamic broker configs (cluster default
 * or this broker); other keys keep their values.
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
          changes: r.configs.map((c) =>
            dynamicChange(broker, r.resourceName, c.name, c.configOperation, c.value),
          ),
          replaceAll: false,
        };
      },
    });
    return { throttleTimeMs: 0, responses };
  },
};
