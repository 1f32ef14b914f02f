/**
 * Side-by-side benchmark of the Sluice broker and Apache Kafka (`npm run bench`). Per repeat:
 * the physical limits, then for each durability mode the Sluice broker and then Kafka, each
 * through the same scenarios with the same client tools. Writes bench/results/<date>-broker.*.
 *
 *   npm run bench -- [--quick] [--repeats N] [--cpu-prof] [--cpu-prof-kcat] [--cpu-prof-consume]
 *                    [--out DIR] [--render RESULT.json]
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import {
  type BrokerKind,
  type Durability,
  type RunningBroker,
  startBroker,
  stopBroker,
} from "./brokers";
import { compileE2e, e2eLatency } from "./e2e";
import { machineInfo } from "./machine";
import { loopbackMBps, rawWriteMBps } from "./physical";
import { installCleanup, killAll, memoryOf, runTool, sampleRss, sleep } from "./proc";
import { summarizeProfile } from "./profile";
import { type BenchResult, writeResults } from "./report";
import {
  consumerPerf,
  createTopics,
  firstAckMs,
  kcatConsume,
  kcatProduce,
  producerPerf,
  writeRecordFile,
} from "./tools";

const ROOT = path.resolve(__dirname, "../..");
const RECORD = 1024;
/**
 * The OpenMessaging-Benchmark-like workload: OMB's "1 topic, 16 partitions, 1 KiB" shape with its
 * Kafka driver's producer settings (acks=all, linger.ms=1) at one fixed rate, the same for both
 * brokers and every run, so its rows compare across runs too.
 */
const OMB = { partitions: 16, rate: 5000, acks: "all", lingerMs: 1 } as const;

/** Sizes of one run. */
interface Plan {
  readonly quick: boolean;
  readonly repeats: number;
  readonly produceRecords: number;
  readonly fsyncRecords: number;
  readonly kcatRecords: number;
  readonly latencySeconds: number;
  /** Seconds of each end-to-end latency run (bench/e2e-latency). */
  readonly e2eSeconds: number;
  readonly capMs: number;
  /** Wall-time budget of the repeats: a repeat that would likely end past it is skipped. */
  readonly budgetMs: number;
  readonly rawSeqMiB: number;
  readonly rawSyncWrites: number;
  readonly loopbackMiB: number;
}

function planFrom(argv: readonly string[]): {
  plan: Plan;
  cpuProf: ProfileLoad | null;
  out: string;
} {
  const quick = argv.includes("--quick");
  const i = argv.indexOf("--repeats");
  const o = argv.indexOf("--out");
  const repeats = i >= 0 ? Math.max(1, Number(argv[i + 1]) || 1) : quick ? 1 : 3;
  const plan: Plan = quick
    ? {
        quick,
        repeats,
        produceRecords: 60_000,
        fsyncRecords: 15_000,
        kcatRecords: 150_000,
        latencySeconds: 4,
        e2eSeconds: 8,
        capMs: 90_000,
        budgetMs: 5 * 60_000,
        rawSeqMiB: 128,
        rawSyncWrites: 1000,
        loopbackMiB: 512,
      }
    : {
        quick,
        repeats,
        produceRecords: 120_000,
        fsyncRecords: 25_000,
        kcatRecords: 300_000,
        latencySeconds: 8,
        e2eSeconds: 20,
        capMs: 180_000,
        budgetMs: 19 * 60_000,
        rawSeqMiB: 256,
        rawSyncWrites: 2000,
        loopbackMiB: 1024,
      };
  const out = o >= 0 ? path.resolve(argv[o + 1] ?? "") : path.join(ROOT, "bench", "results");
  const cpuProf = argv.includes("--cpu-prof-consume")
    ? "consume"
    : argv.includes("--cpu-prof-kcat")
      ? "kcat"
      : argv.includes("--cpu-prof")
        ? "java"
        : null;
  return { plan, cpuProf, out };
}

type Samples = Record<string, { sluice: number[]; kafka: number[] }>;

