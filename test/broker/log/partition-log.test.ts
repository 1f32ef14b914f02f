import { existsSync, readdirSync, statSync, truncateSync, writeFileSync } from "node:fs";
import * as path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import {
  buildRecordBatch,
  decodeRecords,
  type LogManager as LM,
  LogError,
  LogManager,
  type PartitionLog,
} from "../../../lib/broker/log";
import { segmentFileName } from "../../../lib/broker/log/log-segment";
import { baseOffsetOf, batchOf, idempotentBatch, tempDir } from "./helpers";

let dir: string;
let cleanup: () => void;
let mgr: LM | undefined;

beforeEach(() => {
  ({ dir, cleanup } = tempDir());
});
afterEach(async () => {
  await mgr?.close().catch(() => {});
  mgr = undefined;
  cleanup();
});

async function open(defaults: Parameters<typeof LogManager.open>[0]["defaults"] = {}): Promise<LM> {
  mgr = await LogManager.open({ dataDir: dir, defaults, maintenanceIntervalMs: 0 });
  return mgr;
}

async function openLog(
  defaults: Parameters<typeof LogManager.open>[0]["defaults"] = {},
): Promise<PartitionLog> {
  return (await open(defaults)).create("t", 0);
}

async function errorOf(p: Promise<unknown>): Promise<LogError> {
  try {
    await p;
  } catch (e) {
    if (e instanceof LogError) return e;
    throw e;
  }
  throw new Error("expected a LogError");
}

describe("append", () => {
  it("assigns consecutive offsets and advances the high watermark", async () => {
    const log = await openLog();
    const a = await log.append(batchOf(3), { requireFsync: false });
    const b = await log.append(batchOf(2), { requireFsync: true });
    expect([a.baseOffset, a.lastOffset, b.baseOffset, b.lastOffset]).toEqual([0, 2, 3, 4]);
    expect(log.highWatermark).toBe(5);
    expect(a.duplicate).toBe(false);
  });

  it("accepts several batches in one append", async () => {
    const log = await openLog();
    const r = await log.append(Buffer.concat([batchOf(2), batchOf(3)]), { requireFsync: false });
    expect([r.baseOffset, r.lastOffset]).toEqual([0, 4]);
    const read = await log.read(0, 1 << 20);
    expect(read.records.map(baseOffsetOf)).toEqual([0, 2]);
  });

  it("rejects a corrupt batch with CORRUPT_MESSAGE and writes nothing, even when an earlier batch is valid", async () => {
    const log = await openLog();
    const bad = batchOf(2);
    bad[bad.length - 1] = (bad[bad.length - 1] as number) ^ 0xff;
    const e = await errorOf(log.append(Buffer.concat([batchOf(1), bad]), { requireFsync: false }));
    expect(e.errorCode).toBe(2);
    expect(log.highWatermark).toBe(0);
    expect(log.sizeBytes()).toBe(0);
  });

  it("rejects batches above max.message.bytes with MESSAGE_TOO_LARGE", async () => {
    const log = await openLog({ maxMessageBytes: 200 });
    const e = await errorOf(log.append(batchOf(1, { size: 300 }), { requireFsync: false }));
    expect(e.errorCode).toBe(10);
  });

  it("rejects keyless records on a compacted topic with INVALID_RECORD", async () => {
    const log = await openLog({ cleanupPolicy: "compact" });
    const b = buildRecordBatch({
      records: [
        { key: "a", value: "1" },
        { key: null, value: "2" },
      ],
    });
    expect((await errorOf(log.append(b, { requireFsync: false }))).errorCode).toBe(87);
  });

  it("stamps LogAppendTime topics with the broker time and keeps the CRC valid", async () => {
    const log = await openLog({ messageTimestampType: "LogAppendTime" });
    const r = await log.append(batchOf(1, { ts: 5 }), { requireFsync: false });
    expect(r.logAppendTimeMs).toBeGreaterThan(1_600_000_000_000);
    const [stored] = (await log.read(0, 1000)).records;
    expect(stored && Number(stored.readBigInt64BE(35))).toBe(r.logAppendTimeMs);
  });

  it("notifies onAppend listeners until unsubscribed", async () => {
    const log = await openLog();
    let calls = 0;
    const off = log.onAppend(() => calls++);
    await log.append(batchOf(1), { requireFsync: false });
    off();
    await log.append(batchOf(1), { requireFsync: false });
    expect(calls).toBe(1);
  });

  it("shares fsyncs between concurrent requireFsync appends (group commit)", async () => {
    const log = await openLog();
    const before = log.syncCount;
    await Promise.all(
      Array.from({ length: 50 }, () => log.append(batchOf(1), { requireFsync: true })),
    );
    expect(log.highWatermark).toBe(50);
    expect(log.syncCount - before).toBeLessThan(50);
  });

  it("fsyncs after flush.messages records without requireFsync", async () => {
    const log = await openLog({ flushMessages: 3 });
    await log.append(batchOf(2), { requireFsync: false });
    expect(log.syncCount).toBe(0);
    await log.append(batchOf(2), { requireFsync: false });
    expect(log.syncCount).toBe(1);
  });
});

