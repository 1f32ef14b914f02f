import { readFileSync, rmSync, writeFileSync } from "node:fs";
import * as path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { CLEAN_SHUTDOWN_MARKER, LogManager } from "../../../lib/broker/log";
import { batchProblem } from "../../../lib/broker/log/record-batch";
import { baseOffsetOf, batchOf, flipBit, overwrite, segmentFiles, tempDir } from "./helpers";

const cleanups: (() => void)[] = [];
afterEach(() => {
  for (const c of cleanups.splice(0)) c();
});

/** 200 batches of 5 records (~1.2 KiB each) in 8 KiB segments, closed cleanly. */
async function filledLog(): Promise<{ dir: string; segments: string[] }> {
  const { dir, cleanup } = tempDir("sluice-integrity-");
  cleanups.push(cleanup);
  const m = await LogManager.open({ dataDir: dir, maintenanceIntervalMs: 0 });
  const log = await m.create("t", 0, { segmentBytes: 8192, indexIntervalBytes: 1024 });
  for (let i = 0; i < 200; i++)
    await log.append(batchOf(5, { size: 200 }), { requireFsync: false });
  await m.close();
  const pdir = path.join(dir, "t-0");
  const segments = segmentFiles(pdir);
  return { dir, segments };
}

/** Reads the whole partition as a consumer would, asserting every served batch is sound. */
async function consumeAll(dir: string, warnings: string[]): Promise<number[]> {
  const m = await LogManager.open({
    dataDir: dir,
    maintenanceIntervalMs: 0,
    onWarning: (w) => warnings.push(w),
  });
  try {
    const log = m.get("t", 0);
    if (!log) throw new Error("partition missing");
    const offsets: number[] = [];
    let next = log.logStartOffset;
    while (next < log.highWatermark) {
      const r = await log.read(next, 64 * 1024);
      if (r.records.length === 0) break;
      for (const b of r.records) {
        expect(batchProblem(b, 0, b.length, false)).toBeUndefined();
        const base = baseOffsetOf(b);
        const last = base + b.readInt32BE(23);
        if (last < next) continue;
        for (let o = Math.max(base, next); o <= last; o++) offsets.push(o);
        next = last + 1;
      }
    }
    expect(m.damagedRangesFound).toBe(warnings.filter((w) => w.includes("damaged bytes")).length);
    return offsets;
  } finally {
    await m.close();
  }
}

describe("read-path integrity: no corrupt batch is served, what follows damage stays readable", () => {
  it("a zeroed 4 KiB page inside a sealed segment: the rest of that segment and later ones are read", async () => {
    const { dir, segments } = await filledLog();
    expect(segments.length).toBeGreaterThan(5);
    const sealed = segments[2] ?? "";
    overwrite(sealed, 1500, Buffer.alloc(4096));
    const warnings: string[] = [];
    const offsets = await consumeAll(dir, warnings);
    // Only the batches the page touched are lost (at most 5 batches of 5 records).
    expect(offsets.length).toBeGreaterThanOrEqual(1000 - 25);
    expect(offsets.length).toBeLessThan(1000);
    expect(offsets.at(-1)).toBe(999);
    expect(warnings.some((w) => w.includes(`damaged bytes 1`) && w.includes(sealed))).toBe(true);
  });

  it("a bit flip in a batch's payload (active segment, clean restart) is never served", async () => {
    const { dir, segments } = await filledLog();
    const active = segments.at(-1) ?? "";
    flipBit(active, 300);
    const warnings: string[] = [];
    const offsets = await consumeAll(dir, warnings);
    expect(offsets.length).toBe(995);
    expect(warnings.join("\n")).toContain("damaged bytes");
  });

  it("a zeroed page in the active segment after a crash: recovery keeps every sound batch after it", async () => {
    const { dir, segments } = await filledLog();
    rmSync(path.join(dir, CLEAN_SHUTDOWN_MARKER)); // as after SIGKILL: the tail is recovered
    const active = segments.at(-1) ?? "";
    overwrite(active, 1500, Buffer.alloc(500)); // inside the second batch of four
    const warnings: string[] = [];
    const offsets = await consumeAll(dir, warnings);
    expect(offsets.at(-1)).toBe(999);
    expect(offsets.length).toBeGreaterThanOrEqual(1000 - 15);
    expect(warnings.join("\n")).toContain("damaged bytes");
  });

  it("a bit flip in a sealed segment's header fields is never served either", async () => {
    const { dir, segments } = await filledLog();
    flipBit(segments[1] ?? "", 40); // inside the first batch's header, after the CRC field
    const offsets = await consumeAll(dir, []);
    expect(offsets.length).toBe(995);
    expect(offsets.at(-1)).toBe(999);
  });

  it("compaction leaves a damaged segment as it is and never rebuilds a damaged batch into a sound one", async () => {
    const { dir, cleanup } = tempDir("sluice-integrity-");
    cleanups.push(cleanup);
    let m = await LogManager.open({ dataDir: dir, maintenanceIntervalMs: 0 });
    let log = await m.create("t", 0, { cleanupPolicy: "compact", segmentBytes: 4096 });
    // 10 keys rewritten over and over: most records are compactable.
    for (let i = 0; i < 200; i++)
      await log.append(batchOf(5, { key: `k${i % 10}`, size: 100 }), { requireFsync: false });
    await m.close();
    const pdir = path.join(dir, "t-0");
    const segments = segmentFiles(pdir);
    const damaged = segments[1] ?? "";
    flipBit(damaged, 300); // a payload byte of the segment's first batch
    const before = readFileSync(damaged);
    const warnings: string[] = [];
    m = await LogManager.open({
      dataDir: dir,
      maintenanceIntervalMs: 0,
      onWarning: (w) => warnings.push(w),
    });
    log = m.get("t", 0) ?? log;
    const result = await log.compact(Date.now());
    expect(result.segmentsRewritten).toBeGreaterThan(0);
    await m.close();
    expect(readFileSync(damaged)).toEqual(before);
    const offsets = await consumeAll(dir, warnings);
    expect(offsets.length).toBeGreaterThan(0);
  });

  it("a wrong offset-index entry never makes a read skip sound batches; the index is rebuilt", async () => {
    const { dir, segments } = await filledLog();
    const index = (segments[2] ?? "").replace(/\.log$/, ".index");
    const good = readFileSync(index);
    expect(good.length).toBeGreaterThanOrEqual(24);
    // Entry 1 points 7 bytes past its batch: still in order and inside the segment, so the
    // load-time plausibility check (last entry) passes it.
    const wrong = Buffer.from(good);
    wrong.writeInt32BE(wrong.readInt32BE(12) + 7, 12);
    writeFileSync(index, wrong);
    const warnings: string[] = [];
    // A fetch at the entry's offset, as a consumer resuming there makes.
    const target = Number(path.basename(index).slice(0, 20)) + good.readInt32BE(8);
    const m = await LogManager.open({
      dataDir: dir,
      maintenanceIntervalMs: 0,
      onWarning: (w) => warnings.push(w),
    });
    const read = await m.get("t", 0)?.read(target, 1024);
    expect(baseOffsetOf(read?.records[0] ?? Buffer.alloc(8))).toBe(target);
    await m.close();
    const offsets = await consumeAll(dir, warnings);
    expect(offsets).toEqual(Array.from({ length: 1000 }, (_, i) => i));
    expect(warnings.join("\n")).toContain(`${index} has an entry that does not point at its batch`);
    expect(readFileSync(index).toString("hex")).toBe(good.toString("hex"));
  });
});