function libsDir(): Promise<string> {
  return runTool("bash", [path.join(ROOT, "scripts/kafka/fetch-kafka.sh")], {
    timeoutMs: 900_000,
  }).then((r) => r.stdout.trim().split("\n").pop() ?? "");
}

/** Context of one broker lifecycle. */
interface Life {
  readonly b: RunningBroker;
  readonly kind: BrokerKind;
  readonly add: (id: string, v: number) => void;
  readonly note: (msg: string) => void;
}

/** Runs one scenario; a failure is recorded and the run goes on. */
async function attempt(life: Life, name: string, fn: () => Promise<void>): Promise<void> {
  const t0 = performance.now();
  try {
    await fn();
    process.stderr.write(
      `    ${life.kind} ${name}: ${((performance.now() - t0) / 1000).toFixed(1)} s\n`,
    );
  } catch (e) {
    life.note(`${life.kind} ${name}: ${(e as Error).message.slice(0, 400)}`);
    process.stderr.write(
      `    ${life.kind} ${name} FAILED: ${(e as Error).message.slice(0, 400)}\n`,
    );
  }
}

async function main(): Promise<void> {
  installCleanup();
  const argv = process.argv.slice(2);
  const render = argv.indexOf("--render");
  if (render >= 0) {
    // Re-renders the Markdown and SVG of a stored result (after a change to the report code).
    const file = path.resolve(argv[render + 1] ?? "");
    const stored = JSON.parse(fs.readFileSync(file, "utf8")) as BenchResult;
    process.stderr.write(`wrote ${writeResults(stored, path.dirname(file)).join(", ")}\n`);
    return;
  }
  const { plan, cpuProf, out } = planFrom(argv);
  const started = new Date();
  const loadStart = os.loadavg();
  const work = fs.mkdtempSync(
    path.join(process.env.SLUICE_BENCH_DIR ?? os.tmpdir(), "sluice-bench-"),
  );
  process.stderr.write(
    `bench: ${plan.quick ? "quick" : "full"}, ${plan.repeats} repeat(s), work dir ${work}\n`,
  );
  const libs = await libsDir();
  const recordFile = path.join(work, "records-1k.txt");
  writeRecordFile(recordFile, plan.kcatRecords, RECORD);
  const samples: Samples = {};
  const limits: Record<string, number[]> = {};
  const notes: string[] = [];
  let latencyRates: { r25: number; r50: number } | null = null;
  const addLimit = (id: string, v: number) => {
    limits[id] ??= [];
    limits[id].push(v);
  };

  try {
    if (cpuProf) {
      await profileRun(plan, libs, work, out, started, cpuProf, recordFile);
      fs.rmSync(work, { recursive: true, force: true });
      return;
    }
    const t0 = performance.now();
    for (let rep = 0; rep < plan.repeats; rep++) {
      const spent = performance.now() - t0;
      // Skip a repeat that would likely end past the budget (a repeat takes about as long as the last).
      if (rep > 0 && spent + spent / rep > plan.budgetMs) {
        notes.push(`time budget used after ${rep} repeat(s): the remaining repeats were skipped`);
        break;
      }
      process.stderr.write(`repeat ${rep + 1}/${plan.repeats}: physical limits\n`);
      addLimit("raw.seq1m", await rawWriteMBps(work, 2 ** 20, plan.rawSeqMiB, false));
      addLimit("raw.sync16k", await rawWriteMBps(work, 16 * 1024, plan.rawSyncWrites, true));
      addLimit("loopback", await loopbackMBps(plan.loopbackMiB * 2 ** 20));
      for (const durability of ["fsync", "nofsync"] as Durability[]) {
        for (const kind of ["sluice", "kafka"] as BrokerKind[]) {
          process.stderr.write(`repeat ${rep + 1}: ${kind}, ${durability}\n`);
          const dataDir = path.join(work, `rep${rep}-${kind}`);
          const b = await startBroker({ kind, durability, dataDir, root: ROOT });
          const life: Life = {
            b,
            kind,
            add: (id, v) => {
              samples[id] ??= { sluice: [], kafka: [] };
              samples[id][kind].push(v);
            },
            note: (m) => notes.push(`repeat ${rep + 1}, ${durability}: ${m}`),
          };
          try {
            const startMs = await firstAckMs(b, 120_000, path.join(work, "first.txt"));
            life.add(durability === "fsync" ? "startup.fresh" : "startup.restart", startMs);
            if (durability === "fsync") {
              await fsyncScenarios(life, plan, libs);
            } else {
              await sleep(1000);
              const idle = memoryOf(b.pid);
              if (idle) life.add("rss.idle", idle.rssMiB);
              const rates = await mainScenarios(life, plan, libs, recordFile, latencyRates);
              if (latencyRates === null && kind === "sluice") latencyRates = rates;
              const m = memoryOf(b.pid);
              if (m) life.add("rss.hwm", m.hwmMiB);
            }
          } catch (e) {
            life.note(`${kind} lifecycle: ${(e as Error).message.slice(0, 400)}`);
            process.stderr.write(`  ${kind} FAILED: ${(e as Error).message}\n`);
          } finally {
            await stopBroker(b);
          }
        }
      }
      for (const kind of ["sluice", "kafka"]) {
        fs.rmSync(path.join(work, `rep${rep}-${kind}`), { recursive: true, force: true });
      }
    }
  } finally {
    killAll();
  }
  const result: BenchResult = {
    started: started.toISOString(),
    finished: new Date().toISOString(),
    quick: plan.quick,
    repeats: plan.repeats,
    plan: { ...plan },
    machine: await machineInfo(work, libs),
    loadAverage: { start: loadStart, end: os.loadavg() },
    latencyRates,
    samples,
    limits,
    notes,
  };
  const files = writeResults(result, out);
  fs.rmSync(work, { recursive: true, force: true });
  process.stderr.write(`wrote ${files.join(", ")}\n`);
}

