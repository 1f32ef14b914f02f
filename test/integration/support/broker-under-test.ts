import { type ChildProcess, spawn } from "node:child_process";
import {
  createWriteStream,
  mkdtempSync,
  readFileSync,
  rmSync,
  type WriteStream,
  writeFileSync,
} from "node:fs";
import { get } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { repoRoot } from "./clients";
import { freePort } from "./free-port";
import { canConnect, sleep } from "./tcp-probe";

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

/** A user name and password. */
export interface Credentials {
  readonly user: string;
  readonly password: string;
}

/**
 * A SASL listener instead of `PLAINTEXT`: `SASL_SSL` with the committed test certificate
 * (test/admin/fixtures/test-server.crt, SAN 127.0.0.1; clients trust it as their CA), or
 * `SASL_PLAINTEXT`; mechanisms PLAIN, SCRAM-SHA-256 and SCRAM-SHA-512; ACLs enforced (no ACL →
 * denied).
 */
export interface SaslSetup {
  /** `SASL_SSL` (true) or `SASL_PLAINTEXT` (false). */
  readonly tls: boolean;
  /**
   * The super user, with a SCRAM-SHA-512 credential from the first start (Sluice: a bootstrap
   * user, which also gets SCRAM-SHA-256; Kafka: `kafka-storage format --add-scram`) and a PLAIN
   * password.
   */
  readonly superUser: Credentials;
  /**
   * Further users Kafka's PLAIN mechanism accepts: Kafka keeps PLAIN passwords in its JAAS config
   * (`user_NAME="password"`), apart from SCRAM credentials. Sluice checks PLAIN against the user's
   * SCRAM credential instead, so there these users need one (AlterUserScramCredentials) first.
   * @default - only the super user
   */
  readonly plainUsers?: readonly Credentials[];
}

/** Options of {@link BrokerUnderTest.start}. */
export interface BrokerOptions {
  /** @default - a PLAINTEXT listener without authentication */
  readonly sasl?: SaslSetup;
  /** Further `sluice-broker` flags (e.g. `--queued-max-request-bytes N`). */
  readonly sluiceFlags?: readonly string[];
  /** Further Kafka broker properties (`key=value`, passed as `--set`). */
  readonly kafkaProperties?: readonly string[];
}

/** The committed test-only certificate and key (CN=localhost, SAN localhost and 127.0.0.1). */
export const testCertificate = {
  certFile: join(repoRoot, "test", "admin", "fixtures", "test-server.crt"),
  keyFile: join(repoRoot, "test", "admin", "fixtures", "test-server.key"),
} as const;

/** A broker process that did not become ready, or died. */
export class BrokerStartError extends Error {
  constructor(message: string, logTail: string) {
    super(`${message}\n--- broker output (tail) ---\n${logTail}`);
    this.name = "BrokerStartError";
  }
}