describe("segments", () => {
  it("rolls by segment.ms once the active segment holds data", async () => {
    const log = await openLog({ segmentMs: 0 });
    for (let i = 0; i < 3; i++) await log.append(batchOf(2), { requireFsync: false });
    expect(log.segmentBaseOffsets()).toEqual([0, 2, 4]);
  });

  it("fsyncs by flush.ms from maintain()", async () => {
    const log = await openLog({ flushMs: 0 });
    await log.append(batchOf(1), { requireFsync: false });
    expect(log.syncCount).toBe(0);
    await log.maintain(Date.now() + 10);
    expect(log.syncCount).toBe(1);
  });
});

describe("read", () => {
  it("returns whole batches from the one containing the offset, at least one, within maxBytes", async () => {
    const log = await openLog();
    for (let i = 0; i < 5; i++) await log.append(batchOf(4), { requireFsync: false });
    const size = (await log.read(0, 1)).records[0]?.length ?? 0;
    const r = await log.read(6, 1);
    expect(r.records.map(baseOffsetOf)).toEqual([4]);
    const r2 = await log.read(6, size * 2);
    expect(r2.records.map(baseOffsetOf)).toEqual([4, 8]);
    expect(r2.highWatermark).toBe(20);
    expect(r2.lastStableOffset).toBe(20);
  });

  it("returns nothing at the high watermark and OFFSET_OUT_OF_RANGE beyond it", async () => {
    const log = await openLog();
    await log.append(batchOf(2), { requireFsync: false });
    expect((await log.read(2, 100)).records).toEqual([]);
    expect((await errorOf(log.read(3, 100))).errorCode).toBe(1);
    await log.deleteRecords(1);
    expect((await errorOf(log.read(0, 100))).errorCode).toBe(1);
  });

  it("reads across many rolled segments and finds offsets through the sparse index", async () => {
    const log = await openLog({ segmentBytes: 4000, indexIntervalBytes: 300 });
    for (let i = 0; i < 200; i++)
      await log.append(batchOf(2, { size: 50 }), { requireFsync: false });
    expect(log.segmentCount).toBeGreaterThan(5);
    for (let off = 0; off < 400; off += 17) {
      const r = await log.read(off, 1);
      const b = r.records[0];
      expect(b && baseOffsetOf(b)).toBe(off - (off % 2));
    }
    const names = readdirSync(log.dir);
    expect(names).toContain(segmentFileName(0, ".log"));
    expect(names).toContain(segmentFileName(0, ".index"));
    expect(names).toContain(segmentFileName(0, ".timeindex"));
  });
});

describe("reads between offset index entries", () => {
  it("answer from the entry before in one read the same batches a read at the batch would", async () => {
    const log = await openLog({ indexIntervalBytes: 1024 });
    const sizes: number[] = [];
    for (let i = 0; i < 60; i++) {
      const b = batchOf(1, { size: 40 + (i % 7) * 10 });
      sizes.push(b.length);
      await log.append(b, { requireFsync: false });
    }
    for (const maxBytes of [1, 300, 550, 5000]) {
      for (let off = 0; off < 60; off++) {
        const want: number[] = [];
        let size = 0;
        for (let o = off; o < 60; o++) {
          const n = sizes[o] as number;
          if (want.length > 0 && size + n > maxBytes) break;
          want.push(o);
          size += n;
        }
        const got = (await log.read(off, maxBytes)).records.map(baseOffsetOf);
        expect(got, `read(${off}, ${maxBytes})`).toEqual(want);
      }
    }
  });
});

