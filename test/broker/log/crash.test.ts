import { type ChildProcess, spawn } from "node:child_process";
import { createHash, randomBytes } from "node:crypto";
import { appendFileSync, existsSync, readdirSync, rmSync } from "node:fs";
import * as path from "node:path";
import { build } from "esbuild";
import { afterAll, beforeAll, expect, it } from "vitest";
import { buildRecordBatch, LogManager } from "../../../lib/broker/log";
import { batchProblem } from "../../../lib/broker/log/record-batch";
import { tempDir } from "./helpers";

/**
 * Crash harness: a child process appends with fsync-before-ack and is SIGKILLed at random
 * moments (including during its own recovery); after each kill the log is reopened (recovering
 * the tail) and every acknowledged batch must read back byte-identical, and no batch returned
 * may be corrupt. Iterations: SLUICE_CRASH_ITERATIONS (default 50).
 */
const ITERATIONS = Number(process.env.SLUICE_CRASH_ITERATIONS ?? 50);
/** A fresh data directory every this many iterations keeps each check bounded. */
const ITERATIONS_PER_DIR = 10;
const repoRoot = path.resolve(__dirname, "../../..");

let work: { dir: string; cleanup: () => void };
let childJs: string;

beforeAll(async () => {
  work = tempDir("sluice-crash-");
  childJs = path.join(work.dir, "crash-child.js");
  // Bundled once: starting plain node is ~10x faster than tsx per iteration.
  await build({
    entryPoints: [path.join(__dirname, "crash-child.ts")],
    bundle: true,
    platform: "node",
    target: "node20",
    outfile: childJs,
    external: ["@node-rs/crc32"],
    logLevel: "silent",
  });
});

afterAll(() => work.cleanup());

/** Appends a partial batch, zeros or random bytes to the newest segment file. */
function tearTail(dataDir: string, i: number): void {
  const partDir = path.join(dataDir, "crash-0");
  if (!existsSync(partDir)) return;
  const logs = readdirSync(partDir)
    .filter((n) => n.endsWith(".log"))
    .sort();
  const last = logs.at(-1);
  if (last === undefined) return;
  const kind = Math.floor(i / 3) % 3;
  const junk =
    kind === 0
      ? buildRecordBatch({ baseOffset: 1e9, records: [{ value: "torn".repeat(100) }] }).subarray(
          0,
          100,
        )
      : kind === 1
        ? Buffer.alloc(4096)
        : randomBytes(777);
  appendFileSync(path.join(partDir, last), junk);
}

interface Spawned {
  readonly child: ChildProcess;
  readonly exited: Promise<void>;
  stdout: string;
  stderr: string;
}

/** Starts a child that waits for "go" (node start-up overlaps with the parent's checks). */
function prespawn(dataDir: string, seed: number): Spawned {
  const child = spawn(process.execPath, [childJs, dataDir, String(seed)], {
    env: { ...process.env, NODE_PATH: path.join(repoRoot, "node_modules") },
    stdio: ["pipe", "pipe", "pipe"],
  });
  const s: Spawned = {
    child,
    stdout: "",
    stderr: "",
    exited: new Promise((resolve, reject) => {
      child.on("error", reject);
      child.on("exit", (code, signal) => {
        if (signal !== "SIGKILL") reject(new Error(`child exited with ${code}: ${s.stderr}`));
        else resolve();
      });
    }),
  };
  child.stdout?.on("data", (d: Buffer) => {
    s.stdout += d.toString();
  });
  child.stderr?.on("data", (d: Buffer) => {
    s.stderr += d.toString();
  });
  return s;
}

