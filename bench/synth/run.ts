/**
 * Synth benchmark (`npm run bench:synth`): how long `cdktf synth` of Sluice apps takes.
 *
 * - in-process `app.synth()` of the default app (apps/local): the first run includes the esbuild
 *   bundle of the broker; later runs reuse it (one bundle per process);
 * - in-process synth of generated stacks up to 1,000 topics and 50 tenants, to show how it grows;
 * - one `npx cdktf synth` of the default app, wall time (CLI start-up included).
 *
 * Options: `--runs N` (default 5), `--skip-cli`. Prints a table and a JSON summary line.
 */
import { execFileSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { App } from "cdktf";
import { LocalStack } from "../../apps/local/local-stack";
import { LargeStack } from "./large-stack";

const args = process.argv.slice(2);
const runs = Number(args[args.indexOf("--runs") + 1] ?? 5) || 5;
const skipCli = args.includes("--skip-cli");
const scratch = fs.mkdtempSync(path.join(os.tmpdir(), "sluice-bench-synth-"));

function median(xs: readonly number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 === 1 ? (s[mid] ?? 0) : ((s[mid - 1] ?? 0) + (s[mid] ?? 0)) / 2;
}

/** Builds and synthesizes one app into a fresh output directory; returns ms and output size. */
function synthOnce(build: (app: App, lockFile: string) => void): {
  ms: number;
  cpuMs: number;
  bytes: number;
} {
  const outdir = fs.mkdtempSync(path.join(scratch, "out-"));
  const lockFile = path.join(outdir, "sluice.lock.json");
  const start = process.hrtime.bigint();
  const cpuStart = process.cpuUsage();
  const app = new App({ outdir, skipValidation: false });
  build(app, lockFile);
  app.synth();
  const ms = Number(process.hrtime.bigint() - start) / 1e6;
  const cpu = process.cpuUsage(cpuStart);
  const cpuMs = (cpu.user + cpu.system) / 1000;
  let bytes = 0;
  for (const f of fs.readdirSync(outdir, { recursive: true }).map(String)) {
    if (f.endsWith("cdk.tf.json")) bytes += fs.statSync(path.join(outdir, f)).size;
  }
  fs.rmSync(outdir, { recursive: true, force: true });
  return { ms, cpuMs, bytes };
}

interface Row {
  readonly case: string;
  readonly topics: number;
  readonly tenants: number;
  readonly medianMs: number;
  readonly minMs: number;
  /** CPU time of this process (user + system): less sensitive than wall time to other load. */
  readonly medianCpuMs: number;
  readonly jsonKiB: number;
}

const rows: Row[] = [];
function measure(
  name: string,
  topics: number,
  tenants: number,
  build: (app: App, lock: string) => void,
) {
  const samples = Array.from({ length: runs }, () => synthOnce(build));
  const ms = samples.map((s) => s.ms);
  rows.push({
    case: name,
    topics,
    tenants,
    medianMs: Math.round(median(ms)),
    minMs: Math.round(Math.min(...ms)),
    medianCpuMs: Math.round(median(samples.map((x) => x.cpuMs))),
    jsonKiB: Math.round((samples[0]?.bytes ?? 0) / 1024),
  });
}

// The first synth in the process bundles the broker with esbuild.
const first = synthOnce((app, lockFile) => new LocalStack(app, "sluice-local", { lockFile }));
rows.push({
  case: "default app, first (esbuild)",
  topics: 2,
  tenants: 2,
  medianMs: Math.round(first.ms),
  minMs: Math.round(first.ms),
  medianCpuMs: Math.round(first.cpuMs),
  jsonKiB: Math.round(first.bytes / 1024),
});
measure(
  "default app (apps/local)",
  2,
  2,
  (app, lockFile) => new LocalStack(app, "sluice-local", { lockFile }),
);
for (const [topics, tenants] of [
  [100, 5],
  [250, 12],
  [500, 25],
  [1000, 50],
] as const) {
  measure(
    "generated",
    topics,
    tenants,
    (app, lockFile) => new LargeStack(app, "large", { topics, tenants, lockFile }),
  );
}

let cliMs: number | undefined;
if (!skipCli) {
  const root = path.resolve(__dirname, "..", "..");
  const output = path.join(scratch, "cli-out");
  const start = process.hrtime.bigint();
  execFileSync(path.join(root, "node_modules", ".bin", "cdktf"), ["synth", "--output", output], {
    cwd: root,
    env: {
      ...process.env,
      CHECKPOINT_DISABLE: "1",
      SLUICE_LOCK_FILE: path.join(scratch, "cli.lock.json"),
    },
    stdio: "ignore",
  });
  cliMs = Math.round(Number(process.hrtime.bigint() - start) / 1e6);
}

const base = rows.find((r) => r.case === "generated" && r.topics === 100);
console.log(
  `node ${process.version}, ${os.cpus().length} cores, load average ${os.loadavg()[0]?.toFixed(1)}, ${runs} runs per case`,
);
console.log(
  "case                          topics tenants  median ms   min ms   cpu ms  cdk.tf.json KiB  cpu ms/topic",
);
for (const r of rows) {
  const perTopic = r.topics >= 100 ? (r.medianCpuMs / r.topics).toFixed(2) : "";
  console.log(
    `${r.case.padEnd(30)}${String(r.topics).padStart(6)}${String(r.tenants).padStart(8)}${String(r.medianMs).padStart(11)}${String(r.minMs).padStart(9)}${String(r.medianCpuMs).padStart(9)}${String(r.jsonKiB).padStart(17)}${perTopic.padStart(14)}`,
  );
}
const largest = rows[rows.length - 1];
if (base && largest && largest !== base) {
  console.log(
    `growth: ${largest.topics / base.topics}x topics/tenants → ${(largest.medianMs / base.medianMs).toFixed(1)}x wall, ${(largest.medianCpuMs / base.medianCpuMs).toFixed(1)}x CPU time`,
  );
}
if (cliMs !== undefined) console.log(`npx cdktf synth (apps/local), wall: ${cliMs} ms`);
console.log(JSON.stringify({ bench: "synth", runs, rows, cliWallMs: cliMs ?? null }));
fs.rmSync(scratch, { recursive: true, force: true });