describe("offsetForTimestamp", () => {
  it("answers earliest, latest, max and the first batch with maxTimestamp >= t", async () => {
    const log = await openLog({ segmentBytes: 1000, indexIntervalBytes: 100 });
    for (let i = 0; i < 40; i++)
      await log.append(batchOf(2, { ts: 1000 + i * 10 }), { requireFsync: false });
    expect(await log.offsetForTimestamp(-2)).toEqual({ offset: 0, timestamp: -1 });
    expect(await log.offsetForTimestamp(-1)).toEqual({ offset: 80, timestamp: -1 });
    expect(await log.offsetForTimestamp(-3)).toEqual({ offset: 78, timestamp: 1390 });
    expect(await log.offsetForTimestamp(1155)).toEqual({ offset: 32, timestamp: 1160 });
    expect(await log.offsetForTimestamp(0)).toEqual({ offset: 0, timestamp: 1000 });
    expect(await log.offsetForTimestamp(5000)).toBeNull();
  });

  it("answers a record, not its batch, for timestamps and the max timestamp (as Kafka does)", async () => {
    const log = await openLog({ indexIntervalBytes: 1 });
    await log.append(batchOf(3, { ts: 50 }), { requireFsync: false }); // offsets 0-2
    // Out-of-order create times inside one batch: offsets 3-7.
    const stamps = [100, 300, 200, 500, 400];
    await log.append(
      buildRecordBatch({ records: stamps.map((timestamp, i) => ({ value: `r${i}`, timestamp })) }),
      { requireFsync: false },
    );
    await log.append(batchOf(2, { ts: 450 }), { requireFsync: false }); // offsets 8-9
    expect(await log.offsetForTimestamp(-3)).toEqual({ offset: 6, timestamp: 500 });
    expect(await log.offsetForTimestamp(250)).toEqual({ offset: 4, timestamp: 300 });
    expect(await log.offsetForTimestamp(450)).toEqual({ offset: 6, timestamp: 500 });
    expect(await log.offsetForTimestamp(501)).toBeNull();
    expect(await log.offsetForTimestamp(60)).toEqual({ offset: 3, timestamp: 100 });
    // -4 earliest local is the log start; -5 latest tiered is none (nothing is tiered).
    expect(await log.offsetForTimestamp(-4)).toEqual({ offset: 0, timestamp: -1 });
    expect(await log.offsetForTimestamp(-5)).toBeNull();
    // Records below the log start are never answered.
    await log.deleteRecords(5);
    expect(await log.offsetForTimestamp(60)).toEqual({ offset: 5, timestamp: 200 });
    expect(await log.offsetForTimestamp(-4)).toEqual({ offset: 5, timestamp: -1 });
    expect(await log.offsetForTimestamp(-3)).toEqual({ offset: 6, timestamp: 500 });
  });

  it("answers the first record of a LogAppendTime batch, stamped with the broker's time", async () => {
    const log = await openLog({ messageTimestampType: "LogAppendTime" });
    await log.append(batchOf(4, { ts: 1 }), { requireFsync: false });
    const hit = await log.offsetForTimestamp(-3);
    expect(hit?.offset).toBe(0);
    expect(hit?.timestamp).toBeGreaterThan(1_000_000_000_000);
    expect(await log.offsetForTimestamp(2)).toEqual(hit);
  });
});

