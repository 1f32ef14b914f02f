import { spawnSync } from "node:child_process";
import {
  existsSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  truncateSync,
  writeFileSync,
} from "node:fs";
import * as path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { LogManager, type VerifyFinding } from "../../../lib/broker/log";
import { loadBrokerIdentity } from "../../../lib/broker/server/broker-identity";
import { DataDirLock } from "../../../lib/broker/server/data-dir-lock";
import { verifyDataDir } from "../../../lib/broker/server/data-dir-verifier";
import { damageRemains, formatReport } from "../../../lib/broker/server/verify-cli";
import {
  batchOf,
  flipBit,
  idempotentBatch,
  overwrite,
  segmentFiles,
  tempDir,
} from "../log/helpers";

const cleanups: (() => void)[] = [];
afterEach(() => {
  for (const c of cleanups.splice(0)) c();
});

const BIN = path.resolve(__dirname, "../../../bin/sluice-broker");

/**
 * A data directory as a broker leaves it after a clean stop: broker.json, producer-ids.json (written
 * twice, so it has a previous copy), partition t-0 with 200 batches of ~1.2 KiB in 8 KiB segments
 * (indexes every 1 KiB) and an idempotent producer (so a snapshot exists).
 */
async function dataDir(): Promise<{ dir: string; pdir: string; segments: string[] }> {
  const { dir, cleanup } = tempDir("sluice-verify-");
  cleanups.push(cleanup);
  await loadBrokerIdentity(dir, 0);
  const m = await LogManager.open({ dataDir: dir, maintenanceIntervalMs: 0 });
  const log = await m.create("t", 0, { segmentBytes: 8192, indexIntervalBytes: 1024 });
  for (let i = 0; i < 200; i++)
    await log.append(batchOf(5, { size: 200 }), { requireFsync: false });
  const pid = await m.allocateProducerId();
  for (let i = 0; i < 1001; i++) await m.allocateProducerId();
  await log.append(idempotentBatch(pid, 0, 0, 3), { requireFsync: false });
  await m.close();
  const pdir = path.join(dir, "t-0");
  const segments = segmentFiles(pdir);
  return { dir, pdir, segments };
}

const damage = (findings: readonly VerifyFinding[]) =>
  findings.filter((f) => f.severity === "damage");

