/**
 * Starting and stopping the two brokers under test: the Sluice broker (the esbuild bundle the
 * container image runs, so start-up is not tsx's transpile time) and Apache Kafka through the
 * integration scripts (`scripts/kafka/start-kafka.sh --foreground`, so the child's PID is Kafka's).
 */
import { type ChildProcess, spawn } from "node:child_process";
import * as fs from "node:fs";
import * as net from "node:net";
import * as path from "node:path";
import { bundleImage } from "../../lib/image";
import { sleep, track } from "./proc";

/** Which broker. */
export type BrokerKind = "sluice" | "kafka";

/** Durability mode: fsync before the acks=all ack, or the OS decides when to write back. */
export type Durability = "fsync" | "nofsync";

/** A running broker. */
export interface RunningBroker {
  readonly kind: BrokerKind;
  readonly pid: number;
  readonly port: number;
  readonly bootstrap: string;
  /** performance.now() when the process was spawned. */
  readonly spawnedAt: number;
  readonly child: ChildProcess;
  readonly logFile: string;
}

/** A broker that could not start or stop. */
export class BrokerError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "BrokerError";
  }
}

/** A free TCP port on 127.0.0.1 (bound and released). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.once("error", reject);
    s.listen(0, "127.0.0.1", () => {
      const addr = s.address();
      const port = typeof addr === "object" && addr ? addr.port : 0;
      s.close(() => resolve(port));
    });
  });
}

let bundlePath: string | null = null;

/** Bundles the broker once per run, the way the container image does. */
export function sluiceBundle(root: string): string {
  if (bundlePath) return bundlePath;
  const b = bundleImage({ baseImage: "bench/unused", packageRoot: root });
  bundlePath = path.join(b.contextDir, "bin", "sluice-broker.mjs");
  return bundlePath;
}

/** Options of {@link startBroker}. */
export interface StartOptions {
  readonly kind: BrokerKind;
  readonly durability: Durability;
  readonly dataDir: string;
  readonly root: string;
  /** Extra node flags for Sluice (e.g. --cpu-prof). */
  readonly nodeFlags?: readonly string[];
  /** Sluice: the listener's security protocol. @default "PLAINTEXT" */
  readonly listenerProtocol?: "PLAINTEXT" | "SASL_PLAINTEXT";
  /** Sluice: a config file (e.g. its `security` section); the flags above override its keys. */
  readonly configFile?: string;
  /** Sluice: extra environment (e.g. bootstrap users' passwords). */
  readonly env?: Readonly<Record<string, string>>;
}

/**
 * Spawns a broker and returns at once (no readiness wait: the caller times the first
 * acknowledged produce from `spawnedAt`).
 */
export async function startBroker(o: StartOptions): Promise<RunningBroker> {
  fs.mkdirSync(o.dataDir, { recursive: true });
  const port = await freePort();
  const logFile = path.join(o.dataDir, `${o.kind}-${o.durability}.out`);
  const out = fs.openSync(logFile, "a");
  let child: ChildProcess;
  if (o.kind === "sluice") {
    const bundle = sluiceBundle(o.root);
    const args = [
      ...(o.nodeFlags ?? []),
      bundle,
      "--data-dir",
      path.join(o.dataDir, "sluice"),
      ...(o.configFile === undefined ? [] : ["--config", o.configFile]),
      "--listeners",
      `${o.listenerProtocol ?? "PLAINTEXT"}://127.0.0.1:${port}`,
      // acks-all is Sluice's default: acks=-1 waits for an fdatasync (group commit).
      "--log-flush-policy",
      o.durability === "fsync" ? "acks-all" : "never",
      // start-kafka.sh sets Kafka's group.initial.rebalance.delay.ms to 0 (the value of Kafka's own
      // single-node server.properties); the same here, or every consumer group join waits 3 s.
      "--group-initial-rebalance-delay-ms",
      "0",
    ];
    child = spawn(process.execPath, args, {
      stdio: ["ignore", out, out],
      detached: true,
      // The bundle leaves the native CRC-32C package external; resolve it from this checkout.
      env: { ...process.env, ...o.env, NODE_PATH: path.join(o.root, "node_modules") },
    });
  } else {
    const cport = await freePort();
    const args = [
      path.join(o.root, "scripts/kafka/start-kafka.sh"),
      "--data-dir",
      path.join(o.dataDir, "kafka"),
      "--port",
      String(port),
      "--controller-port",
      String(cport),
      "--foreground",
    ];
    if (o.durability === "fsync") args.push("--set", "log.flush.interval.messages=1");
    child = spawn("bash", args, { stdio: ["ignore", out, out], detached: true });
  }
  const spawnedAt = performance.now();
  fs.closeSync(out);
  track(child);
  if (child.pid === undefined) throw new BrokerError(`${o.kind} did not spawn`);
  return {
    kind: o.kind,
    pid: child.pid,
    port,
    bootstrap: `127.0.0.1:${port}`,
    spawnedAt,
    child,
    logFile,
  };
}

/** SIGTERM (clean shutdown), then SIGKILL of the process group after `graceMs`. */
export async function stopBroker(b: RunningBroker, graceMs = 30_000): Promise<void> {
  if (b.child.exitCode !== null || b.child.signalCode !== null) return;
  const exited = new Promise<void>((r) => b.child.once("exit", () => r()));
  try {
    process.kill(b.pid, "SIGTERM");
  } catch {
    return;
  }
  const t = await Promise.race([exited.then(() => "ok"), sleep(graceMs).then(() => "late")]);
  if (t === "late") {
    try {
      process.kill(-b.pid, "SIGKILL");
    } catch {
      // gone
    }
    await exited;
  }
}

/** Whether a TCP connection to the port succeeds. */
export function canConnect(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = net.connect({ host: "127.0.0.1", port });
    s.once("connect", () => {
      s.destroy();
      resolve(true);
    });
    s.once("error", () => resolve(false));
  });
}
