import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  describeBrokerConfigs,
  describeTopicConfigs,
} from "../../../lib/broker/server/config-describer";
import {
  ConfigSource,
  normalizeConfigValue,
  TOPIC_CONFIGS,
  topicConfigDef,
  validateTopicConfig,
} from "../../../lib/broker/server/topic-configs";
import { startTestBroker, type TestBroker } from "./test-broker";

let tb: TestBroker;

beforeAll(async () => {
  tb = await startTestBroker({ log: { retentionMs: 1234 }, numPartitions: 3 });
});

afterAll(async () => {
  await tb?.destroy();
});

describe("config descriptions", () => {
  it("shows a broker-level default as STATIC_BROKER_CONFIG under Kafka's broker name", () => {
    const configs = describeTopicConfigs(tb.broker.services, {});
    const retention = configs.find((c) => c.name === "retention.ms");
    expect(retention).toMatchObject({
      value: "1234",
      configSource: ConfigSource.STATIC_BROKER_CONFIG,
    });
    expect(retention?.synonyms).toEqual([
      { name: "log.retention.ms", value: "1234", source: ConfigSource.STATIC_BROKER_CONFIG },
      { name: "log.retention.hours", value: "168", source: ConfigSource.DEFAULT_CONFIG },
    ]);
  });

  it("lets a topic override win over the broker default", () => {
    const configs = describeTopicConfigs(tb.broker.services, { "retention.ms": "99" });
    const retention = configs.find((c) => c.name === "retention.ms");
    expect(retention).toMatchObject({
      value: "99",
      configSource: ConfigSource.DYNAMIC_TOPIC_CONFIG,
    });
    expect(retention?.synonyms.map((s) => s.source)).toEqual([
      ConfigSource.DYNAMIC_TOPIC_CONFIG,
      ConfigSource.STATIC_BROKER_CONFIG,
      ConfigSource.DEFAULT_CONFIG,
    ]);
  });

  it("describes every Kafka topic config exactly once", () => {
    const names = describeTopicConfigs(tb.broker.services, {}).map((c) => c.name);
    expect(new Set(names).size).toBe(names.length);
    expect(names).toEqual(TOPIC_CONFIGS.map((d) => d.name));
  });

  it("describes the broker's configs as read-only, with explicit settings as static", () => {
    const byName = new Map(describeBrokerConfigs(tb.broker.services).map((c) => [c.name, c]));
    expect(byName.get("num.partitions")).toMatchObject({
      value: "3",
      readOnly: true,
      configSource: ConfigSource.STATIC_BROKER_CONFIG,
    });
    expect(byName.get("log.retention.ms")?.value).toBe("1234");
    expect(byName.get("message.max.bytes")).toMatchObject({
      value: "1048588",
      configSource: ConfigSource.DEFAULT_CONFIG,
    });
  });

  it("validates values by type and range", () => {
    expect(validateTopicConfig("retention.ms", "-1")).toBeNull();
    expect(validateTopicConfig("retention.ms", "-2")).toMatch(/minimum/);
    expect(validateTopicConfig("min.cleanable.dirty.ratio", "1.5")).toMatch(/between 0 and 1/);
    expect(validateTopicConfig("preallocate", "maybe")).toMatch(/true or false/);
    expect(validateTopicConfig("cleanup.policy", "delete,compact")).toBeNull();
    expect(validateTopicConfig("cleanup.policy", "delete,delete")).toMatch(/repeats/);
    expect(validateTopicConfig("message.timestamp.type", "Now")).toMatch(/CreateTime/);
  });

  it("accepts and re-spells values as Kafka's parsers do (sign, leading zeros, case)", () => {
    const spelled = (name: string, value: string) => {
      const def = topicConfigDef(name);
      if (def === undefined) throw new Error(name);
      expect(validateTopicConfig(name, value), `${name}=${value}`).toBeNull();
      return normalizeConfigValue(def, value);
    };
    expect(spelled("max.message.bytes", " +016777216 ")).toBe("16777216");
    expect(spelled("retention.ms", "-01")).toBe("-1");
    expect(spelled("preallocate", "TRUE")).toBe("true");
    expect(spelled("unclean.leader.election.enable", "False")).toBe("false");
    expect(spelled("min.cleanable.dirty.ratio", "0.50")).toBe("0.5");
    expect(spelled("cleanup.policy", "delete, compact")).toBe("compact,delete");
    expect(validateTopicConfig("retention.ms", "1e3")).toMatch(/not an integer/);
  });
});
