/**
 * The client tools, identical for both brokers: Kafka's own ProducerPerformance and
 * ConsumerPerformance (kafka-tools jar, run with the machine's Java) and kcat (librdkafka).
 */
import * as fs from "node:fs";
import { Kafka, logLevel } from "kafkajs";
import { canConnect, type RunningBroker } from "./brokers";
import { runTool, sleep, ToolError } from "./proc";

/** The parsed summary line of ProducerPerformance. */
export interface ProducerPerfResult {
  readonly records: number;
  readonly recordsPerSec: number;
  readonly mbPerSec: number;
  readonly avgMs: number;
  readonly maxMs: number;
  readonly p50Ms: number;
  readonly p95Ms: number;
  readonly p99Ms: number;
  readonly p999Ms: number;
}

/** The classpath of the fetched Kafka jars. */
export function kafkaClasspath(libs: string): string {
  return `${libs}/*`;
}

const JVM_TOOL_OPTS = ["-Xmx512m", "-XX:+UseG1GC", "-Dlog4j2.level=WARN"];

/**
 * ProducerPerformance: `num` records of `size` bytes, `throughput` records/s (-1 = as fast as
 * possible). Its latency is, per record, from `send()` to the acknowledgement callback.
 */
export async function producerPerf(
  libs: string,
  b: RunningBroker,
  o: { topic: string; num: number; size: number; acks: string; throughput: number; capMs: number },
): Promise<ProducerPerfResult> {
  const r = await runTool(
    "java",
    [
      ...JVM_TOOL_OPTS,
      "-cp",
      kafkaClasspath(libs),
      "org.apache.kafka.tools.ProducerPerformance",
      "--topic",
      o.topic,
      "--num-records",
      String(o.num),
      "--record-size",
      String(o.size),
      "--throughput",
      String(o.throughput),
      "--producer-props",
      `bootstrap.servers=${b.bootstrap}`,
      `acks=${o.acks}`,
    ],
    { timeoutMs: o.capMs },
  );
  return parseProducerPerf(r.stdout);
}

/** Parses ProducerPerformance's final summary line. */
export function parseProducerPerf(out: string): ProducerPerfResult {
  const re =
    /(\d+) records sent, ([\d.]+) records\/sec \(([\d.]+) MB\/sec\), ([\d.]+) ms avg latency, ([\d.]+) ms max latency, (\d+) ms 50th, (\d+) ms 95th, (\d+) ms 99th, (\d+) ms 99.9th/g;
  let last: RegExpExecArray | null = null;
  for (let m = re.exec(out); m; m = re.exec(out)) last = m;
  if (!last) throw new ToolError(`no ProducerPerformance summary in: ${out.slice(-500)}`);
  const n = (i: number) => Number(last?.[i]);
  return {
    records: n(1),
    recordsPerSec: n(2),
    mbPerSec: n(3),
    avgMs: n(4),
    maxMs: n(5),
    p50Ms: n(6),
    p95Ms: n(7),
    p99Ms: n(8),
    p999Ms: n(9),
  };
}

/** ConsumerPerformance result (MB here is 2^20 bytes, as the tool prints it). */
export interface ConsumerPerfResult {
  readonly mbPerSec: number;
  readonly recordsPerSec: number;
  readonly records: number;
  /** MB/s over the fetch time only (the tool's fetch.MB.sec: without the group join). */
  readonly fetchMbPerSec: number;
  /** Time the tool spent joining the group (rebalance.time.ms). */
  readonly rebalanceMs: number;
}

/** ConsumerPerformance: reads `num` records of `topic` from the start, in a fresh group. */
export async function consumerPerf(
  libs: string,
  b: RunningBroker,
  o: { topic: string; num: number; group: string; capMs: number },
): Promise<ConsumerPerfResult> {
  const r = await runTool(
    "java",
    [
      ...JVM_TOOL_OPTS,
      "-cp",
      kafkaClasspath(libs),
      "org.apache.kafka.tools.ConsumerPerformance",
      "--bootstrap-server",
      b.bootstrap,
      "--topic",
      o.topic,
      "--num-records",
      String(o.num),
      "--group",
      o.group,
      "--timeout",
      String(Math.max(10_000, o.capMs - 5_000)),
    ],
    { timeoutMs: o.capMs },
  );
  // start.time, end.time, data.consumed.in.MB, MB.sec, data.consumed.in.nMsg, nMsg.sec,
  // rebalance.time.ms, fetch.time.ms, fetch.MB.sec, fetch.nMsg.sec
  const line = r.stdout
    .trim()
    .split("\n")
    .filter((l) => /^\d{4}-\d\d-\d\d/.test(l))
    .pop();
  const cols = line?.split(",").map((s) => s.trim());
  if (!cols || cols.length < 10) throw new ToolError(`no ConsumerPerformance summary: ${r.stdout}`);
  const rec = Number(cols[4]);
  if (rec < o.num) throw new ToolError(`ConsumerPerformance read ${rec} of ${o.num} records`);
  return {
    mbPerSec: Number(cols[3]),
    records: rec,
    recordsPerSec: Number(cols[5]),
    rebalanceMs: Number(cols[6]),
    fetchMbPerSec: Number(cols[8]),
  };
}