/** acks=all with fsync before the ack: Sluice's default, Kafka with log.flush.interval.messages=1. */
async function fsyncScenarios(life: Life, plan: Plan, libs: string): Promise<void> {
  await createTopics(life.b, [
    { topic: "fsync-p1", partitions: 1 },
    { topic: "fsync-p8", partitions: 8 },
  ]);
  for (const p of [1, 8]) {
    await attempt(life, `produce fsync p${p}`, async () => {
      const r = await producerPerf(libs, life.b, {
        topic: `fsync-p${p}`,
        num: plan.fsyncRecords,
        size: RECORD,
        acks: "all",
        throughput: -1,
        capMs: plan.capMs,
      });
      life.add(`produce.fsync.p${p}`, r.mbPerSec);
    });
  }
}

/** Throughput, consume, latency and memory without forced fsync. Returns the latency rates. */
async function mainScenarios(
  life: Life,
  plan: Plan,
  libs: string,
  recordFile: string,
  rates: { r25: number; r50: number } | null,
): Promise<{ r25: number; r50: number } | null> {
  const { b } = life;
  await createTopics(b, [
    { topic: "p1", partitions: 1 },
    { topic: "p8", partitions: 8 },
    { topic: "all-p1", partitions: 1 },
    { topic: "all-p8", partitions: 8 },
    { topic: "kcat-p1", partitions: 1 },
    { topic: "kcat-p8", partitions: 8 },
    { topic: "omb16", partitions: OMB.partitions },
    { topic: "lat25", partitions: 1 },
    { topic: "e2e25", partitions: 1 },
    { topic: "e2e50", partitions: 1 },
    { topic: "lat50", partitions: 1 },
  ]);
  const stopRss = sampleRss(b.pid);
  let maxRecordsPerSec = 0;
  for (const [acks, prefix, id] of [
    ["1", "p", "acks1"],
    ["all", "all-p", "acksall"],
  ] as const) {
    for (const p of [1, 8]) {
      await attempt(life, `produce acks=${acks} p${p}`, async () => {
        const r = await producerPerf(libs, b, {
          topic: `${prefix}${p}`,
          num: plan.produceRecords,
          size: RECORD,
          acks,
          throughput: -1,
          capMs: plan.capMs,
        });
        life.add(`produce.${id}.p${p}`, r.mbPerSec);
        if (id === "acks1" && p === 1) maxRecordsPerSec = r.recordsPerSec;
      });
    }
  }
  for (const p of [1, 8]) {
    await attempt(life, `kcat produce p${p}`, async () => {
      const r = await kcatProduce(b, {
        topic: `kcat-p${p}`,
        file: recordFile,
        n: plan.kcatRecords,
        size: RECORD,
        acks: "1",
        capMs: plan.capMs,
      });
      life.add(`produce.kcat.acks1.p${p}`, r.mbPerSec);
    });
  }
  life.add("rss.load", stopRss());
  // Reads back what the acks=1 ProducerPerformance and kcat runs wrote, on 1 and 8 partitions.
  for (const p of [1, 8]) {
    await attempt(life, `consume ConsumerPerformance p${p}`, async () => {
      const r = await consumerPerf(libs, b, {
        topic: `p${p}`,
        num: plan.produceRecords,
        group: `bench-${Date.now()}`,
        capMs: plan.capMs,
      });
      life.add(`consume.perf.p${p}`, r.mbPerSec);
      life.add(`consume.perf.fetch.p${p}`, r.fetchMbPerSec);
      if (p === 1) life.add("consume.perf.join", r.rebalanceMs);
    });
  }
  for (const p of [1, 8]) {
    await attempt(life, `consume kcat p${p}`, async () => {
      const r = await kcatConsume(b, {
        topic: `kcat-p${p}`,
        n: plan.kcatRecords,
        size: RECORD,
        capMs: plan.capMs,
      });
      life.add(`consume.kcat.p${p}`, r.mbPerSec);
    });
  }
  // Latency at fixed rates: 25% and 50% of Sluice's measured acks=1 maximum (first repeat).
  const use =
    rates ??
    (maxRecordsPerSec > 0
      ? { r25: Math.round(maxRecordsPerSec * 0.25), r50: Math.round(maxRecordsPerSec * 0.5) }
      : null);
  if (use) {
    for (const key of ["r25", "r50"] as const) {
      await attempt(life, `latency ${key}`, async () => {
        const rate = use[key];
        const r = await producerPerf(libs, b, {
          topic: key === "r25" ? "lat25" : "lat50",
          num: Math.max(1000, rate * plan.latencySeconds),
          size: RECORD,
          acks: "1",
          throughput: rate,
          capMs: plan.capMs,
        });
        life.add(`latency.${key}.p50`, r.p50Ms);
        life.add(`latency.${key}.p99`, r.p99Ms);
        life.add(`latency.${key}.p999`, r.p999Ms);
        if (r.recordsPerSec < rate * 0.9) {
          life.note(
            `${life.kind} latency ${key}: achieved ${r.recordsPerSec.toFixed(0)} of ${rate} records/s`,
          );
        }
      });
    }
    for (const key of ["r25", "r50"] as const) {
      await attempt(life, `e2e latency ${key}`, () =>
        endToEnd(life, libs, `e2e.${key}`, `e2e latency ${key}`, {
          topic: key === "r25" ? "e2e25" : "e2e50",
          rate: use[key],
          seconds: plan.e2eSeconds,
          size: RECORD,
          capMs: plan.capMs,
        }),
      );
    }
  }
  await attempt(life, "OMB-like workload", () =>
    endToEnd(life, libs, "omb", "OMB-like workload", {
      topic: "omb16",
      rate: OMB.rate,
      seconds: plan.e2eSeconds,
      size: RECORD,
      capMs: plan.capMs,
      partitions: OMB.partitions,
      acks: OMB.acks,
      lingerMs: OMB.lingerMs,
    }),
  );
  return use;
}

