import { readdirSync, rmSync, writeFileSync } from "node:fs";
import * as path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { LogManager } from "../../../lib/broker/log";
import { DamagedStateFileError } from "../../../lib/broker/log/damaged-state-file-error";
import { loadBrokerIdentity } from "../../../lib/broker/server/broker-identity";
import { TopicRegistry } from "../../../lib/broker/server/topic-registry";
import { tempDir } from "../server/test-broker";

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

/** A data directory with an identity, a registry and one topic's partition, closed cleanly. */
async function dataDirWithTopic(): Promise<string> {
  const dataDir = tempDir("sluice-damaged-");
  dirs.push(dataDir);
  await loadBrokerIdentity(dataDir, 0);
  const logs = await LogManager.open({ dataDir, maintenanceIntervalMs: 0 });
  const topics = await TopicRegistry.open({ dataDir, logs });
  await topics.create("orders", 1);
  await logs.close();
  return dataDir;
}

async function openAll(dataDir: string): Promise<void> {
  await loadBrokerIdentity(dataDir, 0);
  const logs = await LogManager.open({ dataDir, maintenanceIntervalMs: 0 });
  try {
    await TopicRegistry.open({ dataDir, logs });
  } finally {
    await logs.close();
  }
}

describe("a damaged state file whose previous copy is damaged too is named in the error, with what to do", () => {
  it.each([
    [
      "broker.json",
      '{"clusterId": "abc',
      /restore it from a backup; moving it away gives the broker a new cluster id/,
    ],
    ["broker.json", '{"hello": 1}', /not a broker identity/],
    [
      "topics.json",
      "\u0000\u0000\u0000",
      /move it away: the broker then adopts the partition logs it finds/,
    ],
    ["topics.json", "[]", /not a topic registry/],
  ])("%s containing %j", async (name, content, remedy) => {
    const dataDir = await dataDirWithTopic();
    const file = path.join(dataDir, name);
    writeFileSync(file, content);
    writeFileSync(`${file}.prev`, content);
    const opened = openAll(dataDir);
    await expect(opened).rejects.toThrow(DamagedStateFileError);
    await expect(opened).rejects.toThrow(`${file} is damaged (`);
    await expect(opened).rejects.toThrow(remedy);
  });

  it("a partition's partition.json", async () => {
    const dataDir = await dataDirWithTopic();
    const partitionDir = readdirSync(dataDir, { withFileTypes: true })
      .filter((e) => e.isDirectory())
      .map((e) => path.join(dataDir, e.name))
      .find((d) => readdirSync(d).includes("partition.json"));
    expect(partitionDir).toBeDefined();
    const file = path.join(partitionDir ?? "", "partition.json");
    writeFileSync(file, '{"topic": "ord');
    writeFileSync(`${file}.prev`, "");
    const opened = openAll(dataDir);
    await expect(opened).rejects.toThrow(`${file} is damaged (not valid JSON: `);
    await expect(opened).rejects.toThrow(`move ${partitionDir} out of the data directory`);
  });
});