describe("idempotent producers", () => {
  it("returns the original offsets for a retried batch", async () => {
    const log = await openLog();
    const a = await log.append(idempotentBatch(7, 0, 0, 2), { requireFsync: false });
    await log.append(idempotentBatch(7, 0, 2, 1), { requireFsync: false });
    const dup = await log.append(idempotentBatch(7, 0, 0, 2), { requireFsync: false });
    expect(dup).toMatchObject({
      baseOffset: a.baseOffset,
      lastOffset: a.lastOffset,
      duplicate: true,
    });
    expect(log.highWatermark).toBe(3);
  });

  it("rejects a sequence gap with OUT_OF_ORDER_SEQUENCE_NUMBER", async () => {
    const log = await openLog();
    await log.append(idempotentBatch(7, 0, 0), { requireFsync: false });
    expect(
      (await errorOf(log.append(idempotentBatch(7, 0, 5), { requireFsync: false }))).errorCode,
    ).toBe(45);
    expect(
      (await errorOf(log.append(idempotentBatch(8, 0, 3), { requireFsync: false }))).errorCode,
    ).toBe(45);
  });

  it("fences an older epoch and requires sequence 0 for a new one", async () => {
    const log = await openLog();
    await log.append(idempotentBatch(7, 1, 0), { requireFsync: false });
    expect(
      (await errorOf(log.append(idempotentBatch(7, 0, 1), { requireFsync: false }))).errorCode,
    ).toBe(47);
    expect(
      (await errorOf(log.append(idempotentBatch(7, 2, 1), { requireFsync: false }))).errorCode,
    ).toBe(45);
    const r = await log.append(idempotentBatch(7, 2, 0), { requireFsync: false });
    expect(r.duplicate).toBe(false);
  });

  it("remembers only the last five batches", async () => {
    const log = await openLog();
    for (let s = 0; s < 7; s++) await log.append(idempotentBatch(9, 0, s), { requireFsync: false });
    expect((await log.append(idempotentBatch(9, 0, 2), { requireFsync: false })).duplicate).toBe(
      true,
    );
    expect(
      (await errorOf(log.append(idempotentBatch(9, 0, 1), { requireFsync: false }))).errorCode,
    ).toBe(45);
  });

  it("keeps producer state across a clean restart and an unclean one", async () => {
    let m = await open({ segmentBytes: 600 });
    let log = await m.create("t", 0);
    for (let s = 0; s < 10; s++) await log.append(idempotentBatch(3, 0, s), { requireFsync: true });
    await m.close();
    m = await open({ segmentBytes: 600 });
    log = m.get("t", 0) as PartitionLog;
    expect((await log.append(idempotentBatch(3, 0, 9), { requireFsync: false })).duplicate).toBe(
      true,
    );
    await log.append(idempotentBatch(3, 0, 10), { requireFsync: true });
    // simulate a crash: reopen without close
    mgr = undefined;
    m = await open({ segmentBytes: 600 });
    log = m.get("t", 0) as PartitionLog;
    expect(m.openReport.clean).toBe(false);
    expect((await log.append(idempotentBatch(3, 0, 10), { requireFsync: false })).duplicate).toBe(
      true,
    );
    expect(
      (await errorOf(log.append(idempotentBatch(3, 0, 12), { requireFsync: false }))).errorCode,
    ).toBe(45);
  });
});

describe("recovery", () => {
  it("truncates a torn tail at the first invalid byte after an unclean shutdown", async () => {
    const m = await open();
    const log = await m.create("t", 0);
    for (let i = 0; i < 10; i++) await log.append(batchOf(1), { requireFsync: true });
    const file = path.join(log.dir, segmentFileName(0, ".log"));
    const good = statSync(file).size;
    writeFileSync(file, Buffer.concat([batchOf(1).subarray(0, 30)]), { flag: "a" });
    mgr = undefined;
    const m2 = await open();
    const l2 = m2.get("t", 0) as PartitionLog;
    expect(m2.openReport.truncatedBytes).toBe(30);
    expect(statSync(file).size).toBe(good);
    expect(l2.highWatermark).toBe(10);
    await l2.append(batchOf(1), { requireFsync: true });
    expect((await l2.read(10, 100)).records.map(baseOffsetOf)).toEqual([10]);
  });

  it("validates the tail even after a clean shutdown", async () => {
    const m = await open();
    const log = await m.create("t", 0);
    for (let i = 0; i < 3; i++) await log.append(batchOf(1), { requireFsync: false });
    await m.close();
    writeFileSync(path.join(log.dir, segmentFileName(0, ".log")), Buffer.alloc(100), { flag: "a" });
    const m2 = await open();
    expect(m2.openReport.clean).toBe(true);
    expect(m2.openReport.truncatedBytes).toBe(100);
    expect(m2.get("t", 0)?.highWatermark).toBe(3);
  });

  it("drops a batch whose bytes were corrupted and everything after it", async () => {
    const m = await open();
    const log = await m.create("t", 0);
    for (let i = 0; i < 5; i++) await log.append(batchOf(1), { requireFsync: true });
    const file = path.join(log.dir, segmentFileName(0, ".log"));
    const size = statSync(file).size;
    truncateSync(file, size - 3);
    mgr = undefined;
    const l2 = (await open()).get("t", 0) as PartitionLog;
    expect(l2.highWatermark).toBe(4);
  });

  it("rebuilds missing index files", async () => {
    let m = await open({ segmentBytes: 2000, indexIntervalBytes: 100 });
    const log = await m.create("t", 0);
    for (let i = 0; i < 100; i++)
      await log.append(batchOf(1, { size: 20 }), { requireFsync: false });
    await m.close();
    for (const n of readdirSync(log.dir)) {
      if (n.endsWith(".index") || n.endsWith(".timeindex"))
        writeFileSync(path.join(log.dir, n), "garbage");
    }
    m = await open({ segmentBytes: 2000, indexIntervalBytes: 100 });
    const l2 = m.get("t", 0) as PartitionLog;
    expect(l2.highWatermark).toBe(100);
    for (let off = 0; off < 100; off += 9) {
      const b = (await l2.read(off, 1)).records[0];
      expect(b && baseOffsetOf(b)).toBe(off);
    }
  });

  it("skips the scan after a clean shutdown (marker) and recovers without it", async () => {
    let m = await open();
    await (await m.create("t", 0)).append(batchOf(1), { requireFsync: false });
    await m.close();
    expect(existsSync(path.join(dir, ".sluice-clean-shutdown"))).toBe(true);
    m = await open();
    expect(m.openReport.clean).toBe(true);
    expect(existsSync(path.join(dir, ".sluice-clean-shutdown"))).toBe(false);
    mgr = undefined;
    m = await open();
    expect(m.openReport.clean).toBe(false);
    expect(m.get("t", 0)?.highWatermark).toBe(1);
  });
});