describe("sluice-broker verify: an offline check of a data directory", () => {
  it("finds nothing wrong in a cleanly stopped data directory", async () => {
    const { dir } = await dataDir();
    const report = await verifyDataDir(dir, { repair: false });
    expect(report.partitions).toBe(1);
    expect(report.findings).toEqual([]);
    expect(damageRemains(report)).toBe(false);
    expect(formatReport(report)).toContain("no damage found");
  });

  it("lists a zeroed page in a sealed segment with its bytes and the offsets it loses; --repair says it cannot", async () => {
    const { dir, segments } = await dataDir();
    const sealed = segments[2] as string;
    overwrite(sealed, 2048, Buffer.alloc(4096));
    const report = await verifyDataDir(dir, { repair: true });
    const found = damage(report.findings);
    expect(found).toHaveLength(1);
    expect(found[0]?.file).toBe(sealed);
    expect(found[0]?.what).toMatch(
      /^bytes \d+\.\.\d+ hold no sound batch .*a sound batch follows: offsets \d+\.\.\d+ are not readable$/,
    );
    expect(found[0]?.repaired).toBeUndefined();
    expect(found[0]?.repair).toMatch(/^cannot repair: the records in these bytes are lost/);
    expect(damageRemains(report)).toBe(true);
  });

  it("lists a bit flip in a batch header and in a payload of the active segment", async () => {
    const { dir, segments } = await dataDir();
    const active = segments.at(-1) as string;
    flipBit(active, 20); // the first batch's CRC field
    flipBit(active, statSync(active).size - 10); // the payload of the last batch
    const found = damage((await verifyDataDir(dir, { repair: false })).findings);
    expect(found.map((f) => f.file)).toEqual([active, active]);
    expect(found[0]?.what).toMatch(/^bytes 0\.\.\d+ hold no sound batch/);
    expect(found[1]?.what).toContain("up to the end of the segment");
    expect(found[1]?.repair).toContain("the broker truncates these bytes at its next start");
  });

  it("lists a truncated sealed segment", async () => {
    const { dir, segments } = await dataDir();
    const sealed = segments[1] as string;
    truncateSync(sealed, statSync(sealed).size - 100);
    const found = damage((await verifyDataDir(dir, { repair: false })).findings);
    expect(found).toHaveLength(1);
    expect(found[0]?.what).toContain("up to the end of the segment");
    expect(found[0]?.repair).toMatch(/^cannot repair/);
  });

  it("checks every index entry against the batches, and --repair rebuilds the indexes as they were", async () => {
    const { dir, segments } = await dataDir();
    const seg = segments[3] as string;
    const index = seg.replace(/\.log$/, ".index");
    const timeIndex = seg.replace(/\.log$/, ".timeindex");
    const good = { index: readFileSync(index), timeIndex: readFileSync(timeIndex) };
    expect(good.index.length).toBeGreaterThan(8);
    overwrite(index, 4, Buffer.from([0, 0, 0, 7])); // entry 0 points at position 7
    overwrite(timeIndex, good.timeIndex.length - 12, Buffer.alloc(8)); // last timestamp 0
    const before = damage((await verifyDataDir(dir, { repair: false })).findings);
    expect(before.map((f) => f.file)).toEqual([index, timeIndex]);
    expect(before[0]?.what).toContain("entry 0 points at position 7, where no sound batch starts");
    expect(before[1]?.what).toMatch(
      /entry \d+ says 0 at offset \d+, but an earlier batch has 1700000000000/,
    );
    const repaired = await verifyDataDir(dir, { repair: true });
    expect(damage(repaired.findings).every((f) => f.repaired === true)).toBe(true);
    expect(damageRemains(repaired)).toBe(false);
    expect(readFileSync(index)).toEqual(good.index);
    expect(readFileSync(timeIndex)).toEqual(good.timeIndex);
    expect((await verifyDataDir(dir, { repair: false })).findings).toEqual([]);
  });

  it("notes a missing index, which --repair writes", async () => {
    const { dir, segments } = await dataDir();
    const index = (segments[0] as string).replace(/\.log$/, ".index");
    const good = readFileSync(index);
    writeFileSync(index, ""); // empty is fine only where the segment is below one index interval
    const found = (await verifyDataDir(dir, { repair: false })).findings;
    expect(damage(found)).toHaveLength(0);
    rmSync(index);
    const missing = (await verifyDataDir(dir, { repair: true })).findings;
    expect(missing).toEqual([
      expect.objectContaining({ file: index, severity: "note", repaired: true }),
    ]);
    expect(readFileSync(index)).toEqual(good);
  });

  it("sets a damaged producer snapshot aside with --repair; the broker then replays the log", async () => {
    const { dir, pdir } = await dataDir();
    const snaps = readdirSync(pdir).filter((n) => n.endsWith(".snapshot"));
    expect(snaps.length).toBeGreaterThan(0);
    for (const snap of snaps) writeFileSync(path.join(pdir, snap), '{"version":1,"nextOff');
    const warnings: string[] = [];
    const before = await LogManager.open({
      dataDir: dir,
      maintenanceIntervalMs: 0,
      onWarning: (w) => warnings.push(w),
    });
    expect(before.get("t", 0)?.openReport.replayedBatches).toBeGreaterThan(0);
    await before.close();
    expect(warnings.filter((w) => w.includes(".snapshot is unreadable"))).toHaveLength(
      snaps.length,
    );
    const found = damage((await verifyDataDir(dir, { repair: true })).findings);
    expect(found).toEqual(
      snaps.map((snap) =>
        expect.objectContaining({
          file: path.join(pdir, snap),
          what: "not a producer-state snapshot (damaged)",
          repaired: true,
        }),
      ),
    );
    for (const snap of snaps) expect(existsSync(path.join(pdir, `${snap}.damaged`))).toBe(true);
    const m = await LogManager.open({ dataDir: dir, maintenanceIntervalMs: 0 });
    expect(m.get("t", 0)?.openReport.replayedBatches).toBeGreaterThan(0);
    await m.close();
  });

  it("restores partition.json and producer-ids.json from their previous copies, past the ids handed out", async () => {
    const { dir, pdir } = await dataDir();
    const meta = path.join(pdir, "partition.json");
    const ids = path.join(dir, "producer-ids.json");
    const idsBefore = JSON.parse(readFileSync(ids, "utf8")) as { nextBlockStart: number };
    writeFileSync(meta, "{");
    writeFileSync(ids, '{"nextBlockStart": "x"}');
    const checked = damage((await verifyDataDir(dir, { repair: false })).findings);
    expect(checked.map((f) => f.file).sort()).toEqual([meta, ids].sort());
    expect(readFileSync(meta, "utf8")).toBe("{"); // nothing changes without --repair
    const repaired = await verifyDataDir(dir, { repair: true });
    expect(damageRemains(repaired)).toBe(false);
    expect(JSON.parse(readFileSync(meta, "utf8"))).toMatchObject({ topic: "t", partition: 0 });
    expect(JSON.parse(readFileSync(ids, "utf8")).nextBlockStart).toBeGreaterThanOrEqual(
      idsBefore.nextBlockStart,
    );
    const notes = (await verifyDataDir(dir, { repair: false })).findings;
    expect(notes.map((f) => [f.severity, path.basename(f.file)]).sort()).toEqual([
      ["note", "partition.json.damaged"],
      ["note", "producer-ids.json.damaged"],
    ]);
  });

  it("says what to do when a state file and its previous copy are both unusable", async () => {
    const { dir } = await dataDir();
    const identity = path.join(dir, "broker.json");
    writeFileSync(identity, "[]");
    writeFileSync(`${identity}.prev`, "");
    const found = damage((await verifyDataDir(dir, { repair: true })).findings);
    expect(found).toEqual([
      expect.objectContaining({
        file: identity,
        what: "damaged (not a broker identity (clusterId, nodeId)); its previous copy is damaged (not valid JSON: Unexpected end of JSON input)",
        repair: expect.stringMatching(/^cannot repair: restore it from a backup/),
      }),
    ]);
  });

  it("refuses a data directory a broker is using", async () => {
    const { dir } = await dataDir();
    const lock = await DataDirLock.acquire(dir);
    try {
      await expect(verifyDataDir(dir, { repair: false })).rejects.toThrow(/in use/);
    } finally {
      await lock.release();
    }
  });

  it("is `sluice-broker verify`: exit 0 when sound, 1 with damage, 64 for bad arguments", async () => {
    const { dir, segments } = await dataDir();
    const run = (...args: string[]) => spawnSync(BIN, ["verify", ...args], { encoding: "utf8" });
    const sound = run("--data-dir", dir);
    expect(sound.status).toBe(0);
    expect(sound.stdout).toContain("no damage found");
    overwrite(segments[1] as string, 100, Buffer.alloc(64));
    const damaged = run("--data-dir", dir, "--json");
    expect(damaged.status).toBe(1);
    const report = JSON.parse(damaged.stdout) as { findings: VerifyFinding[] };
    expect(damage(report.findings)).toHaveLength(1);
    const bad = run("--data-dir");
    expect(bad.status).toBe(64);
    expect(bad.stderr).toContain("--data-dir needs a value");
    expect(run("--data-dir", path.join(dir, "nope")).status).toBe(64);
  });
});