/** Writes `n` newline-separated records of `size` bytes (value `size - 1` bytes + the delimiter). */
export function writeRecordFile(file: string, n: number, size: number): void {
  if (fs.existsSync(file) && fs.statSync(file).size === n * size) return;
  const line = Buffer.alloc(size, "x");
  for (let i = 0; i < size - 1; i++) line[i] = 97 + ((i * 7) % 26);
  line[size - 1] = 10;
  const chunk = Buffer.concat(Array.from({ length: 1024 }, () => line));
  const fd = fs.openSync(file, "w");
  let left = n;
  while (left > 0) {
    const k = Math.min(1024, left);
    fs.writeSync(fd, chunk, 0, k * size);
    left -= k;
  }
  fs.closeSync(fd);
}

/** kcat -P of a pre-generated file; returns MB/s (2^20) of record values over wall time. */
export async function kcatProduce(
  b: RunningBroker,
  o: { topic: string; file: string; n: number; size: number; acks: string; capMs: number },
): Promise<{ mbPerSec: number; recordsPerSec: number }> {
  const r = await runTool(
    "kcat",
    ["-P", "-b", b.bootstrap, "-t", o.topic, "-X", `acks=${o.acks}`, "-l", o.file],
    { timeoutMs: o.capMs },
  );
  const s = r.ms / 1000;
  return { mbPerSec: (o.n * o.size) / 2 ** 20 / s, recordsPerSec: o.n / s };
}

/** kcat -C of `n` records from the beginning of partition 0..; MB/s over wall time. */
export async function kcatConsume(
  b: RunningBroker,
  o: { topic: string; n: number; size: number; capMs: number },
): Promise<{ mbPerSec: number; recordsPerSec: number }> {
  const r = await runTool(
    "sh",
    ["-c", `kcat -C -b ${b.bootstrap} -t ${o.topic} -o beginning -c ${o.n} -e -q | wc -l`],
    { timeoutMs: o.capMs },
  );
  const got = Number(r.stdout.trim());
  if (got < o.n) throw new ToolError(`kcat -C read ${got} of ${o.n} records`);
  const s = r.ms / 1000;
  return { mbPerSec: (o.n * o.size) / 2 ** 20 / s, recordsPerSec: o.n / s };
}

/**
 * Time from the broker's spawn to the first acknowledged produce (acks=1, kcat, to a topic that
 * is auto-created): polls the port every 20 ms, then retries kcat until one record is acked.
 */
export async function firstAckMs(b: RunningBroker, capMs: number, file: string): Promise<number> {
  const deadline = b.spawnedAt + capMs;
  fs.writeFileSync(file, "first\n");
  while (performance.now() < deadline) {
    if (b.child.exitCode !== null) throw new ToolError(`${b.kind} exited during start-up`);
    if (await canConnect(b.port)) {
      const r = await runTool(
        "kcat",
        [
          "-P",
          "-b",
          b.bootstrap,
          "-t",
          "startup-probe",
          "-X",
          "acks=1",
          "-X",
          "message.timeout.ms=10000",
          "-X",
          "retry.backoff.ms=20",
          "-X",
          "reconnect.backoff.ms=20",
          "-X",
          "reconnect.backoff.max.ms=100",
          "-l",
          file,
        ],
        { timeoutMs: 15_000, allowFail: true },
      );
      if (r.code === 0) return performance.now() - b.spawnedAt;
    }
    await sleep(20);
  }
  throw new ToolError(`${b.kind}: no acknowledged produce within ${capMs} ms`);
}

/** Creates topics through the admin API (kafkajs: the same call for both brokers). */
export async function createTopics(
  b: RunningBroker,
  topics: readonly { topic: string; partitions: number }[],
): Promise<void> {
  const kafka = new Kafka({
    clientId: "sluice-bench",
    brokers: [b.bootstrap],
    logLevel: logLevel.NOTHING,
  });
  const admin = kafka.admin();
  await admin.connect();
  try {
    await admin.createTopics({
      topics: topics.map((t) => ({
        topic: t.topic,
        numPartitions: t.partitions,
        replicationFactor: 1,
      })),
      waitForLeaders: true,
      timeout: 30_000,
    });
  } finally {
    await admin.disconnect();
  }
}