describe("retention and DeleteRecords", () => {
  it("deleteRecords is refused with POLICY_VIOLATION on a compact-only log and moves nothing", async () => {
    const m = await open();
    const compact = await m.create("c", 0, { cleanupPolicy: "compact" });
    const both = await m.create("b", 0, { cleanupPolicy: "compact,delete" });
    for (const log of [compact, both])
      for (let i = 0; i < 5; i++) await log.append(batchOf(1), { requireFsync: false });
    const err = await errorOf(compact.deleteRecords(3));
    expect(err.errorName).toBe("POLICY_VIOLATION");
    expect(err.errorCode).toBe(44);
    expect(err.message).toContain("c-0");
    expect(compact.logStartOffset).toBe(0);
    expect(await both.deleteRecords(3)).toBe(3);
  });

  it("deleteRecords advances the log start offset, deletes whole segments and survives restart", async () => {
    let m = await open({ segmentBytes: 500 });
    const log = await m.create("t", 0);
    for (let i = 0; i < 30; i++)
      await log.append(batchOf(1, { size: 50 }), { requireFsync: false });
    const segs = log.segmentCount;
    expect(await log.deleteRecords(20)).toBe(20);
    expect(log.segmentCount).toBeLessThan(segs);
    expect((await errorOf(log.read(19, 100))).errorCode).toBe(1);
    expect((await log.read(20, 1)).records.map(baseOffsetOf)).toEqual([20]);
    expect((await errorOf(log.deleteRecords(31))).errorCode).toBe(1);
    await m.close();
    m = await open({ segmentBytes: 500 });
    expect(m.get("t", 0)?.logStartOffset).toBe(20);
  });

  it("retention.bytes deletes the oldest closed segments, never the active one", async () => {
    const log = await openLog({ segmentBytes: 500, retentionBytes: 1000 });
    for (let i = 0; i < 40; i++)
      await log.append(batchOf(1, { size: 50 }), { requireFsync: false });
    await log.maintain();
    expect(log.sizeBytes()).toBeLessThanOrEqual(1000 + 500);
    expect(log.logStartOffset).toBeGreaterThan(0);
    expect(log.highWatermark).toBe(40);
    const b = (await log.read(log.logStartOffset, 1)).records[0];
    expect(b && baseOffsetOf(b)).toBe(log.logStartOffset);
  });

  it("retention.ms deletes closed segments whose newest timestamp is too old", async () => {
    const log = await openLog({ segmentBytes: 500, retentionMs: 60_000 });
    const now = Date.now();
    for (let i = 0; i < 20; i++)
      await log.append(batchOf(1, { size: 50, ts: now - 3_600_000 }), { requireFsync: false });
    for (let i = 0; i < 5; i++)
      await log.append(batchOf(1, { size: 50, ts: now }), { requireFsync: false });
    await log.maintain(now);
    expect(log.logStartOffset).toBeGreaterThanOrEqual(15);
    expect(log.highWatermark).toBe(25);
  });
});