/**
 * One run of the end-to-end latency driver: records `<id>.p50`, `.p99` and `.p999`, and notes when
 * fewer records arrived than were sent.
 */
async function endToEnd(
  life: Life,
  libs: string,
  id: string,
  what: string,
  o: Parameters<typeof e2eLatency>[3],
): Promise<void> {
  e2eClasses ??= await compileE2e(libs);
  const r = await e2eLatency(libs, e2eClasses, life.b, o);
  life.add(`${id}.p50`, r.p50Ms);
  life.add(`${id}.p99`, r.p99Ms);
  life.add(`${id}.p999`, r.p999Ms);
  if (r.count < r.sent) life.note(`${life.kind} ${what}: received ${r.count} of ${r.sent} records`);
}

/** The compiled end-to-end latency driver, compiled on first use. */
let e2eClasses: string | undefined;

/** The Java tools' load for the profile: produce acks=1, produce acks=all (fsync), consume. */
async function javaLoad(life: Life, plan: Plan, libs: string): Promise<void> {
  for (const [topic, acks, num] of [
    ["prof-p1", "1", plan.produceRecords],
    ["prof-fsync", "all", plan.fsyncRecords],
  ] as const) {
    await attempt(life, `profile produce acks=${acks}`, async () => {
      const r = await producerPerf(libs, life.b, {
        topic,
        num,
        size: RECORD,
        acks,
        throughput: -1,
        capMs: plan.capMs,
      });
      process.stderr.write(`    ${r.mbPerSec} MB/s, p99 ${r.p99Ms} ms\n`);
    });
  }
  await attempt(life, "profile consume", async () => {
    const r = await consumerPerf(libs, life.b, {
      topic: "prof-p1",
      num: plan.produceRecords,
      group: "prof",
      capMs: plan.capMs,
    });
    process.stderr.write(`    consume ${r.mbPerSec} MB/s (fetch ${r.fetchMbPerSec} MB/s)\n`);
  });
}

