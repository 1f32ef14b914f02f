import { existsSync } from "node:fs";
import * as path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { type LogManager as LM, LogManager } from "../../../lib/broker/log";
import { batchOf, tempDir } from "./helpers";

let dir: string;
let cleanup: () => void;
const open: LM[] = [];

beforeEach(() => {
  ({ dir, cleanup } = tempDir());
});
afterEach(async () => {
  for (const m of open.splice(0)) await m.close().catch(() => {});
  cleanup();
});

async function manager(opts: Partial<Parameters<typeof LogManager.open>[0]> = {}): Promise<LM> {
  const m = await LogManager.open({ dataDir: dir, maintenanceIntervalMs: 0, ...opts });
  open.push(m);
  return m;
}

describe("LogManager", () => {
  it("create is idempotent, also when called concurrently", async () => {
    const m = await manager();
    const [a, b] = await Promise.all([m.create("t", 0), m.create("t", 0)]);
    expect(a).toBe(b);
    expect(await m.create("t", 0)).toBe(a);
    expect([...m.all()]).toHaveLength(1);
    expect(m.get("t", 1)).toBeUndefined();
  });

  it("rejects topic names that are not safe file names", async () => {
    const m = await manager();
    await expect(m.create("../evil", 0)).rejects.toThrow(/invalid topic/);
    await expect(m.create("t", -1)).rejects.toThrow(/partition/);
  });

  it("delete removes the files; re-creating starts empty", async () => {
    const m = await manager();
    const log = await m.create("t", 0);
    await log.append(batchOf(3), { requireFsync: true });
    await m.delete("t", 0);
    expect(m.get("t", 0)).toBeUndefined();
    expect(existsSync(log.dir)).toBe(false);
    expect((await m.create("t", 0)).highWatermark).toBe(0);
    await expect(log.read(0, 100)).rejects.toMatchObject({ errorCode: 3 });
  });

  it("never hands out a producer id twice, across clean and unclean restarts", async () => {
    const seen = new Set<number>();
    let m = await manager();
    for (let i = 0; i < 5; i++) seen.add(await m.allocateProducerId());
    await m.close();
    m = await manager();
    for (let i = 0; i < 5; i++) seen.add(await m.allocateProducerId());
    open.pop(); // simulated crash: no close
    m = await manager();
    const ids = await Promise.all(Array.from({ length: 5 }, () => m.allocateProducerId()));
    for (const id of ids) seen.add(id);
    expect(seen.size).toBe(15);
  });

  it("persists topic overrides and setConfig changes", async () => {
    let m = await manager({ defaults: { retentionMs: 1000 } });
    const log = await m.create("t", 0, { segmentBytes: 5000 });
    await log.setConfig({ cleanupPolicy: "compact" });
    expect(log.config).toMatchObject({
      segmentBytes: 5000,
      retentionMs: 1000,
      cleanupPolicy: "compact",
    });
    await m.close();
    m = await manager({ defaults: { retentionMs: 2000 } });
    expect(m.get("t", 0)?.config).toMatchObject({
      segmentBytes: 5000,
      retentionMs: 2000,
      cleanupPolicy: "compact",
    });
  });

  it("keeps open segment files within the budget with many partitions", async () => {
    const m = await manager({ maxOpenFiles: 16 });
    const n = 200;
    for (let p = 0; p < n; p++)
      await (await m.create("many", p)).append(batchOf(1), { requireFsync: false });
    expect(m.openFiles).toBeLessThanOrEqual(16);
    for (let p = 0; p < n; p += 7) {
      const r = await m.get("many", p)?.read(0, 1000);
      expect(r?.records).toHaveLength(1);
    }
    expect(m.openFiles).toBeLessThanOrEqual(16);
    await m.close();
    const m2 = await manager({ maxOpenFiles: 16 });
    expect([...m2.all()]).toHaveLength(n);
    expect(m2.openFiles).toBeLessThanOrEqual(16);
  });

  it("maintain() applies retention to every partition", async () => {
    const m = await manager({ defaults: { segmentBytes: 400, retentionBytes: 0 } });
    const log = await m.create("t", 0);
    for (let i = 0; i < 20; i++)
      await log.append(batchOf(1, { size: 60 }), { requireFsync: false });
    const segs = log.segmentCount;
    await m.maintain();
    expect(log.segmentCount).toBe(1);
    expect(segs).toBeGreaterThan(1);
    expect(log.logStartOffset).toBe(log.segmentBaseOffsets()[0]);
  });

  it("writes the clean-shutdown marker on close only", async () => {
    const m = await manager();
    await m.create("t", 0);
    expect(existsSync(path.join(dir, ".sluice-clean-shutdown"))).toBe(false);
    await m.close();
    expect(existsSync(path.join(dir, ".sluice-clean-shutdown"))).toBe(true);
  });
});
