/**
 * Many-partitions check (`npx tsx bench/log/partitions.ts [count]`, default 10,000): creates the
 * partitions with the default fd budget (1024), appends and reads one batch in each, closes,
 * reopens cleanly and reads again, reporting times and the process's open descriptors
 * (/proc/self/fd) so the budget is visible.
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { buildRecordBatch, LogManager } from "../../lib/broker/log";

function openFds(): number {
  try {
    return fs.readdirSync("/proc/self/fd").length;
  } catch {
    return -1;
  }
}

async function main(): Promise<void> {
  const n = Number(process.argv[2] ?? 10_000);
  const dir = fs.mkdtempSync(
    path.join(process.env.SLUICE_BENCH_DIR ?? os.tmpdir(), "sluice-parts-"),
  );
  try {
    let t0 = performance.now();
    const mgr = await LogManager.open({ dataDir: dir, maintenanceIntervalMs: 0 });
    const batch = buildRecordBatch({ records: [{ key: "k", value: "v".repeat(100) }] });
    for (let p = 0; p < n; p++) {
      const log = await mgr.create(`t${p % 100}`, Math.floor(p / 100));
      await log.append(Buffer.from(batch), { requireFsync: false });
    }
    const createS = (performance.now() - t0) / 1000;
    let maxFds = openFds();
    t0 = performance.now();
    for (const log of mgr.all()) {
      const r = await log.read(0, 1000);
      if (r.records.length !== 1) throw new Error(`${log.topic}-${log.partition}: nothing read`);
      maxFds = Math.max(maxFds, openFds());
    }
    const readS = (performance.now() - t0) / 1000;
    await mgr.close();
    t0 = performance.now();
    const m2 = await LogManager.open({ dataDir: dir, maintenanceIntervalMs: 0 });
    const reopenS = (performance.now() - t0) / 1000;
    let count = 0;
    for (const log of m2.all()) {
      if ((await log.read(0, 1000)).records.length === 1) count++;
    }
    maxFds = Math.max(maxFds, openFds());
    await m2.close();
    console.log(
      JSON.stringify({
        partitions: n,
        createAndAppendS: createS,
        readAllS: readS,
        cleanReopenS: reopenS,
        readAfterReopen: count,
        maxOpenFds: maxFds,
      }),
    );
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

void main();
