import { type ChildProcess, spawn } from "node:child_process";
import { createWriteStream, mkdtempSync, readFileSync, rmSync, type WriteStream } from "node:fs";
import { get } from "node:http";
import { connect } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { repoRoot } from "./clients";
import { freePort } from "./free-port";

/** Which broker the suite runs against: `SLUICE_TARGET=sluice` (default) or `kafka`. */
export type Target = "sluice" | "kafka";

/** The target selected by the environment. */
export function targetFromEnv(): Target {
  const t = process.env.SLUICE_TARGET ?? "sluice";
  if (t !== "sluice" && t !== "kafka") {
    throw new Error(`SLUICE_TARGET must be "sluice" or "kafka", not ${JSON.stringify(t)}`);
  }
  return t;
}

/** A broker process that did not become ready, or died. */
export class BrokerStartError extends Error {
  constructor(message: string, logTail: string) {
    super(`${message}\n--- broker output (tail) ---\n${logTail}`);
    this.name = "BrokerStartError";
  }
}

const startTimeoutMs = { sluice: 60_000, kafka: 150_000 } as const;
const stopTimeoutMs = 30_000;
const live = new Set<ChildProcess>();
process.on("exit", () => {
  // Last resort if a test run is aborted: never leave a broker behind.
  for (const child of live) child.kill("SIGKILL");
});

/** A single-node broker on 127.0.0.1 with its own data directory, for one test file. */
export class BrokerUnderTest {
  readonly host = "127.0.0.1";
  private child: ChildProcess | undefined;
  private log: WriteStream | undefined;
  private readonly logFile: string;

  private constructor(
    readonly target: Target,
    readonly dataDir: string,
    readonly port: number,
    private readonly auxPort: number,
  ) {
    this.logFile = join(dataDir, "broker-under-test.log");
  }

  /** Starts the broker selected by SLUICE_TARGET on free ports and waits until it is ready. */
  static async start(target: Target = targetFromEnv()): Promise<BrokerUnderTest> {
    const dataDir = mkdtempSync(join(tmpdir(), `sluice-it-${target}-`));
    const b = new BrokerUnderTest(target, dataDir, await freePort(), await freePort());
    await b.launch();
    return b;
  }

  /** `host:port` for clients. */
  get bootstrap(): string {
    return `${this.host}:${this.port}`;
  }

  /** The broker's PID (for Kafka, the JVM's). */
  get pid(): number | undefined {
    return this.child?.pid;
  }

  /** Stops the broker gracefully (SIGTERM) and starts it again on the same ports and data. */
  async restart(): Promise<void> {
    await this.stopProcess();
    await this.launch();
  }

  /** Stops the broker and removes its data (kept when SLUICE_IT_KEEP=1, for post-mortems). */
  async stop(): Promise<void> {
    await this.stopProcess();
    if (process.env.SLUICE_IT_KEEP !== "1") rmSync(this.dataDir, { recursive: true, force: true });
  }

  /** The broker's output so far (for assertion messages). */
  logTail(chars = 4000): string {
    try {
      return readFileSync(this.logFile, "utf8").slice(-chars);
    } catch {
      return "";
    }
  }

  private command(): [string, string[]] {
    if (this.target === "sluice") {
      return [
        join(repoRoot, "bin", "sluice-broker"),
        [
          "--data-dir",
          join(this.dataDir, "data"),
          "--listeners",
          `PLAINTEXT://${this.host}:${this.port}`,
          "--admin-listener",
          `${this.host}:${this.auxPort}`,
        ],
      ];
    }
    return [
      "bash",
      [
        join(repoRoot, "scripts", "kafka", "start-kafka.sh"),
        "--foreground",
        "--data-dir",
        join(this.dataDir, "kafka"),
        "--port",
        String(this.port),
        "--controller-port",
        String(this.auxPort),
        "--host",
        this.host,
      ],
    ];
  }

  private async launch(): Promise<void> {
    const [file, args] = this.command();
    this.log = createWriteStream(this.logFile, { flags: "a" });
    const child = spawn(file, args, {
      stdio: ["ignore", "pipe", "pipe"],
      env: { ...process.env, KAFKA_HEAP_OPTS: process.env.KAFKA_HEAP_OPTS ?? "-Xmx512m -Xms512m" },
    });
    this.child = child;
    live.add(child);
    let output = "";
    const onData = (chunk: Buffer): void => {
      this.log?.write(chunk);
      // Only the start-up banner matters; keep a bounded window of recent output.
      output = (output + chunk.toString("utf8")).slice(-20_000);
    };
    child.stdout?.on("data", onData);
    child.stderr?.on("data", onData);
    let exited = false;
    child.on("exit", () => {
      exited = true;
      live.delete(child);
    });

    const deadline = Date.now() + startTimeoutMs[this.target];
    for (;;) {
      if (exited) {
        throw new BrokerStartError(
          `${this.target} broker exited during start-up`,
          output.slice(-4000),
        );
      }
      if (Date.now() > deadline) {
        await this.stopProcess();
        throw new BrokerStartError(
          `${this.target} broker not ready within ${startTimeoutMs[this.target]} ms`,
          output.slice(-4000),
        );
      }
      if (await this.isReady(output)) return;
      await sleep(250);
    }
  }

  private async isReady(output: string): Promise<boolean> {
    if (!(await canConnect(this.host, this.port))) return false;
    if (this.target === "kafka") return output.includes("Kafka Server started");
    return (await httpStatus(this.host, this.auxPort, "/readyz")) === 200;
  }

  private async stopProcess(): Promise<void> {
    const child = this.child;
    this.child = undefined;
    if (child && child.exitCode === null && child.signalCode === null) {
      const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
      child.kill("SIGTERM");
      const graceful = await Promise.race([
        exited.then(() => true),
        sleep(stopTimeoutMs).then(() => false),
      ]);
      if (!graceful) {
        this.log?.write(
          `\n[broker-under-test] no exit ${stopTimeoutMs} ms after SIGTERM: SIGKILL\n`,
        );
        child.kill("SIGKILL");
        await exited;
      }
    }
    await new Promise<void>((resolve) => {
      if (this.log) this.log.end(resolve);
      else resolve();
    });
    this.log = undefined;
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

function canConnect(host: string, port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = connect({ host, port });
    const done = (ok: boolean): void => {
      s.destroy();
      resolve(ok);
    };
    s.setTimeout(1000, () => done(false));
    s.once("connect", () => done(true));
    s.once("error", () => done(false));
  });
}

function httpStatus(host: string, port: number, path: string): Promise<number | undefined> {
  return new Promise((resolve) => {
    const req = get({ host, port, path, timeout: 1000 }, (res) => {
      res.resume();
      resolve(res.statusCode);
    });
    req.on("timeout", () => req.destroy());
    req.on("error", () => resolve(undefined));
  });
}