/** The librdkafka load for the profile: kcat -P acks=1 and acks=all, twice each, then kcat -C. */
async function kcatLoad(life: Life, plan: Plan, recordFile: string): Promise<void> {
  for (let i = 0; i < 2; i++) {
    for (const [topic, acks] of [
      ["prof-p1", "1"],
      ["prof-fsync", "all"],
    ] as const) {
      await attempt(life, `profile kcat -P acks=${acks}`, async () => {
        const r = await kcatProduce(life.b, {
          topic,
          file: recordFile,
          n: plan.kcatRecords,
          size: RECORD,
          acks,
          capMs: plan.capMs,
        });
        process.stderr.write(`    ${r.mbPerSec.toFixed(1)} MB/s\n`);
      });
    }
  }
  for (let i = 0; i < 2; i++) {
    await attempt(life, "profile kcat -C", async () => {
      const r = await kcatConsume(life.b, {
        topic: "prof-p1",
        n: 2 * plan.kcatRecords,
        size: RECORD,
        capMs: plan.capMs,
      });
      process.stderr.write(`    ${r.mbPerSec.toFixed(1)} MB/s\n`);
    });
  }
}

/** The loads a profile run can put on the broker. */
type ProfileLoad = "java" | "kcat" | "consume";

/**
 * The read path alone: kcat -C and ConsumerPerformance on 1 and 8 partitions, twice each, against a
 * broker restarted on data written beforehand (so the profile holds no produce work).
 */
