/**
 * Log engine benchmark (`npm run bench:log`): append throughput of 1 KiB records in 16 KiB and
 * 1 MiB batches, with an fsync per acknowledged append and without, next to the raw file-write
 * bandwidth measured in the same run with the same write sizes and sync cadence; read
 * throughput from the page cache; recovery time of a 1 GiB log after an unclean shutdown;
 * CRC-32C native vs portable. Prints a Markdown table and writes bench/results/log-<date>.json.
 *
 * Bounded: ~1.5 GiB of writes in total, well under 5 minutes on a 2-core VM. Set
 * SLUICE_BENCH_DIR to put the data on another disk (default: the OS temp directory).
 */
import { execSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { buildRecordBatch, LogManager, type PartitionLog } from "../../lib/broker/log";
import { crc32cNative, crc32cPortable } from "../../lib/broker/log/crc32c";
import { fdatasync, pwriteAll } from "../../lib/broker/log/fs-io";

const KiB = 1024;
const MiB = 1024 * KiB;
const GiB = 1024 * MiB;

interface AppendCase {
  readonly name: string;
  readonly batchBytes: number;
  readonly fsync: boolean;
  readonly totalBytes: number;
}

const CASES: AppendCase[] = [
  {
    name: "16 KiB batches, fsync per append",
    batchBytes: 16 * KiB,
    fsync: true,
    totalBytes: 24 * MiB,
  },
  { name: "16 KiB batches, no fsync", batchBytes: 16 * KiB, fsync: false, totalBytes: 128 * MiB },
  { name: "1 MiB batches, fsync per append", batchBytes: MiB, fsync: true, totalBytes: 128 * MiB },
  { name: "1 MiB batches, no fsync", batchBytes: MiB, fsync: false, totalBytes: 256 * MiB },
];

/** A batch of 1 KiB records whose total size is close to `bytes`. */
function batchOfSize(bytes: number): Buffer {
  const value = randomBytes(KiB);
  const n = Math.max(1, Math.floor(bytes / (KiB + 16)));
  return buildRecordBatch({
    records: Array.from({ length: n }, (_, i) => ({ key: `key-${i}`, value })),
  });
}

function mbps(bytes: number, ms: number): number {
  return bytes / MiB / (ms / 1000);
}

/** Rounds per case: raw and log alternate so that both see the same (noisy, shared) machine. */
const ROUNDS = 8;

/**
 * Raw writer: sequential positional writes of one buffer, optionally fdatasync after each, with
 * the same primitives the log uses (fs.write / fs.fdatasync on a raw descriptor).
 */
class RawWriter {
  private pos = 0;
  private constructor(
    private readonly fd: number,
    private readonly buf: Buffer,
  ) {}
  static open(file: string, size: number): RawWriter {
    return new RawWriter(fs.openSync(file, "w"), randomBytes(size));
  }
  /** Writes `n` buffers; returns elapsed ms. */
  async run(n: number, fsync: boolean): Promise<number> {
    const t0 = performance.now();
    for (let i = 0; i < n; i++) {
      await pwriteAll(this.fd, this.buf, this.pos);
      this.pos += this.buf.length;
      if (fsync) await fdatasync(this.fd);
    }
    return performance.now() - t0;
  }
  close(): void {
    fs.closeSync(this.fd);
  }
}

/**
 * One case: log appends (one at a time, each acknowledged before the next) and raw writes of the
 * same size and sync cadence, alternating in rounds.
 */
async function appendCase(
  dir: string,
  c: AppendCase,
): Promise<{ logMBps: number; rawMBps: number; syncs: number; appends: number }> {
  const dataDir = path.join(dir, `log-${c.batchBytes}-${c.fsync}`);
  const mgr = await LogManager.open({
    dataDir,
    maintenanceIntervalMs: 0,
    defaults: { maxMessageBytes: 4 * MiB },
  });
  const log = await mgr.create("bench", 0);
  const batch = batchOfSize(c.batchBytes);
  const raw = RawWriter.open(path.join(dir, "raw.bin"), batch.length);
  const perRound = Math.max(1, Math.ceil(c.totalBytes / batch.length / ROUNDS));
  let logMs = 0;
  let rawMs = 0;
  for (let r = 0; r < ROUNDS; r++) {
    rawMs += await raw.run(perRound, c.fsync);
    const t0 = performance.now();
    for (let i = 0; i < perRound; i++) await log.append(batch, { requireFsync: c.fsync });
    logMs += performance.now() - t0;
  }
  const syncs = log.syncCount;
  raw.close();
  await mgr.close();
  fs.rmSync(dataDir, { recursive: true, force: true });
  fs.rmSync(path.join(dir, "raw.bin"), { force: true });
  const bytes = perRound * ROUNDS * batch.length;
  return {
    logMBps: mbps(bytes, logMs),
    rawMBps: mbps(bytes, rawMs),
    syncs,
    appends: perRound * ROUNDS,
  };
}

/** Reads the whole log once with 1 MiB fetches; returns MB/s. */
async function readPass(log: PartitionLog): Promise<{ mbps: number; bytes: number }> {
  let bytes = 0;
  const t0 = performance.now();
  let off = 0;
  while (off < log.highWatermark) {
    const r = await log.read(off, MiB);
    for (const b of r.records) {
      bytes += b.length;
      off = Number(b.readBigInt64BE(0)) + b.readInt32BE(23) + 1;
    }
  }
  return { mbps: mbps(bytes, performance.now() - t0), bytes };
}

/**
 * Read throughput from the page cache: `mbps` for what a consumer following the log sees (batches
 * this broker run appended or read before, whose CRC is known good), `firstReadMbps` for the first
 * read after a restart (every batch's CRC-32C checked on the way).
 */
async function readThroughput(
  dir: string,
): Promise<{ mbps: number; firstReadMbps: number; bytes: number }> {
  const dataDir = path.join(dir, "read");
  const opts = { dataDir, maintenanceIntervalMs: 0, defaults: { maxMessageBytes: 4 * MiB } };
  const mgr = await LogManager.open(opts);
  const log = await mgr.create("bench", 0);
  const batch = batchOfSize(MiB);
  for (let i = 0; i < 256; i++) await log.append(batch, { requireFsync: false });
  // Warm pass to make sure everything is in the page cache, then the measured pass.
  await readPass(log);
  const steady = await readPass(log);
  await mgr.close();
  const reopened = await LogManager.open(opts);
  try {
    const first = await readPass(reopened.get("bench", 0) as PartitionLog);
    return { mbps: steady.mbps, firstReadMbps: first.mbps, bytes: steady.bytes };
  } finally {
    await reopened.close();
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
}

async function recoveryTime(
  dir: string,
): Promise<{ uncleanMs: number; cleanMs: number; bytes: number }> {
  const dataDir = path.join(dir, "recovery");
  const defaults = { maxMessageBytes: 4 * MiB, segmentBytes: 2 * GiB };
  const mgr = await LogManager.open({ dataDir, maintenanceIntervalMs: 0, defaults });
  const log = await mgr.create("bench", 0);
  const batch = batchOfSize(MiB);
  const n = Math.ceil(GiB / batch.length);
  for (let i = 0; i < n; i++) await log.append(batch, { requireFsync: false });
  await log.flush();
  const bytes = log.sizeBytes();
  // Unclean: the instance is dropped without close (no marker): the tail segment is scanned.
  let t0 = performance.now();
  const m2 = await LogManager.open({ dataDir, maintenanceIntervalMs: 0, defaults });
  const uncleanMs = performance.now() - t0;
  if (m2.get("bench", 0)?.highWatermark !== log.highWatermark)
    throw new Error("recovery lost data");
  await m2.close();
  t0 = performance.now();
  const m3 = await LogManager.open({ dataDir, maintenanceIntervalMs: 0, defaults });
  const cleanMs = performance.now() - t0;
  await m3.close();
  await mgr.close().catch(() => {});
  fs.rmSync(dataDir, { recursive: true, force: true });
  return { uncleanMs, cleanMs, bytes };
}

function crcThroughput(): { nativeGBps: number | null; portableGBps: number } {
  const buf = randomBytes(MiB);
  const gbps = (fn: (b: Uint8Array) => number, iters: number): number => {
    for (let i = 0; i < 8; i++) fn(buf);
    const t0 = performance.now();
    for (let i = 0; i < iters; i++) fn(buf);
    return (iters * MiB) / GiB / ((performance.now() - t0) / 1000);
  };
  return {
    nativeGBps: crc32cNative ? gbps(crc32cNative, 1024) : null,
    portableGBps: gbps(crc32cPortable, 128),
  };
}

function sh(cmd: string): string {
  try {
    return execSync(cmd, { encoding: "utf8" }).trim();
  } catch {
    return "n/a";
  }
}

async function main(): Promise<void> {
  const base = process.env.SLUICE_BENCH_DIR ?? os.tmpdir();
  const dir = fs.mkdtempSync(path.join(base, "sluice-bench-log-"));
  const started = Date.now();
  const machine = {
    nproc: os.cpus().length,
    cpu: os.cpus()[0]?.model ?? "unknown",
    memGiB: Math.round(os.totalmem() / GiB),
    freeG: sh("free -g | sed -n 2p"),
    loadavgAtStart: os.loadavg().map((x) => Math.round(x * 100) / 100),
    node: process.version,
    platform: `${os.platform()} ${os.release()}`,
    disk: sh(`df -h ${JSON.stringify(base)} | tail -1`),
  };
  try {
    const appends: Array<
      AppendCase & {
        rawMBps: number;
        logMBps: number;
        ratio: number;
        syncs: number;
        appends: number;
      }
    > = [];
    for (const c of CASES) {
      const r = await appendCase(dir, c);
      appends.push({ ...c, ...r, ratio: r.logMBps / r.rawMBps });
      console.error(
        `${c.name}: log ${r.logMBps.toFixed(1)} MB/s, raw ${r.rawMBps.toFixed(1)} MB/s`,
      );
    }
    const read = await readThroughput(dir);
    console.error(
      `read: ${read.mbps.toFixed(0)} MB/s, first after a restart ${read.firstReadMbps.toFixed(0)} MB/s`,
    );
    const recovery = await recoveryTime(dir);
    console.error(
      `recovery: ${recovery.uncleanMs.toFixed(0)} ms unclean, ${recovery.cleanMs.toFixed(0)} ms clean`,
    );
    const crc = crcThroughput();

    const rows = [
      "| measurement | log | raw file writes | log / raw |",
      "| --- | ---: | ---: | ---: |",
      ...appends.map(
        (a) =>
          `| append, ${a.name} | ${a.logMBps.toFixed(1)} MB/s | ${a.rawMBps.toFixed(1)} MB/s | ${a.ratio.toFixed(2)} |`,
      ),
      `| read from page cache (1 MiB fetches) | ${read.mbps.toFixed(0)} MB/s | | |`,
      `| first read after a restart, page cache (CRC-32C of every batch) | ${read.firstReadMbps.toFixed(0)} MB/s | | |`,
      `| recovery of ${(recovery.bytes / GiB).toFixed(2)} GiB, unclean (full tail scan) | ${recovery.uncleanMs.toFixed(0)} ms | | |`,
      `| open of the same log, clean (marker) | ${recovery.cleanMs.toFixed(0)} ms | | |`,
      `| CRC-32C native (@node-rs/crc32), 1 MiB buffers | ${crc.nativeGBps === null ? "n/a" : `${crc.nativeGBps.toFixed(2)} GB/s`} | | |`,
      `| CRC-32C portable (slicing-by-8), 1 MiB buffers | ${crc.portableGBps.toFixed(2)} GB/s | | |`,
    ];
    const md = [
      `Log engine benchmark — ${new Date(started).toISOString()}`,
      `Machine: ${machine.nproc} cores (${machine.cpu}), ${machine.memGiB} GiB RAM, Node ${machine.node}, load ${machine.loadavgAtStart.join(" ")}`,
      "",
      ...rows,
    ].join("\n");
    console.log(md);
    const results = {
      date: new Date(started).toISOString(),
      durationS: (Date.now() - started) / 1000,
      machine,
      appends,
      read,
      recovery,
      crc,
      loadavgAtEnd: os.loadavg(),
    };
    const outDir = path.join(__dirname, "..", "results");
    fs.mkdirSync(outDir, { recursive: true });
    const out = path.join(outDir, `log-${new Date(started).toISOString().slice(0, 10)}.json`);
    fs.writeFileSync(out, `${JSON.stringify(results, null, 2)}\n`);
    console.log(`\nwrote ${path.relative(process.cwd(), out)}`);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

void main();