const startTimeoutMs = { sluice: 60_000, kafka: 150_000 } as const;
const stopTimeoutMs = 30_000;
/** What Kafka logs once it serves clients. */
const KAFKA_STARTED_BANNER = "Kafka Server started";

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
    /** The SASL set-up, when the broker has one. */
    readonly sasl: SaslSetup | undefined,
    private readonly extra: Pick<BrokerOptions, "sluiceFlags" | "kafkaProperties"> = {},
  ) {
    this.logFile = join(dataDir, "broker-under-test.log");
  }

  /** Starts the broker selected by SLUICE_TARGET on free ports and waits until it is ready. */
  static async start(
    target: Target = targetFromEnv(),
    options: BrokerOptions = {},
  ): Promise<BrokerUnderTest> {
    const dataDir = mkdtempSync(join(tmpdir(), `sluice-it-${target}-`));
    const b = new BrokerUnderTest(
      target,
      dataDir,
      await freePort(),
      await freePort(),
      options.sasl,
      options,
    );
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

  /**
   * Stops the broker without removing its data: gracefully (SIGTERM), or as a crash (SIGKILL: no
   * flush, no clean-shutdown marker). {@link startAgain} starts it again on the same ports and data.
   */
  async halt(signal: "SIGTERM" | "SIGKILL" = "SIGTERM"): Promise<void> {
    await this.stopProcess(signal);
  }

  /** Starts a halted broker again. */
  async startAgain(): Promise<void> {
    await this.launch();
  }

  /** The Sluice broker's `--data-dir` (tests that inspect or damage its files). */
  get sluiceDataDir(): string {
    return join(this.dataDir, "data");
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
    if (this.sasl) return this.saslCommand(this.sasl);
    if (this.target === "sluice") {
      return [
        join(repoRoot, "bin", "sluice-broker"),
        [
          "--data-dir",
          this.sluiceDataDir,
          "--listeners",
          `PLAINTEXT://${this.host}:${this.port}`,
          "--admin-listener",
          `${this.host}:${this.auxPort}`,
          ...(this.extra.sluiceFlags ?? []),
        ],
      ];
    }
    return this.kafkaCommand([]);
  }

  /** scripts/kafka/start-kafka.sh in the foreground on this broker's ports, plus `extra` arguments. */
  private kafkaCommand(extra: readonly string[]): [string, string[]] {
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
        ...extra,
        ...(this.extra.kafkaProperties ?? []).flatMap((p) => ["--set", p]),
      ],
    ];
  }

  private saslCommand(setup: SaslSetup): [string, string[]] {
    const { superUser } = setup;
    const protocol = setup.tls ? "SASL_SSL" : "SASL_PLAINTEXT";
    const listener = `${protocol}://${this.host}:${this.port}`;
    if (this.target === "sluice") {
      const configFile = join(this.dataDir, "sluice-broker.json");
      const config = {
        listeners: listener,
        ...(setup.tls ? { tls: testCertificate } : {}),
        security: {
          saslMechanisms: SASL_MECHANISMS,
          superUsers: [`User:${superUser.user}`],
          authorizationEnabled: true,
          allowEveryoneIfNoAclFound: false,
          bootstrapUsers: [{ user: superUser.user, passwordEnv: superUserPasswordEnv }],
        },
      };
      writeFileSync(configFile, `${JSON.stringify(config, null, 2)}\n`);
      return [
        join(repoRoot, "bin", "sluice-broker"),
        [
          "--config",
          configFile,
          "--data-dir",
          this.sluiceDataDir,
          "--admin-listener",
          `${this.host}:${this.auxPort}`,
          ...(this.extra.sluiceFlags ?? []),
        ],
      ];
    }
    const plainUsers = [superUser, ...(setup.plainUsers ?? [])];
    const jaasPlain =
      "org.apache.kafka.common.security.plain.PlainLoginModule required " +
      // username/password: what the broker itself sends on the inter-broker listener.
      `username=${jaasQuoted(superUser.user)} password=${jaasQuoted(superUser.password)} ` +
      plainUsers.map((u) => `user_${u.user}=${jaasQuoted(u.password)}`).join(" ") +
      ";";
    const scramJaas = "org.apache.kafka.common.security.scram.ScramLoginModule required;";
    const name = protocol.toLowerCase();
    const properties = [
      // The generated PLAINTEXT listener is replaced (a later duplicate key wins).
      `listeners=${listener},CONTROLLER://${this.host}:${this.auxPort}`,
      `advertised.listeners=${listener}`,
      `listener.security.protocol.map=CONTROLLER:PLAINTEXT,${protocol}:${protocol}`,
      `inter.broker.listener.name=${protocol}`,
      "sasl.mechanism.inter.broker.protocol=PLAIN",
      `sasl.enabled.mechanisms=${SASL_MECHANISMS.join(",")}`,
      `listener.name.${name}.plain.sasl.jaas.config=${jaasPlain}`,
      `listener.name.${name}.scram-sha-256.sasl.jaas.config=${scramJaas}`,
      `listener.name.${name}.scram-sha-512.sasl.jaas.config=${scramJaas}`,
      ...(setup.tls ? this.kafkaTlsProperties() : []),
      "authorizer.class.name=org.apache.kafka.metadata.authorizer.StandardAuthorizer",
      // The controller listener stays PLAINTEXT, where the broker registers as User:ANONYMOUS and
      // needs CLUSTER_ACTION; clients only reach the SASL listener, which never yields it.
      `super.users=User:${superUser.user};User:ANONYMOUS`,
      "allow.everyone.if.no.acl.found=false",
    ];
    return this.kafkaCommand([
      ...properties.flatMap((p) => ["--set", p]),
      "--add-scram",
      `SCRAM-SHA-512=[name=${superUser.user},password=${superUser.password}]`,
    ]);
  }

  /** Kafka's PEM key store and trust store from the committed test certificate. */
  private kafkaTlsProperties(): string[] {
    // Kafka's PEM key store is one file: the (unencrypted PKCS#8) key, then the certificate.
    const keyStore = join(this.dataDir, "keystore.pem");
    writeFileSync(
      keyStore,
      readFileSync(testCertificate.keyFile, "utf8") +
        readFileSync(testCertificate.certFile, "utf8"),
    );
    return [
      "ssl.keystore.type=PEM",
      `ssl.keystore.location=${keyStore}`,
      "ssl.truststore.type=PEM",
      `ssl.truststore.location=${testCertificate.certFile}`,
    ];
  }

  private async launch(): Promise<void> {
    const [file, args] = this.command();
    this.log = createWriteStream(this.logFile, { flags: "a" });
    const child = spawn(file, args, {
      stdio: ["ignore", "pipe", "pipe"],
      env: {
        ...process.env,
        KAFKA_HEAP_OPTS: process.env.KAFKA_HEAP_OPTS ?? "-Xmx512m -Xms512m",
        ...(this.sasl ? { [superUserPasswordEnv]: this.sasl.superUser.password } : {}),
      },
    });
    this.child = child;
    live.add(child);
    let output = "";
    // Latched: a busy broker can log more than the window below between two readiness checks.
    let bannerSeen = false;
    const onData = (chunk: Buffer): void => {
      this.log?.write(chunk);
      // Only the start-up banner matters; keep a bounded window of recent output.
      output = (output + chunk.toString("utf8")).slice(-20_000);
      bannerSeen ||= output.includes(KAFKA_STARTED_BANNER);
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
      if (await this.isReady(bannerSeen)) return;
      await sleep(250);
    }
  }

  /** Whether the broker answers: its port accepts, and Kafka has logged its banner (`bannerSeen`). */
  private async isReady(bannerSeen: boolean): Promise<boolean> {
    if (!(await canConnect(this.host, this.port))) return false;
    if (this.target === "kafka") return bannerSeen;
    return (await httpStatus(this.host, this.auxPort, "/readyz")) === 200;
  }

  private async stopProcess(signal: "SIGTERM" | "SIGKILL" = "SIGTERM"): Promise<void> {
    const child = this.child;
    this.child = undefined;
    if (child && child.exitCode === null && child.signalCode === null) {
      const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
      child.kill(signal);
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

/** Mechanisms both brokers enable on a SASL listener. */
const SASL_MECHANISMS = ["PLAIN", "SCRAM-SHA-256", "SCRAM-SHA-512"];

/** Where the Sluice broker reads the super user's password (never from its config file). */
const superUserPasswordEnv = "SLUICE_IT_SUPER_USER_PASSWORD";

/** A JAAS option value; test credentials never need escaping, so refuse what would. */
function jaasQuoted(value: string): string {
  if (/["\\;\s]/.test(value)) throw new Error(`credential not usable in a JAAS line: ${value}`);
  return `"${value}"`;
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