async function consumeLoad(life: Life, plan: Plan, libs: string): Promise<void> {
  for (let i = 0; i < 2; i++) {
    for (const p of [1, 8]) {
      await attempt(life, `profile kcat -C p${p}`, async () => {
        const r = await kcatConsume(life.b, {
          topic: `prof-p${p}`,
          n: plan.kcatRecords,
          size: RECORD,
          capMs: plan.capMs,
        });
        process.stderr.write(`    ${r.mbPerSec.toFixed(1)} MB/s\n`);
      });
      await attempt(life, `profile ConsumerPerformance p${p}`, async () => {
        const r = await consumerPerf(libs, life.b, {
          topic: `prof-p${p}`,
          num: plan.kcatRecords,
          group: `prof-${i}-${p}`,
          capMs: plan.capMs,
        });
        process.stderr.write(`    ${r.mbPerSec} MB/s (fetch ${r.fetchMbPerSec} MB/s)\n`);
      });
    }
  }
}

/** Writes the consume profile's data: kcat -P of the record file into prof-p1 and prof-p8. */
async function writeConsumeData(dataDir: string, work: string, plan: Plan, recordFile: string) {
  const b = await startBroker({ kind: "sluice", durability: "nofsync", dataDir, root: ROOT });
  try {
    await firstAckMs(b, 120_000, path.join(work, "first.txt"));
    await createTopics(b, [
      { topic: "prof-p1", partitions: 1 },
      { topic: "prof-p8", partitions: 8 },
    ]);
    for (const p of [1, 8]) {
      await kcatProduce(b, {
        topic: `prof-p${p}`,
        file: recordFile,
        n: plan.kcatRecords,
        size: RECORD,
        acks: "1",
        capMs: plan.capMs,
      });
    }
  } finally {
    await stopBroker(b);
  }
}

/**
 * One Sluice broker under `node --cpu-prof` with the Java tools', kcat's or the consume-only load;
 * writes the top self-time functions to `<date>-broker-profile-<load>.md` (the .cpuprofile stays in
 * the work dir).
 */
async function profileRun(
  plan: Plan,
  libs: string,
  work: string,
  out: string,
  started: Date,
  load: ProfileLoad,
  recordFile: string,
): Promise<void> {
  const profDir = path.join(work, "prof");
  fs.mkdirSync(profDir, { recursive: true });
  const dataDir = path.join(work, "prof-data");
  if (load === "consume") await writeConsumeData(dataDir, work, plan, recordFile);
  const b = await startBroker({
    kind: "sluice",
    durability: "fsync",
    dataDir,
    root: ROOT,
    nodeFlags: ["--cpu-prof", `--cpu-prof-dir=${profDir}`],
  });
  const notes: string[] = [];
  const life: Life = { b, kind: "sluice", add: () => undefined, note: (m) => notes.push(m) };
  try {
    await firstAckMs(b, 120_000, path.join(work, "first.txt"));
    if (load === "consume") await consumeLoad(life, plan, libs);
    else {
      await createTopics(b, [
        { topic: "prof-p1", partitions: 1 },
        { topic: "prof-fsync", partitions: 1 },
      ]);
      if (load === "kcat") await kcatLoad(life, plan, recordFile);
      else await javaLoad(life, plan, libs);
    }
  } finally {
    await stopBroker(b);
  }
  const prof = fs.readdirSync(profDir).find((f) => f.endsWith(".cpuprofile"));
  if (!prof) throw new Error("no .cpuprofile written");
  const md = summarizeProfile(JSON.parse(fs.readFileSync(path.join(profDir, prof), "utf8")), 25);
  fs.mkdirSync(out, { recursive: true });
  const file = path.join(out, `${started.toISOString().slice(0, 10)}-broker-profile-${load}.md`);
  const title = {
    kcat: "kcat -P (acks=1, acks=all) and kcat -C",
    java: "ProducerPerformance (acks=1, acks=all) and ConsumerPerformance",
    consume: "kcat -C and ConsumerPerformance on 1 and 8 partitions (consume only)",
  }[load];
  fs.writeFileSync(
    file,
    `# Sluice broker CPU profile under ${title}\n\n${notes.join("\n")}\n\n${md}`,
  );
  process.stderr.write(`${md}\nwrote ${file}\n`);
}

main().catch((e: unknown) => {
  killAll();
  process.stderr.write(
    `bench failed: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`,
  );
  process.exit(1);
});
