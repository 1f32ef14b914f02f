import { mkdirSync, rmSync, writeFileSync } from "node:fs";
import * as path from "node:path";
import { describe, expect, it } from "vitest";
import { LogError, LogManager } from "../../../lib/broker/log";
import { TopicError } from "../../../lib/broker/server/topic-error";
import { topicNameProblem } from "../../../lib/broker/server/topic-name";
import { TopicRegistry } from "../../../lib/broker/server/topic-registry";
import { tempDir } from "./test-broker";

async function open(dataDir = tempDir()) {
  const logs = await LogManager.open({ dataDir, maintenanceIntervalMs: 0 });
  const topics = await TopicRegistry.open({ dataDir, logs });
  return { dataDir, logs, topics };
}

function errorName(fn: () => unknown): string | undefined {
  try {
    fn();
  } catch (e) {
    return e instanceof TopicError ? e.errorName : "other";
  }
  return undefined;
}

describe("topic names", () => {
  it.each(["a", "a.b_c-D9", "x".repeat(249)])("accepts %s", (name) => {
    expect(topicNameProblem(name)).toBeNull();
  });
  it.each(["", ".", "..", "x".repeat(250), "a b", "ä", "a/b"])("rejects %j", (name) => {
    expect(topicNameProblem(name)).not.toBeNull();
  });
});

describe("TopicRegistry", () => {
  it("creates topics with partitions and ids, and persists them across reopen", async () => {
    const { dataDir, logs, topics } = await open();
    const t = await topics.create("orders", 3, { "retention.ms": "1000" });
    expect(t.topicId).toMatch(/^[0-9a-f-]{36}$/);
    expect(logs.get("orders", 2)?.config.retentionMs).toBe(1000);
    await logs.close();
    const again = await open(dataDir);
    expect(again.topics.get("orders")).toEqual(t);
    expect(again.logs.get("orders", 2)?.config.retentionMs).toBe(1000);
    await again.logs.close();
  });

  it("refuses duplicates, '.'/'_' collisions, bad partition counts and bad configs", async () => {
    const { logs, topics } = await open();
    await topics.create("a.b", 1);
    expect(errorName(() => topics.validateCreate("a.b", 1, {}))).toBe("TOPIC_ALREADY_EXISTS");
    expect(errorName(() => topics.validateCreate("a_b", 1, {}))).toBe("INVALID_TOPIC_EXCEPTION");
    expect(errorName(() => topics.validateCreate("z", 0, {}))).toBe("INVALID_PARTITIONS");
    expect(errorName(() => topics.validateCreate("z", 1, { "retention.ms": "soon" }))).toBe(
      "INVALID_CONFIG",
    );
    expect(errorName(() => topics.validateCreate("z", 1, { "no.such.config": "1" }))).toBe(
      "INVALID_CONFIG",
    );
    await logs.close();
  });

  it("only grows partitions", async () => {
    const { logs, topics } = await open();
    await topics.create("grow", 2);
    await expect(topics.createPartitions("grow", 2)).rejects.toMatchObject({
      errorName: "INVALID_PARTITIONS",
    });
    await topics.createPartitions("grow", 4);
    expect(topics.get("grow")?.partitions).toBe(4);
    expect(logs.get("grow", 3)).toBeDefined();
    await logs.close();
  });

  it("replaces config overrides and falls back to defaults for removed keys", async () => {
    const { logs, topics } = await open();
    await topics.create("cfg", 1, { "retention.ms": "1000", "cleanup.policy": "compact" });
    await topics.setConfigs("cfg", { "cleanup.policy": "delete,compact" });
    expect(topics.get("cfg")?.configs).toEqual({ "cleanup.policy": "compact,delete" });
    expect(logs.get("cfg", 0)?.config.retentionMs).toBe(7 * 24 * 3600 * 1000);
    expect(logs.get("cfg", 0)?.config.cleanupPolicy).toBe("compact,delete");
    await logs.close();
  });

  it("fails a config change a partition cannot write (KAFKA_STORAGE_ERROR) and keeps the old one, also after a restart", async () => {
    const { dataDir, logs, topics } = await open();
    await topics.create("orders", 2, { "retention.ms": "1000" });
    // A fault that holds for root too: partition 1's previous-copy path is a non-empty directory,
    // so its partition.json cannot be replaced.
    const blocker = path.join(dataDir, "orders-1", "partition.json.prev");
    rmSync(blocker, { force: true });
    mkdirSync(path.join(blocker, "x"), { recursive: true });
    const change = topics.setConfigs("orders", { "retention.ms": "5000" });
    await expect(change).rejects.toBeInstanceOf(LogError);
    await expect(change).rejects.toMatchObject({ errorCode: 56 });
    await expect(change).rejects.toThrow(/orders-1: the config change could not be written/);
    expect(topics.get("orders")?.configs["retention.ms"]).toBe("1000");
    expect(logs.get("orders", 0)?.config.retentionMs).toBe(1000);
    expect(logs.get("orders", 1)?.config.retentionMs).toBe(1000);
    await logs.close();
    rmSync(blocker, { recursive: true, force: true });
    const again = await open(dataDir);
    for (const p of [0, 1]) expect(again.logs.get("orders", p)?.config.retentionMs).toBe(1000);
    // With the fault gone the change goes through.
    await again.topics.setConfigs("orders", { "retention.ms": "5000" });
    expect(again.logs.get("orders", 1)?.config.retentionMs).toBe(5000);
    await again.logs.close();
  });

  it("deletes topics and their partition logs", async () => {
    const { dataDir, logs, topics } = await open();
    await topics.create("gone", 2);
    await topics.delete("gone");
    expect(topics.get("gone")).toBeUndefined();
    expect(logs.get("gone", 0)).toBeUndefined();
    await logs.close();
    const again = await open(dataDir);
    expect(again.topics.list()).toEqual([]);
    await again.logs.close();
  });

  it("adopts partition logs it does not know instead of deleting data", async () => {
    const dataDir = tempDir();
    const logs = await LogManager.open({ dataDir, maintenanceIntervalMs: 0 });
    await logs.create("legacy", 0, { retentionMs: 5000 });
    await logs.create("legacy", 1, { retentionMs: 5000 });
    const warnings: string[] = [];
    const topics = await TopicRegistry.open({ dataDir, logs, onWarning: (m) => warnings.push(m) });
    expect(topics.get("legacy")).toMatchObject({
      partitions: 2,
      configs: { "retention.ms": "5000" },
    });
    expect(warnings.join()).toContain("adopting");
    await logs.close();
  });

  it("finishes a deletion that a crash interrupted", async () => {
    const dataDir = tempDir();
    const logs = await LogManager.open({ dataDir, maintenanceIntervalMs: 0 });
    await logs.create("half-gone", 0);
    writeFileSync(
      path.join(dataDir, "topics.json"),
      JSON.stringify({ version: 1, topics: [], deleting: [{ name: "half-gone", partitions: 1 }] }),
    );
    const topics = await TopicRegistry.open({ dataDir, logs });
    expect(topics.get("half-gone")).toBeUndefined();
    expect(logs.get("half-gone", 0)).toBeUndefined();
    await logs.close();
  });
});
