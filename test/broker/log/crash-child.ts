/**
 * Child process of the crash harness (crash.test.ts): appends random batches with
 * requireFsync to `argv[2]` forever, with a few appends in flight, and prints one line
 * `<baseOffset> <sha1 of the stored batch bytes>` per acknowledged batch (synchronously, so a
 * line exists only for acknowledged data). It starts on a "go" line on stdin; the parent SIGKILLs
 * it at random moments.
 */
import { createHash } from "node:crypto";
import { writeSync } from "node:fs";
import { buildRecordBatch, LogManager } from "../../../lib/broker/log";

const dataDir = process.argv[2] ?? "";
let seed = Number(process.argv[3] ?? 1);
function rand(): number {
  // xorshift32: deterministic per seed, no dependency
  seed ^= seed << 13;
  seed ^= seed >>> 17;
  seed ^= seed << 5;
  return (seed >>> 0) / 4294967296;
}

/** Resolves on the parent's "go" line: the process can be started while the parent still checks. */
function waitForGo(): Promise<void> {
  return new Promise((resolve) => {
    process.stdin.on("data", (d: Buffer) => {
      if (d.toString().includes("go")) resolve();
    });
  });
}

async function main(): Promise<void> {
  await waitForGo();
  const mgr = await LogManager.open({
    dataDir,
    maintenanceIntervalMs: 0,
    defaults: { segmentBytes: 256 * 1024, indexIntervalBytes: 1024 },
  });
  const log = await mgr.create("crash", 0);
  writeSync(1, "ready\n");
  const worker = async (): Promise<void> => {
    for (;;) {
      const n = 1 + Math.floor(rand() * 8);
      const size = Math.floor(rand() * 4000);
      const batch = buildRecordBatch({
        records: Array.from({ length: n }, (_, i) => ({
          key: `k${i}`,
          value: Buffer.alloc(size, 97 + (i % 26)),
        })),
      });
      const r = await log.append(batch, { requireFsync: true });
      // append() rewrote baseOffset/epoch in place: `batch` now holds the stored bytes.
      writeSync(1, `${r.baseOffset} ${createHash("sha1").update(batch).digest("hex")}\n`);
    }
  };
  await Promise.all([worker(), worker(), worker(), worker()]);
}

void main();
