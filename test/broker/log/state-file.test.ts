import { readdirSync, readFileSync, rmSync, unlinkSync, writeFileSync } from "node:fs";
import * as path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { LogManager } from "../../../lib/broker/log";
import { DamagedStateFileError } from "../../../lib/broker/log/damaged-state-file-error";
import { readStateFile, writeStateFile } from "../../../lib/broker/log/state-file";
import { loadBrokerIdentity } from "../../../lib/broker/server/broker-identity";
import { TopicRegistry } from "../../../lib/broker/server/topic-registry";
import { tempDir } from "../server/test-broker";

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

function dir(): string {
  const d = tempDir("sluice-state-");
  dirs.push(d);
  return d;
}

const counter = (warnings: string[]) => ({
  parse: (doc: unknown) => {
    const n = (doc as { n?: unknown } | null)?.n;
    return typeof n === "number"
      ? { ok: true as const, value: n }
      : { ok: false as const, problem: "no n" };
  },
  remedy: "restore it",
  previousCopyCaveat: "n may be one behind",
  onWarning: (m: string) => warnings.push(m),
});

describe("state files keep their previous good copy", () => {
  it("writes atomically and keeps what the file held before as .prev", async () => {
    const file = path.join(dir(), "state.json");
    await writeStateFile(file, '{"n":1}');
    // Written once, the file can be restored all the same.
    expect(readFileSync(`${file}.prev`, "utf8")).toBe('{"n":1}');
    await writeStateFile(file, '{"n":2}');
    await writeStateFile(file, '{"n":3}');
    expect(readFileSync(file, "utf8")).toBe('{"n":3}');
    expect(readFileSync(`${file}.prev`, "utf8")).toBe('{"n":2}');
    expect(readdirSync(path.dirname(file)).sort()).toEqual(["state.json", "state.json.prev"]);
  });

  it("starts from the previous copy when the file is damaged, keeps the damaged one and says so", async () => {
    const file = path.join(dir(), "state.json");
    await writeStateFile(file, '{"n":1}');
    await writeStateFile(file, '{"n":2}');
    writeFileSync(file, '{"n":');
    const warnings: string[] = [];
    expect(await readStateFile(file, counter(warnings))).toEqual({
      value: 1,
      fromPreviousCopy: true,
    });
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toContain(`${file} is damaged (not valid JSON`);
    expect(warnings[0]).toContain(`started from its previous copy ${file}.prev`);
    expect(warnings[0]).toContain("n may be one behind");
    expect(readFileSync(`${file}.damaged`, "utf8")).toBe('{"n":');
    expect(readFileSync(file, "utf8")).toBe('{"n":1}');
    // The restored file reads without a warning.
    expect(await readStateFile(file, counter(warnings))).toEqual({
      value: 1,
      fromPreviousCopy: false,
    });
    expect(warnings).toHaveLength(1);
  });

  it("uses the previous copy when the file is gone, and refuses when both are damaged", async () => {
    const file = path.join(dir(), "state.json");
    await writeStateFile(file, '{"n":1}');
    await writeStateFile(file, '{"n":2}');
    unlinkSync(file);
    expect((await readStateFile(file, counter([])))?.value).toBe(1);
    await writeStateFile(file, '{"n":5}');
    writeFileSync(file, "garbage");
    writeFileSync(`${file}.prev`, '{"m":1}');
    const read = readStateFile(file, counter([]));
    await expect(read).rejects.toThrow(DamagedStateFileError);
    await expect(read).rejects.toThrow(`its previous copy ${file}.prev is damaged too (no n)`);
  });

  it("is absent when neither the file nor a previous copy exists", async () => {
    expect(await readStateFile(path.join(dir(), "none.json"), counter([]))).toBeUndefined();
  });
});

describe("a broker data directory with a damaged state file and a good previous copy", () => {
  it("topics.json: starts from the previous registry and adopts the partitions it lacks", async () => {
    const dataDir = dir();
    const logs = await LogManager.open({ dataDir, maintenanceIntervalMs: 0 });
    const topics = await TopicRegistry.open({ dataDir, logs });
    await topics.create("orders", 1, { "retention.ms": "3600000" });
    await topics.create("payments", 2);
    await logs.close();
    writeFileSync(path.join(dataDir, "topics.json"), "\u0000\u0000");
    const warnings: string[] = [];
    const reopened = await LogManager.open({ dataDir, maintenanceIntervalMs: 0 });
    try {
      const registry = await TopicRegistry.open({
        dataDir,
        logs: reopened,
        onWarning: (m) => warnings.push(m),
      });
      expect(registry.get("orders")?.configs).toMatchObject({ "retention.ms": "3600000" });
      expect(registry.get("payments")?.partitions).toBe(2);
      expect(warnings.join("\n")).toContain("started from its previous copy");
      expect(warnings.join("\n")).toContain("re-run `sluice apply`");
    } finally {
      await reopened.close();
    }
  });

  it("producer-ids.json: the next block is where the damaged file had it, so no producer id is handed out twice", async () => {
    const dataDir = dir();
    const logs = await LogManager.open({ dataDir, maintenanceIntervalMs: 0 });
    for (let i = 0; i < 1001; i++) await logs.allocateProducerId();
    await logs.close();
    writeFileSync(path.join(dataDir, "producer-ids.json"), "{");
    const warnings: string[] = [];
    const reopened = await LogManager.open({
      dataDir,
      maintenanceIntervalMs: 0,
      onWarning: (m) => warnings.push(m),
    });
    try {
      // Ids 1000..1999 may have been handed out (the damaged file reserved them): the next is 2000.
      expect(await reopened.allocateProducerId()).toBe(2000);
      expect(warnings.join("\n")).toContain("producer-ids.json is damaged");
    } finally {
      await reopened.close();
    }
  });

  it("broker.json: the identity is the same", async () => {
    const dataDir = dir();
    const first = await loadBrokerIdentity(dataDir, 3);
    writeFileSync(path.join(dataDir, "broker.json"), '{"clusterId": 1}');
    const warnings: string[] = [];
    expect(await loadBrokerIdentity(dataDir, 3, (m) => warnings.push(m))).toEqual(first);
    expect(warnings.join("\n")).toContain("nothing is lost");
  });
});