describe("compaction", () => {
  async function keysAt(log: PartitionLog): Promise<Array<[number, string, string | null]>> {
    const out: Array<[number, string, string | null]> = [];
    let off = log.logStartOffset;
    while (off < log.highWatermark) {
      const r = await log.read(off, 1 << 20);
      if (r.records.length === 0) break;
      for (const b of r.records) {
        const { header, records } = decodeRecords(b);
        for (const rec of records)
          out.push([
            header.baseOffset + rec.offsetDelta,
            rec.key?.toString() ?? "",
            rec.value?.toString() ?? null,
          ]);
        off = header.lastOffset + 1;
      }
    }
    return out;
  }

  it("keeps the latest value per key, never touches the active segment, and keeps fresh tombstones", async () => {
    const log = await openLog({ cleanupPolicy: "compact", segmentBytes: 400 });
    const ts = Date.now();
    for (let i = 0; i < 30; i++) {
      const value = i === 25 ? null : `v${i}`;
      await log.append(
        buildRecordBatch({ timestamp: ts, records: [{ key: `k${i % 3}`, value }] }),
        { requireFsync: false },
      );
    }
    const activeBase = log.segmentBaseOffsets().at(-1) ?? 0;
    const res = await log.compact(Date.now());
    expect(res.recordsRemoved).toBeGreaterThan(0);
    const after = await keysAt(log);
    // every record at or after the active segment is untouched
    expect(after.filter(([o]) => o >= activeBase).map(([o]) => o)).toEqual(
      Array.from({ length: 30 - activeBase }, (_, i) => activeBase + i),
    );
    // in the cleaned part, each key appears at most once
    const cleaned = after.filter(([o]) => o < activeBase).map(([, k]) => k);
    expect(new Set(cleaned).size).toBe(cleaned.length);
    expect(log.highWatermark).toBe(30);
  });

  it("removes old tombstones and survives a restart with consistent reads", async () => {
    let m = await open({ cleanupPolicy: "compact", segmentBytes: 300, deleteRetentionMs: 0 });
    let log = await m.create("t", 0);
    const ts = Date.now() - 10_000;
    for (let i = 0; i < 20; i++) {
      await log.append(
        buildRecordBatch({
          timestamp: ts,
          records: [{ key: `k${i % 2}`, value: i < 18 ? `v${i}` : null }],
        }),
        {
          requireFsync: false,
        },
      );
    }
    for (let i = 0; i < 10; i++)
      await log.append(buildRecordBatch({ timestamp: ts, records: [{ key: "z", value: "z" }] }), {
        requireFsync: false,
      });
    await log.compact(Date.now());
    const before = await keysAt(log);
    expect(before.some(([, k, v]) => k.startsWith("k") && v !== null)).toBe(false);
    await m.close();
    m = await open({ cleanupPolicy: "compact", segmentBytes: 300, deleteRetentionMs: 0 });
    log = m.get("t", 0) as PartitionLog;
    expect(await keysAt(log)).toEqual(before);
  });

  it("completes an interrupted swap on open", async () => {
    let m = await open({ cleanupPolicy: "compact", segmentBytes: 300 });
    const log = await m.create("t", 0);
    for (let i = 0; i < 20; i++)
      await log.append(buildRecordBatch({ records: [{ key: "k", value: `v${i}` }] }), {
        requireFsync: false,
      });
    await m.close();
    // A cleaned file for segment 0 holding only its last batch, left as .swap by a "crash".
    const seg0 = path.join(log.dir, segmentFileName(0, ".log"));
    const first = (await (async () => {
      m = await open({ cleanupPolicy: "compact", segmentBytes: 300 });
      const l = m.get("t", 0) as PartitionLog;
      const r = await l.read(0, 1 << 20);
      await m.close();
      return r.records;
    })()) as Buffer[];
    const last = first.at(-1) as Buffer;
    writeFileSync(`${seg0}.swap`, last);
    writeFileSync(`${seg0}.cleaned`, "partial");
    m = await open({ cleanupPolicy: "compact", segmentBytes: 300 });
    const l2 = m.get("t", 0) as PartitionLog;
    expect(existsSync(`${seg0}.swap`)).toBe(false);
    expect(existsSync(`${seg0}.cleaned`)).toBe(false);
    const r = await l2.read(0, 1 << 20);
    expect(r.records.map(baseOffsetOf)).toEqual([baseOffsetOf(last)]);
  });
});