/** Lets the child run, kills it after `killAfterMs` (counted from "ready", or from "go" for early kills). */
async function runAndKill(
  s: Spawned,
  killAfterMs: number,
  early: boolean,
): Promise<Map<number, string>> {
  const kill = (): void => {
    s.child.kill("SIGKILL");
  };
  if (early) setTimeout(kill, killAfterMs);
  else {
    const onData = (): void => {
      if (s.stdout.includes("ready\n")) {
        s.child.stdout?.off("data", onData);
        setTimeout(kill, killAfterMs);
      }
    };
    s.child.stdout?.on("data", onData);
  }
  s.child.stdin?.write("go\n");
  await s.exited;
  const acked = new Map<number, string>();
  for (const line of s.stdout.split("\n")) {
    const [off, hash] = line.split(" ");
    if (off !== undefined && hash !== undefined && off !== "ready") acked.set(Number(off), hash);
  }
  return acked;
}

it(`every acknowledged batch survives ${ITERATIONS} SIGKILLs byte-identical`, {
  timeout: 60_000 + ITERATIONS * 2_000,
}, async () => {
  let dataDir = "";
  let ackedTotal = 0;
  let uncleanOpens = 0;
  let truncatedBytes = 0;
  let all = new Map<number, string>();
  let next: Spawned | undefined;
  for (let i = 0; i < ITERATIONS; i++) {
    if (i % ITERATIONS_PER_DIR === 0) {
      dataDir = path.join(work.dir, `data-${i}`);
      rmSync(dataDir, { recursive: true, force: true });
      all = new Map();
    }
    const killAfter = 5 + ((i * 7919) % 120);
    // Every 5th kill lands early: during start-up or recovery of the previous crash.
    const acked = await runAndKill(next ?? prespawn(dataDir, i + 1), killAfter, i % 5 === 4);
    next =
      i + 1 < ITERATIONS && (i + 1) % ITERATIONS_PER_DIR !== 0
        ? prespawn(dataDir, i + 2)
        : undefined;
    ackedTotal += acked.size;
    // A process kill leaves the page cache intact; every 3rd iteration also simulates what a
    // power loss can leave at the tail: a torn batch, zeros, or garbage.
    if (i % 3 === 1) tearTail(dataDir, i);
    for (const [o, h] of acked) all.set(o, h);

    const mgr = await LogManager.open({ dataDir, maintenanceIntervalMs: 0 });
    if (!mgr.openReport.clean) uncleanOpens++;
    truncatedBytes += mgr.openReport.truncatedBytes;
    if (i % 3 === 1 && !mgr.openReport.clean && mgr.get("crash", 0)) {
      expect(
        mgr.openReport.truncatedBytes,
        `iteration ${i}: torn tail not truncated`,
      ).toBeGreaterThan(0);
    }
    try {
      const log = mgr.get("crash", 0);
      if (all.size > 0) expect(log).toBeDefined();
      if (!log) continue;
      // Every acknowledged batch, byte-identical.
      for (const [off, hash] of all) {
        const r = await log.read(off, 1);
        const b = r.records[0];
        expect(b, `acked offset ${off} missing (iteration ${i})`).toBeDefined();
        if (!b) continue;
        expect(Number(b.readBigInt64BE(0))).toBe(off);
        expect(createHash("sha1").update(b).digest("hex"), `offset ${off} changed`).toBe(hash);
      }
      // No corrupt batch anywhere, offsets contiguous.
      let off = log.logStartOffset;
      while (off < log.highWatermark) {
        const r = await log.read(off, 1 << 20);
        expect(r.records.length).toBeGreaterThan(0);
        for (const b of r.records) {
          expect(batchProblem(b, 0, b.length, true)).toBeUndefined();
          expect(Number(b.readBigInt64BE(0))).toBe(off);
          off = off + b.readInt32BE(23) + 1;
        }
      }
    } finally {
      await mgr.close();
    }
    // Half the time, make the next child start "unclean" even though we closed cleanly.
    if (i % 2 === 0) rmSync(path.join(dataDir, ".sluice-clean-shutdown"), { force: true });
  }
  console.log(
    `crash harness: ${ITERATIONS} kills, ${ackedTotal} acknowledged batches verified, ` +
      `${uncleanOpens} unclean recoveries, ${truncatedBytes} torn bytes truncated`,
  );
  expect(ackedTotal).toBeGreaterThan(0);
});
