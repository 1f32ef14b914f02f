/**
 * The end-to-end latency driver (bench/e2e-latency/E2eLatency.java): compiled with javac against the
 * fetched Kafka jars into the cache, then run against one broker at a fixed record rate.
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import type { RunningBroker } from "./brokers";
import { runTool, ToolError } from "./proc";
import { kafkaClasspath } from "./tools";

/** The JSON line the driver prints. */
export interface E2eResult {
  readonly count: number;
  readonly sent: number;
  readonly p50Ms: number;
  readonly p99Ms: number;
  readonly p999Ms: number;
  readonly maxMs: number;
}

const SOURCE = path.join(__dirname, "..", "e2e-latency", "E2eLatency.java");

/** Compiles the driver once per run into a temp dir; returns the classes dir. */
export async function compileE2e(libs: string): Promise<string> {
  const out = fs.mkdtempSync(path.join(os.tmpdir(), "sluice-e2e-latency-"));
  await runTool("javac", ["-d", out, "-cp", kafkaClasspath(libs), SOURCE], { timeoutMs: 120_000 });
  return out;
}

/**
 * Seconds the driver sends at the rate before it measures: the client JVM's JIT warm-up otherwise
 * decides p99 on its own (measured 2026-12-07: on both brokers nearly every record over 50 ms of a
 * 20 s run at 22,051 records/s was sent in the first 2 s). OpenMessaging Benchmark warms up too.
 */
export const E2E_WARMUP_SECONDS = 5;

/**
 * Runs the driver: {@link E2E_WARMUP_SECONDS} unmeasured, then `rate` records/s of `size` bytes for
 * `seconds` s, round-robin over the first `partitions` partitions of `topic` (default 1), produced
 * with `acks` (default 1) and `lingerMs` (default 0).
 */
export async function e2eLatency(
  libs: string,
  classes: string,
  b: RunningBroker,
  o: {
    topic: string;
    rate: number;
    seconds: number;
    size: number;
    capMs: number;
    partitions?: number;
    acks?: "1" | "all";
    lingerMs?: number;
  },
): Promise<E2eResult> {
  const r = await runTool(
    "java",
    [
      "-Xmx512m",
      "-XX:+UseG1GC",
      "-cp",
      `${classes}${path.delimiter}${kafkaClasspath(libs)}`,
      "E2eLatency",
      b.bootstrap,
      o.topic,
      String(o.rate),
      String(o.seconds),
      String(o.size),
      String(o.partitions ?? 1),
      o.acks ?? "1",
      String(o.lingerMs ?? 0),
      String(E2E_WARMUP_SECONDS),
    ],
    { timeoutMs: o.capMs },
  );
  const line = r.stdout
    .split("\n")
    .reverse()
    .find((l) => l.startsWith("{"));
  if (!line) throw new ToolError(`no E2eLatency result in: ${r.stdout.slice(-500)}`);
  return JSON.parse(line) as E2eResult;
}
