/**
 * Quota benchmark (`npm run bench:quota`): the acceptance measurement of client quotas.
 *
 * "A tenant capped at X MiB/s that offers >= 3X gets X within ±15 % over 20 s; a second tenant on
 * the same broker keeps >= 80 % of its solo throughput" — for producer_byte_rate and for
 * consumer_byte_rate. One Sluice broker (the esbuild bundle the image runs, its own process) with
 * a SASL_PLAINTEXT listener and two tenants, `alpha` and `beta`, whose users log in with
 * SCRAM-SHA-512; the caps are set on the user `alpha-app` through AlterClientQuotas by the admin.
 * Then, informational (no criterion): how much broker CPU a tenant held to request_percentage uses.
 *
 *   npm run bench:quota -- [--cap MiBps (5)] [--seconds N (20)] [--out DIR (bench/results)]
 *
 * Writes `<out>/quota-<date>.md` and `.json`. About 115 s; never past 3 minutes (each phase has
 * a fixed length). Every process it starts is killed on exit. SLUICE_BENCH_DIR moves the data
 * directory (default: the OS temp directory).
 */
import { execSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { KafkaConnection } from "../../lib/admin/kafka-connection";
import { saslLogin } from "../../lib/admin/sasl-login";
import { buildRecordBatch } from "../../lib/broker/log";
import { ApiKey as K } from "../../lib/broker/protocol";
import {
  BrokerError,
  canConnect,
  type RunningBroker,
  startBroker,
  stopBroker,
} from "../broker/brokers";
import { type BaseMachineInfo, baseMachineInfo, sh } from "../broker/machine";
import { installCleanup, sleep } from "../broker/proc";

const MiB = 1024 * 1024;
const args = process.argv.slice(2);
const arg = (name: string): string | undefined => {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : undefined;
};
const CAP_MIB = Number(arg("--cap") ?? 5);
const CAPPED_S = Number(arg("--seconds") ?? 20);
const root = path.resolve(__dirname, "../..");
const OUT = path.resolve(arg("--out") ?? path.join(root, "bench/results"));
/**
 * The neighbour's solo windows before and after the capped run (it runs next to the capped tenant
 * for the whole capped run): long, because its rate swings ±20 % from second to second here.
 */
const SOLO_S = 10;
/** The capped tenant's unthrottled rate is measured for this long before the caps are set. */
const DEMAND_S = 3;
/** Criteria of the acceptance. */
const TOLERANCE = 0.15;
const MIN_SHARE = 0.8;
/** Offered load must be at least this multiple of the cap for the measurement to count. */
const MIN_OFFER = 3;
/** request_percentage phase: the quota (% of one thread) and its windows. */
const REQUEST_PERCENT = 10;
const REQUEST_S = 6;

const USERS = { admin: "admin-secret", "alpha-app": "alpha-secret", "beta-app": "beta-secret" };
type User = keyof typeof USERS;

/** A produce request's records: 16 records of 16 KiB (256 KiB), or 1 record of 16 KiB. */
const BIG_BATCH = buildRecordBatch({
  records: Array.from({ length: 16 }, () => ({ value: Buffer.alloc(16 * 1024, 7) })),
});
const SMALL_BATCH = buildRecordBatch({ records: [{ value: Buffer.alloc(16 * 1024, 7) }] });

// ------------------------------------------------------------------------------------ broker

function envName(user: User): string {
  return `SLUICE_BENCH_PW_${user.replace(/-/g, "_").toUpperCase()}`;
}

/** Starts the bundled broker with the two tenants and waits until it accepts connections. */
async function startSaslBroker(dataDir: string): Promise<RunningBroker> {
  const security = {
    saslMechanisms: ["SCRAM-SHA-512"],
    superUsers: ["User:admin"],
    authorizationEnabled: true,
    bootstrapUsers: (Object.keys(USERS) as User[]).map((user) => ({
      user,
      passwordEnv: envName(user),
    })),
    tenants: [
      { name: "alpha", topicPrefix: "alpha.", groupPrefix: "alpha-", principals: ["alpha-app"] },
      { name: "beta", topicPrefix: "beta.", groupPrefix: "beta-", principals: ["beta-app"] },
    ],
  };
  const configFile = path.join(dataDir, "broker.json");
  fs.writeFileSync(configFile, JSON.stringify({ security }, null, 2));
  const env: Record<string, string> = {};
  for (const [user, password] of Object.entries(USERS)) env[envName(user as User)] = password;
  const b = await startBroker({
    kind: "sluice",
    durability: "fsync",
    dataDir,
    root,
    listenerProtocol: "SASL_PLAINTEXT",
    configFile,
    env,
  });
  while (!(await canConnect(b.port))) {
    if (b.child.exitCode !== null || performance.now() - b.spawnedAt > 30_000) {
      throw new BrokerError(`the broker did not start; see ${b.logFile}`);
    }
    await sleep(50);
  }
  return b;
}

/** CPU seconds (user + system) the process has used so far, from /proc. */
function cpuSeconds(pid: number): number {
  const stat = fs.readFileSync(`/proc/${pid}/stat`, "utf8");
  // Fields after the parenthesised command name; utime and stime are fields 14 and 15.
  const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  const ticks = Number(fields[11]) + Number(fields[12]);
  return ticks / CLK_TCK;
}
const CLK_TCK = Number(execSync("getconf CLK_TCK", { encoding: "utf8" }).trim()) || 100;

// ------------------------------------------------------------------------------------ loads

/** What one client loop achieved in its window. */
interface LoopResult {
  /** Record bytes acknowledged (produce) or received (fetch) inside the window. */
  readonly bytes: number;
  readonly requests: number;
  readonly seconds: number;
  /** Requests whose response carried throttle_time_ms > 0. */
  readonly throttled: number;
  readonly maxThrottleMs: number;
  /** Bytes per second of the window, second by second. */
  readonly perSecond: number[];
}

const rate = (r: LoopResult): number => r.bytes / MiB / r.seconds;

/** Window bookkeeping shared by the loops. */
class Window {
  readonly startMs = performance.now();
  bytes = 0;
  requests = 0;
  throttled = 0;
  maxThrottleMs = 0;
  readonly perSecond: number[];

  constructor(readonly seconds: number) {
    this.perSecond = new Array<number>(Math.ceil(seconds)).fill(0);
  }

  get open(): boolean {
    return performance.now() - this.startMs < this.seconds * 1000;
  }

  /** Counts a response that arrived now; bytes after the window closed do not count. */
  count(bytes: number, throttleMs: number): void {
    const at = (performance.now() - this.startMs) / 1000;
    if (at >= this.seconds) return;
    this.requests++;
    this.bytes += bytes;
    const i = Math.floor(at);
    this.perSecond[i] = (this.perSecond[i] ?? 0) + bytes;
    if (throttleMs > 0) this.throttled++;
    this.maxThrottleMs = Math.max(this.maxThrottleMs, throttleMs);
  }

  result(): LoopResult {
    return {
      bytes: this.bytes,
      requests: this.requests,
      seconds: this.seconds,
      throttled: this.throttled,
      maxThrottleMs: this.maxThrottleMs,
      perSecond: this.perSecond.map((b) => Math.round((b / MiB) * 1000) / 1000),
    };
  }
}

/**
 * Produces `batch` to partition 0 of `topic` (acks=1) for `seconds`, the next request as soon as
 * the previous answer arrives — like a client with more data than its quota, which it does not
 * hold back: the broker's muting does the holding.
 */
async function produceLoop(
  user: User,
  topic: string,
  seconds: number,
  batch = BIG_BATCH,
): Promise<LoopResult> {
  const c = await login(user);
  try {
    const w = new Window(seconds);
    while (w.open) {
      const r = await c.send(K.Produce, 9, {
        acks: 1,
        timeoutMs: 30_000,
        topicData: [{ name: topic, partitionData: [{ index: 0, records: batch }] }],
      });
      const code = r.responses[0]?.partitionResponses[0]?.errorCode;
      if (code !== 0) throw new QuotaBenchError(`produce to ${topic} failed: error ${code}`);
      w.count(batch.length, r.throttleTimeMs);
    }
    return w.result();
  } finally {
    c.close();
  }
}

/** The offset after the last complete record batch in `records` (v2 batch header). */
function nextOffset(records: Buffer, current: bigint): bigint {
  let pos = 0;
  let next = current;
  while (pos + 27 <= records.length) {
    const size = 12 + records.readInt32BE(pos + 8);
    if (pos + size > records.length) break;
    next = records.readBigInt64BE(pos) + BigInt(records.readInt32BE(pos + 23)) + 1n;
    pos += size;
  }
  return next;
}

/**
 * Fetches partition 0 of `topic` (up to 1 MiB per response, Java's max.partition.fetch.bytes)
 * for `seconds`, from the start again whenever it reaches the end, so a fixed data set serves any
 * rate. Counts the record bytes received (what consumer_byte_rate measures).
 */
async function consumeLoop(user: User, topic: string, seconds: number): Promise<LoopResult> {
  const c = await login(user);
  try {
    const w = new Window(seconds);
    let offset = 0n;
    while (w.open) {
      const r = await c.send(K.Fetch, 12, {
        maxWaitMs: 100,
        minBytes: 1,
        maxBytes: MiB,
        topics: [
          { topic, partitions: [{ partition: 0, fetchOffset: offset, partitionMaxBytes: MiB }] },
        ],
        forgottenTopicsData: [],
      });
      const p = r.responses[0]?.partitions[0];
      if (p === undefined || p.errorCode !== 0) {
        throw new QuotaBenchError(
          `fetch from ${topic} failed: error ${p?.errorCode ?? r.errorCode}`,
        );
      }
      const records = p.records ?? Buffer.alloc(0);
      w.count(records.length, r.throttleTimeMs);
      if (records.length > 0) offset = nextOffset(records, offset);
      else if (r.throttleTimeMs === 0 && offset >= p.highWatermark) offset = 0n;
    }
    return w.result();
  } finally {
    c.close();
  }
}

// ------------------------------------------------------------------------------------ phases

let broker: RunningBroker | null = null;
function port(): number {
  if (broker === null) throw new BrokerError("no broker");
  return broker.port;
}

function log(line: string): void {
  process.stderr.write(`${new Date().toISOString().slice(11, 19)} ${line}\n`);
}

/** A request the benchmark needs was refused. */
class QuotaBenchError extends Error {
  override readonly name = "QuotaBenchError";
}

/** One connection of `user`, logged in with SCRAM-SHA-512; the client id is the user name. */
async function login(user: User): Promise<KafkaConnection> {
  const conn = await KafkaConnection.connect({ host: "127.0.0.1", port: port(), clientId: user });
  try {
    await saslLogin(
      conn,
      { mechanism: "SCRAM-SHA-512", username: user, password: USERS[user] },
      { handshake: 1, authenticate: 2 },
    );
    return conn;
  } catch (e) {
    conn.close();
    throw e;
  }
}

async function createTopics(admin: KafkaConnection): Promise<void> {
  // Sinks keep 256 MiB (the neighbour writes gigabytes); sources keep what was written.
  const sink = [
    { name: "retention.bytes", value: String(256 * MiB) },
    { name: "segment.bytes", value: String(32 * MiB) },
  ];
  const topics: Array<{ name: string; configs: typeof sink }> = [
    { name: "alpha.in", configs: [] },
    { name: "beta.in", configs: [] },
    { name: "alpha.out", configs: sink },
    { name: "beta.out", configs: sink },
  ];
  const r = await admin.send(K.CreateTopics, 7, {
    topics: topics.map((t) => ({ ...t, numPartitions: 1, replicationFactor: 1, assignments: [] })),
    timeoutMs: 10_000,
  });
  for (const t of r.topics) {
    if (t.errorCode !== 0)
      throw new QuotaBenchError(`CreateTopics ${t.name}: error ${t.errorCode}`);
  }
}

async function setQuotas(
  admin: KafkaConnection,
  user: string,
  values: Record<string, number | null>,
) {
  const r = await admin.send(K.AlterClientQuotas, 1, {
    entries: [
      {
        entity: [{ entityType: "user", entityName: user }],
        ops: Object.entries(values).map(([key, value]) => ({
          key,
          value: value ?? 0,
          remove: value === null,
        })),
      },
    ],
    validateOnly: false,
  });
  for (const e of r.entries) {
    if (e.errorCode !== 0) throw new QuotaBenchError(`AlterClientQuotas: ${e.errorMessage}`);
  }
}

/** One byte-rate quota's measurement. */
interface QuotaRun {
  readonly quota: "producer_byte_rate" | "consumer_byte_rate";
  readonly capMiBps: number;
  /** The capped tenant's unthrottled rate, solo, before the cap was set. */
  readonly offeredMiBps: number;
  readonly capped: LoopResult;
  readonly neighbourBefore: LoopResult;
  readonly neighbourNextTo: LoopResult;
  readonly neighbourAfter: LoopResult;
}

/** The neighbour solo, then the capped tenant and the neighbour together, then the neighbour solo. */
async function quotaRun(
  quota: QuotaRun["quota"],
  offeredMiBps: number,
  load: (user: User, seconds: number) => Promise<LoopResult>,
): Promise<QuotaRun> {
  log(`${quota}: neighbour solo ${SOLO_S} s`);
  const neighbourBefore = await load("beta-app", SOLO_S);
  log(`${quota}: capped tenant and neighbour together, ${CAPPED_S} s`);
  const [cappedResult, neighbourNextTo] = await Promise.all([
    load("alpha-app", CAPPED_S),
    load("beta-app", CAPPED_S),
  ]);
  log(`${quota}: neighbour solo again ${SOLO_S} s`);
  const neighbourAfter = await load("beta-app", SOLO_S);
  return {
    quota,
    capMiBps: CAP_MIB,
    offeredMiBps,
    capped: cappedResult,
    neighbourBefore,
    neighbourNextTo,
    neighbourAfter,
  };
}

/** request_percentage: broker CPU per request, unthrottled and held to the quota. */
interface RequestRun {
  readonly percent: number;
  readonly solo: LoopResult & { readonly brokerCpuPercent: number };
  readonly capped: LoopResult & { readonly brokerCpuPercent: number };
}

async function withBrokerCpu(run: () => Promise<LoopResult>) {
  const pid = broker?.pid ?? 0;
  const cpu0 = cpuSeconds(pid);
  const t0 = performance.now();
  const r = await run();
  const cpu = cpuSeconds(pid) - cpu0;
  return { ...r, brokerCpuPercent: (cpu / ((performance.now() - t0) / 1000)) * 100 };
}

// ------------------------------------------------------------------------------------ report

interface Verdicts {
  readonly offerOk: boolean;
  readonly ratio: number;
  readonly rateOk: boolean;
  readonly share: number;
  readonly shareOk: boolean;
}

function verdicts(q: QuotaRun): Verdicts {
  const ratio = rate(q.capped) / q.capMiBps;
  const solo = (rate(q.neighbourBefore) + rate(q.neighbourAfter)) / 2;
  const share = rate(q.neighbourNextTo) / solo;
  return {
    offerOk: q.offeredMiBps >= MIN_OFFER * q.capMiBps,
    ratio,
    rateOk: Math.abs(ratio - 1) <= TOLERANCE,
    share,
    shareOk: share >= MIN_SHARE,
  };
}

const f1 = (x: number) => (x >= 100 ? x.toFixed(0) : x >= 10 ? x.toFixed(1) : x.toFixed(2));
const pct = (x: number) => `${x >= 0 ? "+" : ""}${(x * 100).toFixed(1)} %`;
const pass = (ok: boolean) => (ok ? "PASS" : "**FAIL**");

interface Machine extends BaseMachineInfo {
  readonly commit: string;
}

function machine(dataDir: string): Machine {
  return {
    ...baseMachineInfo(dataDir),
    commit: `${sh("git rev-parse --short HEAD")}${sh("git status --porcelain --untracked-files=no") === "" ? "" : " (working tree with uncommitted changes)"}`,
  };
}

function markdown(r: {
  started: string;
  durationS: number;
  machine: Machine;
  loadAverage: { start: number[]; end: number[] };
  runs: QuotaRun[];
  request: RequestRun;
}): string {
  const m = r.machine;
  const load = (xs: number[]) => xs.map((x) => x.toFixed(2)).join(" ");
  const lines = [
    `# Quota benchmark, ${r.started}`,
    "",
    `Machine: ${m.nproc} × ${m.cpu}, ${m.memoryGiB} GiB RAM, ${m.kernel}, data on ${m.disk}, Node ${m.node}.`,
    `Commit ${m.commit}. Load average (1/5/15 min) ${load(r.loadAverage.start)} at the start, ${load(r.loadAverage.end)} at the end. Run time ${r.durationS.toFixed(0)} s.`,
    "",
    "One Sluice broker (bundle, own process, SASL_PLAINTEXT) and two tenants logged in with",
    "SCRAM-SHA-512: `alpha-app` (tenant alpha) is capped through AlterClientQuotas on its user,",
    "`beta-app` (tenant beta) has no quota. Raw-protocol clients in the benchmark process, one",
    "connection each, next request as soon as the answer arrives (they ignore throttle_time_ms;",
    "the broker mutes them). Produce: 256 KiB batches (16 × 16 KiB records), acks=1, 1 partition.",
    "Fetch: up to 1 MiB per response from a 64 MiB partition, from the start again at its end.",
    "MiB = 2^20 bytes.",
    "",
    `Criteria: the capped tenant offers >= ${MIN_OFFER}× the cap (its unthrottled solo rate, measured`,
    `before the cap is set) and gets the cap within ±${TOLERANCE * 100} % over ${CAPPED_S} s; the neighbour keeps`,
    `>= ${MIN_SHARE * 100} % of its solo rate (mean of ${SOLO_S} s solo before and ${SOLO_S} s after) while`,
    `it runs next to the capped tenant for the whole ${CAPPED_S} s.`,
    "",
    `| quota | cap | offered (solo) | capped tenant over ${CAPPED_S} s | vs cap | ±${TOLERANCE * 100} % | max throttle_time_ms | neighbour solo before / next to / solo after | share | >= ${MIN_SHARE * 100} % |`,
    "| --- | ---: | ---: | ---: | ---: | --- | ---: | ---: | ---: | --- |",
  ];
  for (const q of r.runs) {
    const v = verdicts(q);
    lines.push(
      `| ${q.quota} | ${q.capMiBps} MiB/s | ${f1(q.offeredMiBps)} MiB/s (${f1(q.offeredMiBps / q.capMiBps)}×${v.offerOk ? "" : ", too low"}) | ` +
        `${rate(q.capped).toFixed(3)} MiB/s | ${pct(v.ratio - 1)} | ${pass(v.rateOk && v.offerOk)} | ${q.capped.maxThrottleMs} | ` +
        `${f1(rate(q.neighbourBefore))} / ${f1(rate(q.neighbourNextTo))} / ${f1(rate(q.neighbourAfter))} MiB/s | ` +
        `${(v.share * 100).toFixed(0)} % | ${pass(v.shareOk)} |`,
    );
  }
  lines.push("", "Capped tenant, MiB per second of its run:", "");
  for (const q of r.runs) lines.push(`- ${q.quota}: ${q.capped.perSecond.join(", ")}`);
  const rq = r.request;
  const usPer = (x: RequestRun["solo"]) =>
    x.requests > 0 ? ((x.brokerCpuPercent / 100) * x.seconds * 1e6) / x.requests : 0;
  const chargedUs =
    rq.capped.requests > 0
      ? ((rq.percent / 100) * 1e6) / (rq.capped.requests / rq.capped.seconds)
      : 0;
  lines.push(
    "",
    "## request_percentage (informational, no criterion)",
    "",
    `\`alpha-app\` produces 16 KiB batches (one request after the other) alone on the broker for ${REQUEST_S} s`,
    `without a quota, then ${REQUEST_S} s with request_percentage = ${rq.percent} (% of one thread) and no byte quota.`,
    "Broker CPU is the whole process (user + system, from /proc): event loop, libuv threads, GC.",
    "",
    "| run | requests/s | broker CPU | broker CPU per request | throttled responses | max throttle_time_ms |",
    "| --- | ---: | ---: | ---: | ---: | ---: |",
    `| no quota | ${(rq.solo.requests / rq.solo.seconds).toFixed(0)} | ${rq.solo.brokerCpuPercent.toFixed(0)} % | ${usPer(rq.solo).toFixed(0)} µs | ${rq.solo.throttled} | ${rq.solo.maxThrottleMs} |`,
    `| request_percentage = ${rq.percent} | ${(rq.capped.requests / rq.capped.seconds).toFixed(0)} | ${rq.capped.brokerCpuPercent.toFixed(0)} % | ${usPer(rq.capped).toFixed(0)} µs | ${rq.capped.throttled} | ${rq.capped.maxThrottleMs} |`,
    "",
    `Held to ${rq.percent} %, the tenant was charged about ${chargedUs.toFixed(0)} µs per request (the quota divided`,
    "by its request rate): the request's synchronous event-loop time plus encoding and writing its",
    "response. The rest of the broker CPU per request is what the quota does not count: the handler's",
    "continuations after an await, reading and framing requests, GC, libuv's threads, and the broker's",
    "own background work, which weighs more per request when there are fewer requests; see",
    "docs/tenancy.md.",
    "",
  );
  return lines.join("\n");
}

// ------------------------------------------------------------------------------------ main

async function main(): Promise<void> {
  installCleanup();
  const t0 = performance.now();
  const started = new Date();
  const loadStart = os.loadavg();
  const scratch = fs.mkdtempSync(
    path.join(process.env.SLUICE_BENCH_DIR ?? os.tmpdir(), "sluice-bench-quota-"),
  );
  try {
    log("bundling and starting the broker");
    broker = await startSaslBroker(scratch);
    const admin = await login("admin");
    await createTopics(admin);
    log("filling alpha.in and beta.in (64 MiB each)");
    for (const user of ["alpha-app", "beta-app"] as const) {
      const topic = `${user.slice(0, user.indexOf("-"))}.in`;
      const c = await login(user);
      for (let n = 0; n < (64 * MiB) / BIG_BATCH.length; n++) {
        await c.send(K.Produce, 9, {
          acks: 1,
          timeoutMs: 30_000,
          topicData: [{ name: topic, partitionData: [{ index: 0, records: BIG_BATCH }] }],
        });
      }
      c.close();
    }
    const produce = (user: User, s: number) =>
      produceLoop(user, user === "alpha-app" ? "alpha.out" : "beta.out", s);
    const consume = (user: User, s: number) =>
      consumeLoop(user, user === "alpha-app" ? "alpha.in" : "beta.in", s);
    log(`the capped tenant's unthrottled rates (${DEMAND_S} s each)`);
    const offeredProduce = rate(await produce("alpha-app", DEMAND_S));
    const offeredConsume = rate(await consume("alpha-app", DEMAND_S));
    await setQuotas(admin, "alpha-app", {
      producer_byte_rate: CAP_MIB * MiB,
      consumer_byte_rate: CAP_MIB * MiB,
    });
    const runs = [
      await quotaRun("producer_byte_rate", offeredProduce, produce),
      await quotaRun("consumer_byte_rate", offeredConsume, consume),
    ];

    log(`request_percentage: ${REQUEST_S} s without, ${REQUEST_S} s with ${REQUEST_PERCENT} %`);
    await setQuotas(admin, "alpha-app", { producer_byte_rate: null, consumer_byte_rate: null });
    const small = () => produceLoop("alpha-app", "alpha.out", REQUEST_S, SMALL_BATCH);
    const solo = await withBrokerCpu(small);
    await setQuotas(admin, "alpha-app", { request_percentage: REQUEST_PERCENT });
    const capped = await withBrokerCpu(small);
    const request: RequestRun = { percent: REQUEST_PERCENT, solo, capped };
    admin.close();

    const result = {
      started: started.toISOString(),
      durationS: (performance.now() - t0) / 1000,
      machine: machine(scratch),
      loadAverage: { start: loadStart, end: os.loadavg() },
      criteria: { tolerance: TOLERANCE, minShare: MIN_SHARE, minOffer: MIN_OFFER },
      runs,
      verdicts: runs.map(verdicts),
      request,
    };
    const md = markdown(result);
    fs.mkdirSync(OUT, { recursive: true });
    const base = path.join(OUT, `quota-${started.toISOString().slice(0, 10)}`);
    fs.writeFileSync(`${base}.json`, `${JSON.stringify(result, null, 2)}\n`);
    fs.writeFileSync(`${base}.md`, md);
    process.stdout.write(`${md}\nWrote ${base}.md and ${base}.json\n`);
    const failed = result.verdicts.some((v) => !(v.offerOk && v.rateOk && v.shareOk));
    process.exitCode = failed ? 1 : 0;
  } finally {
    if (broker !== null) await stopBroker(broker, 10_000);
    fs.rmSync(scratch, { recursive: true, force: true });
  }
}

main().catch((e: unknown) => {
  console.error(e);
  process.exit(2);
});
