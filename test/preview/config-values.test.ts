import { describe, expect, it } from "vitest";
import {
  compareLimits,
  displayBytes,
  displayConfigValue,
  effectiveConfigValue,
} from "../../lib/preview/config-values";

describe("effective config values", () => {
  it("fills in Kafka's default for an unset config", () => {
    expect(effectiveConfigValue("retention.ms", undefined)).toBe("604800000");
    expect(effectiveConfigValue("cleanup.policy", undefined)).toBe("delete");
  });

  it("normalises as Kafka parses: sign, leading zeros, list order", () => {
    expect(effectiveConfigValue("retention.ms", "+0604800000")).toBe("604800000");
    expect(effectiveConfigValue("cleanup.policy", "delete,compact")).toBe("compact,delete");
  });

  it("keeps an unknown config's value as written", () => {
    expect(effectiveConfigValue("x.custom", " a ")).toBe(" a ");
    expect(effectiveConfigValue("x.custom", undefined)).toBeUndefined();
  });
});

describe("config values for people", () => {
  it.each([
    ["retention.ms", "604800000", "7d"],
    ["retention.ms", "259200000", "3d"],
    ["segment.ms", "3600000", "1h"],
    ["flush.ms", "90000", "90s"],
    ["retention.ms", "1500", "1500ms"],
    ["retention.ms", "-1", "forever"],
    ["retention.bytes", "-1", "unlimited"],
    ["segment.bytes", "1073741824", "1 GiB"],
    ["max.message.bytes", "1048588", "1048588 B"],
    ["flush.messages", "9223372036854775807", "never"],
    ["min.insync.replicas", "2", "2"],
    ["cleanup.policy", "compact", "compact"],
  ])("%s %s → %s", (name, value, shown) => {
    expect(displayConfigValue(name, value)).toBe(shown);
  });

  it("shows byte counts in units", () => {
    expect(displayBytes(4 * 1024 ** 3)).toBe("4 GiB");
    expect(displayBytes(1000)).toBe("1000 B");
    expect(displayBytes(undefined)).toBe("(unset)");
  });
});

describe("compareLimits", () => {
  it("treats -1 and Long.MAX as infinite", () => {
    expect(compareLimits("-1", "86400000")).toBe(-1);
    expect(compareLimits("86400000", "-1")).toBe(1);
    expect(compareLimits("5", "5")).toBe(0);
  });
});
