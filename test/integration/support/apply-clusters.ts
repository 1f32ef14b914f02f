import { type ChildProcess, spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { createWriteStream, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { repoRoot } from "./clients";
import { freePort } from "./free-port";
import { canConnect, sleep } from "./tcp-probe";

/**
 * The two clusters the apply-parity test drives with `sluice apply`: a Sluice broker and an Apache
 * Kafka broker, both with an authorizer and a SASL_PLAINTEXT listener on 127.0.0.1 that accepts
 * PLAIN (the admin) and SCRAM-SHA-256/512 (the manifest's principals), so `sluice apply` takes the
 * credential-check path (a real SCRAM login per principal) on both.
 */

/** The admin user both clusters make a super user. */
export const ADMIN_USER = "admin";
/** Environment variable holding the admin password, for `sluice apply --password-env`. */
export const ADMIN_PASSWORD_ENV = "SLUICE_IT_APPLY_ADMIN_PASSWORD";

/** Which implementation a cluster runs. */
export type ClusterKind = "sluice" | "kafka";

const startTimeoutMs = { sluice: 60_000, kafka: 150_000 } as const;
const stopTimeoutMs = 30_000;
const live = new Set<ChildProcess>();
process.on("exit", () => {
  // Last resort if the run is aborted: never leave a broker behind.
  for (const child of live) child.kill("SIGKILL");
});

/** A broker process on 127.0.0.1 with SASL enabled and its own temporary directory. */
export class ApplyCluster {
  private constructor(
    readonly kind: ClusterKind,
    /** `127.0.0.1:<port>` of the SASL_PLAINTEXT listener. */
    readonly bootstrap: string,
    readonly adminPassword: string,
    private readonly dir: string,
    private readonly child: ChildProcess,
    private readonly logFile: string,
  ) {}

  /** Starts a Sluice broker (bin/sluice-broker) with authorization and SASL from its config file. */
  static async startSluice(adminPassword: string): Promise<ApplyCluster> {
    const dir = mkdtempSync(join(tmpdir(), "sluice-apply-sluice-"));
    const port = await freePort();
    const configFile = join(dir, "broker.json");
    writeFileSync(
      configFile,
      JSON.stringify({
        dataDir: join(dir, "data"),
        listeners: `SASL_PLAINTEXT://127.0.0.1:${port}`,
        security: {
          saslMechanisms: ["PLAIN", "SCRAM-SHA-256", "SCRAM-SHA-512"],
          superUsers: [`User:${ADMIN_USER}`],
          authorizationEnabled: true,
          allowEveryoneIfNoAclFound: false,
          bootstrapUsers: [{ user: ADMIN_USER, passwordEnv: ADMIN_PASSWORD_ENV }],
        },
      }),
    );
    return ApplyCluster.launch(
      "sluice",
      dir,
      port,
      adminPassword,
      join(repoRoot, "bin", "sluice-broker"),
      ["--config", configFile],
      (out) => out.includes("started (node"),
    );
  }

  /**
   * Starts Apache Kafka (scripts/kafka/start-kafka.sh, KRaft, StandardAuthorizer). Its PLAINTEXT
   * listener stays (start-kafka.sh's inter-broker listener and readiness probe); a second listener,
   * SASL_PLAINTEXT, is what the test uses. The admin is a static PLAIN user (JAAS), so Kafka needs no
   * SCRAM credential before the first apply.
   */
  static async startKafka(adminPassword: string): Promise<ApplyCluster> {
    const dir = mkdtempSync(join(tmpdir(), "sluice-apply-kafka-"));
    const plain = await freePort();
    const controller = await freePort();
    const sasl = await freePort();
    const h = "127.0.0.1";
    const scramJaas = "org.apache.kafka.common.security.scram.ScramLoginModule required;";
    const settings = [
      // Later keys win in a .properties file, so these replace start-kafka.sh's listener lines.
      `listeners=PLAINTEXT://${h}:${plain},CONTROLLER://${h}:${controller},SASL_PLAINTEXT://${h}:${sasl}`,
      `advertised.listeners=PLAINTEXT://${h}:${plain},SASL_PLAINTEXT://${h}:${sasl}`,
      "listener.security.protocol.map=CONTROLLER:PLAINTEXT,PLAINTEXT:PLAINTEXT,SASL_PLAINTEXT:SASL_PLAINTEXT",
      "sasl.enabled.mechanisms=PLAIN,SCRAM-SHA-256,SCRAM-SHA-512",
      `listener.name.sasl_plaintext.plain.sasl.jaas.config=org.apache.kafka.common.security.plain.PlainLoginModule required username="${ADMIN_USER}" password="${adminPassword}" user_${ADMIN_USER}="${adminPassword}";`,
      `listener.name.sasl_plaintext.scram-sha-256.sasl.jaas.config=${scramJaas}`,
      `listener.name.sasl_plaintext.scram-sha-512.sasl.jaas.config=${scramJaas}`,
      "authorizer.class.name=org.apache.kafka.metadata.authorizer.StandardAuthorizer",
      // ANONYMOUS is the broker itself on the PLAINTEXT controller and inter-broker listeners.
      `super.users=User:${ADMIN_USER};User:ANONYMOUS`,
      "allow.everyone.if.no.acl.found=false",
    ];
    return ApplyCluster.launch(
      "kafka",
      dir,
      sasl,
      adminPassword,
      "bash",
      [
        join(repoRoot, "scripts", "kafka", "start-kafka.sh"),
        "--foreground",
        "--data-dir",
        join(dir, "kafka"),
        "--port",
        String(plain),
        "--controller-port",
        String(controller),
        "--host",
        h,
        ...settings.flatMap((s) => ["--set", s]),
      ],
      (out) => out.includes("Kafka Server started"),
    );
  }

  private static async launch(
    kind: ClusterKind,
    dir: string,
    port: number,
    adminPassword: string,
    file: string,
    args: readonly string[],
    started: (output: string) => boolean,
  ): Promise<ApplyCluster> {
    const logFile = join(dir, "broker.log");
    const log = createWriteStream(logFile, { flags: "a" });
    const child = spawn(file, args, {
      stdio: ["ignore", "pipe", "pipe"],
      env: {
        ...process.env,
        [ADMIN_PASSWORD_ENV]: adminPassword,
        KAFKA_HEAP_OPTS: process.env.KAFKA_HEAP_OPTS ?? "-Xmx512m -Xms512m",
      },
    });
    live.add(child);
    let output = "";
    const onData = (chunk: Buffer): void => {
      log.write(chunk);
      // Only the start-up banner matters; keep a bounded window of recent output.
      output = (output + chunk.toString("utf8")).slice(-20_000);
    };
    child.stdout?.on("data", onData);
    child.stderr?.on("data", onData);
    child.on("exit", () => {
      live.delete(child);
      log.end();
    });
    const cluster = new ApplyCluster(kind, `127.0.0.1:${port}`, adminPassword, dir, child, logFile);
    const deadline = Date.now() + startTimeoutMs[kind];
    for (;;) {
      if (child.exitCode !== null || child.signalCode !== null) {
        throw new Error(`${kind} broker exited during start-up:\n${output.slice(-4000)}`);
      }
      if (Date.now() > deadline) {
        await cluster.stop();
        throw new Error(`${kind} broker not ready in ${startTimeoutMs[kind]} ms:\n${output}`);
      }
      if (started(output) && (await canConnect("127.0.0.1", port))) return cluster;
      await sleep(250);
    }
  }

  /** The broker's output so far (for assertion messages). */
  logTail(chars = 4000): string {
    try {
      return readFileSync(this.logFile, "utf8").slice(-chars);
    } catch {
      return "";
    }
  }

  /** Stops the broker (SIGTERM, then SIGKILL) and removes its directory (kept with SLUICE_IT_KEEP=1). */
  async stop(): Promise<void> {
    const child = this.child;
    if (child.exitCode === null && child.signalCode === null) {
      const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
      child.kill("SIGTERM");
      const graceful = await Promise.race([
        exited.then(() => true),
        sleep(stopTimeoutMs).then(() => false),
      ]);
      if (!graceful) {
        child.kill("SIGKILL");
        await exited;
      }
    }
    if (process.env.SLUICE_IT_KEEP !== "1") rmSync(this.dir, { recursive: true, force: true });
  }
}

/** A random password (letters and digits only, so it needs no quoting in a JAAS line). */
export function randomPassword(): string {
  return randomBytes(18)
    .toString("base64")
    .replace(/[^A-Za-z0-9]/g, "x");
}
