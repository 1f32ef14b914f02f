/**
 * Apache Kafka for real on the local Docker Engine: `cdktf deploy` of apps/kafka-cluster (three KRaft
 * brokers, SASL with SCRAM tenants), kcat and the Java client as tenants, a denied cross-tenant read,
 * a broker killed under an acks=all producer, a tenant's producer held to its byte-rate quota beside
 * an unthrottled neighbour, a tenant and topic added without touching a broker, an
 * empty plan on an unchanged redeploy, and a destroy that leaves nothing behind. Runs the local image
 * scripts/kafka/build-image.sh builds from Maven Central (no registry here); needs what
 * scripts/e2e/run.sh installs.
 */
import * as fs from "node:fs";
import * as net from "node:net";
import * as path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { BILLING_PRODUCE_BYTES_PER_SECOND } from "../../apps/kafka-cluster/kafka-cluster-stack";
import { kafkaVersion, runJava } from "../integration/support/clients";
import { checkDefaultGrants, javaSasl, kcatSasl, type SaslLogin } from "./support/default-grants";
import {
  brokerHardening,
  containerLogs,
  dockerObjectExists,
  dockerVolumes,
  inspectContainer,
  removeVolumesSince,
  waitFor,
} from "./support/docker-cli";
import { type E2eSettings, e2eSettings } from "./support/e2e-settings";
import {
  type KcatMetadata,
  kcatConsume,
  kcatMetadata,
  kcatProduce,
  underReplicated,
} from "./support/kcat";
import { type Produced, produceThroughFault } from "./support/produce-through-fault";
import { runCommand } from "./support/run-command";
import { snapshotCheckout } from "./support/snapshot-checkout";
import { ADMIN_PASSWORD_PATH, outputAt, tenantPasswordPath } from "./support/stack-outputs";
import { StackWorkdir } from "./support/stack-workdir";

const repoRoot = path.resolve(__dirname, "..", "..");
const workdirPath = path.join(repoRoot, ".e2e", "kafka-cluster");
const sourceRoot = path.join(repoRoot, ".e2e", "src-kafka");
const appEntry = "apps/kafka-cluster/main.ts";
const STACK = "sluice-kafka";
const CLUSTER = "sluice-kafka";
const BROKERS = [0, 1, 2].map((i) => `${CLUSTER}-broker-${i}`);
const kafkaRepository = process.env.SLUICE_E2E_KAFKA_REPOSITORY ?? "local/apache-kafka";
const LOCK_FILE = "sluice.lock.json";

let settings: E2eSettings;
let firstPort = 0;

/** What the suite varies in apps/kafka-cluster between deploys. */
interface Knobs {
  readonly extraTenant?: string;
}

/** Three consecutive free ports on 127.0.0.1 (broker i publishes on first + i). */
async function freePortRun(count: number): Promise<number> {
  const isFree = (port: number) =>
    new Promise<boolean>((resolve) => {
      const server = net.createServer();
      server.once("error", () => resolve(false));
      server.listen(port, "127.0.0.1", () => server.close(() => resolve(true)));
    });
  for (let attempt = 0; attempt < 50; attempt++) {
    const first = 20000 + Math.floor(Math.random() * 20000);
    const free = await Promise.all(Array.from({ length: count }, (_, i) => isFree(first + i)));
    if (free.every(Boolean)) return first;
  }
  throw new Error(`no ${count} consecutive free ports on 127.0.0.1`);
}

function workdirFor(knobs: Knobs): StackWorkdir {
  const env: Record<string, string> = {
    SLUICE_KAFKA_REPOSITORY: kafkaRepository,
    SLUICE_KAFKA_VERSION: kafkaVersion,
    SLUICE_BASE_IMAGE: settings.baseImage,
    SLUICE_HOST_PORT: String(firstPort),
    SLUICE_LOCK_FILE: LOCK_FILE,
  };
  if (knobs.extraTenant !== undefined) env.SLUICE_KAFKA_EXTRA_TENANT = knobs.extraTenant;
  const workdir = new StackWorkdir(sourceRoot, workdirPath, appEntry, env);
  workdir.writeConfig({});
  return workdir;
}

/** Deploys; on failure adds the stack's container logs (they explain a failed health check). */
async function deploy(workdir: StackWorkdir): Promise<Record<string, unknown>> {
  try {
    return await workdir.deploy();
  } catch (error) {
    const logs = await Promise.all(
      [...BROKERS, `${CLUSTER}-apply`].map(
        async (n) => `--- docker logs ${n} ---\n${await containerLogs(n).catch(() => "(none)")}`,
      ),
    );
    if (error instanceof Error) error.message = `${error.message}\n${logs.join("\n")}`;
    throw error;
  }
}

function tenantLogin(outputs: unknown, tenant: string): SaslLogin {
  const password = outputAt(outputs, STACK, ...tenantPasswordPath(tenant));
  return { mechanism: "SCRAM-SHA-512", username: tenant, password };
}

function adminLogin(outputs: unknown): SaslLogin {
  const password = outputAt(outputs, STACK, ...ADMIN_PASSWORD_PATH);
  return { mechanism: "PLAIN", username: "sluice-admin", password };
}

function metadata(bootstrap: string, login: SaslLogin): Promise<KcatMetadata> {
  return kcatMetadata(bootstrap, kcatSasl(login));
}

/** What test/integration/java/ProduceRate.java reports. */
interface RateReport {
  sent: number;
  ackedBytesBySecond: number[];
  throttleTimeMaxMs: number;
  failed: string[];
}

/**
 * How long each quota producer runs, and the seconds over which its rate is measured: Kafka's rate
 * covers the last 11 one-second samples and, while it has fewer, divides by 10 s as if it had them,
 * so a new producer's first seconds burst above the quota; the window starts once that burst has
 * left the broker's samples.
 */
const QUOTA_RUN_SECONDS = 26;
const QUOTA_WINDOW = [13, 25] as const;

/** Acknowledged bytes per second over QUOTA_WINDOW. */
function steadyRate(report: RateReport): number {
  const [from, to] = QUOTA_WINDOW;
  const bytes = report.ackedBytesBySecond.slice(from, to).reduce((sum, b) => sum + b, 0);
  return bytes / (to - from);
}

interface Consumed {
  count: number;
  timedOut: boolean;
  records: { p: number; o: number; v: string }[];
}

describe("cdktf deploy of apps/kafka-cluster (Apache Kafka, 3 KRaft brokers) to the local Docker Engine", () => {
  let outputs: Record<string, unknown> = {};
  let bootstrap = "";
  let deployed = false;
  let knobs: Knobs = {};
  let volumesBefore: string[] = [];
  const deployedOutputs = () => {
    if (!deployed) throw new Error("the stack is not deployed (see the first failure)");
    return outputs;
  };

  beforeAll(async () => {
    settings = await e2eSettings();
    firstPort = await freePortRun(BROKERS.length);
    await runCommand("docker", ["info"], { timeoutMs: 30_000 });
    await runCommand("docker", ["image", "inspect", settings.baseImage]);
    await runCommand("docker", ["image", "inspect", `${kafkaRepository}:${kafkaVersion}`]);
    await snapshotCheckout(repoRoot, sourceRoot);
    if (fs.existsSync(path.join(workdirPath, "cdktf.json"))) {
      await workdirFor({})
        .destroy()
        .catch(() => undefined);
    }
    fs.rmSync(workdirPath, { recursive: true, force: true });
    const fresh = workdirFor({});
    await fresh.synth();
    // Retained data volumes of an earlier run would carry its cluster id and data over.
    for (const volume of fresh.mountedVolumes(STACK)) {
      await runCommand("docker", ["volume", "rm", volume], { okCodes: [0, 1] });
    }
    volumesBefore = await dockerVolumes();
  });

  afterAll(async () => {
    if (fs.existsSync(workdirPath)) {
      const workdir = workdirFor(knobs);
      const left = await workdir.resources(STACK).catch(() => []);
      if (left.length > 0) await workdir.destroy().catch(() => undefined);
      for (const image of workdir.imageNames(STACK).filter((i) => i.startsWith("sluice-broker:"))) {
        await runCommand("docker", ["image", "rm", image], { okCodes: [0, 1] });
      }
    }
    await removeVolumesSince(volumesBefore);
  });

  it("deploys three healthy, hardened brokers (read-only root, no capabilities, capped memory) and applies the topics", async () => {
    outputs = await deploy(workdirFor({}));
    bootstrap = outputAt(outputs, STACK, "cluster", "docker", "bootstrap-servers");
    expect(bootstrap).toBe(BROKERS.map((_, i) => `127.0.0.1:${firstPort + i}`).join(","));
    deployed = true;
    for (const name of BROKERS) {
      const c = await inspectContainer(name);
      expect(c.State.Running).toBe(true);
      expect(c.State.Health?.Status).toBe("healthy");
      expect(brokerHardening(c), name).toEqual({
        readOnlyRoot: true,
        capDrop: ["ALL"],
        noNewPrivileges: true,
        memoryMiB: 1024,
        swapMiB: 0,
      });
    }
    const apply = await inspectContainer(`${CLUSTER}-apply`);
    expect(apply.State.ExitCode).toBe(0);
    const md = await metadata(bootstrap, adminLogin(outputs));
    expect((md.brokers ?? []).map((b) => b.id).sort()).toEqual([0, 1, 2]);
    const topics = new Map((md.topics ?? []).map((t) => [t.topic, t.partitions ?? []]));
    expect(topics.get("orders")).toHaveLength(6);
    expect(topics.get("billing.payments")?.map((p) => p.replicas?.length)).toEqual([3, 3, 3]);
  });

  it("kcat and the Java client produce and consume as a tenant over SCRAM-SHA-512", async () => {
    const out = deployedOutputs();
    const billing = tenantLogin(out, "billing");
    const lines = Array.from({ length: 20 }, (_, i) => `kcat-${i}`);
    await kcatProduce(bootstrap, "billing.payments", lines, kcatSasl(billing));
    const read = await kcatConsume(bootstrap, "billing.payments", lines.length, kcatSasl(billing));
    expect(read.sort()).toEqual([...lines].sort());

    const produced = (await runJava(
      "ProduceDefaults",
      { bootstrap, topic: "billing.payments", count: 300, prefix: "java", ...javaSasl(billing) },
      120_000,
    )) as Produced;
    expect(produced.acks).toBe("-1");
    expect(produced.failed).toEqual([]);
    expect(produced.acked).toHaveLength(300);
    const consumed = (await runJava(
      "ConsumeGroup",
      {
        bootstrap,
        topic: "billing.payments",
        group: "billing.e2e",
        max: 320,
        "timeout-ms": 60_000,
        ...javaSasl(billing),
      },
      120_000,
    )) as Consumed;
    const values = new Set(consumed.records.map((r) => r.v));
    for (const v of [...lines, ...produced.acked]) expect(values).toContain(v);
  });

  it("honours the app's grants with kcat and the Java client: billing writes orders, analytics reads it in its group, nothing more", async () => {
    const out = deployedOutputs();
    const analytics = tenantLogin(out, "analytics");
    await checkDefaultGrants(
      bootstrap,
      { admin: adminLogin(out), billing: tenantLogin(out, "billing"), analytics },
      `kafka-${Date.now().toString(36)}`,
    );
    // Its own topic works with the same credentials.
    await kcatProduce(bootstrap, "analytics.reports", ["own"], kcatSasl(analytics));
  });

  it("keeps every acknowledged record when a broker is killed under an acks=all producer; the broker rejoins", async () => {
    const out = deployedOutputs();
    const billing = tenantLogin(out, "billing");
    const admin = adminLogin(out);
    const victim = BROKERS[2] ?? "";
    const count = 2000;
    const { produced, faulted } = await produceThroughFault({
      bootstrap,
      topic: "billing.payments",
      login: billing,
      prefix: "kill",
      count,
      intervalMs: 10,
      fault: () => runCommand("docker", ["kill", victim]),
    });
    expect(faulted).toBe(true);
    // The producer continued on the two others: nothing failed, everything was acknowledged.
    expect(produced.failed).toEqual([]);
    expect(produced.acked).toHaveLength(count);

    // Every acknowledged record is there, exactly once (the producer is idempotent).
    const all = await kcatConsume(bootstrap, "billing.payments", 100_000, kcatSasl(billing));
    const kills = all.filter((v) => v.startsWith("kill-"));
    expect(new Set(kills).size).toBe(kills.length);
    expect(new Set(kills)).toEqual(new Set(produced.acked));

    // The broker comes back (as the host would restart it) and catches up.
    await runCommand("docker", ["start", victim]);
    expect(
      await waitFor(
        async () => (await inspectContainer(victim)).State.Health?.Status === "healthy",
        180_000,
        2000,
      ),
    ).toBe(true);
    expect(
      await waitFor(
        async () => underReplicated(await metadata(bootstrap, admin)).length === 0,
        180_000,
        2000,
      ),
    ).toBe(true);
    const md = await metadata(bootstrap, admin);
    expect((md.brokers ?? []).map((b) => b.id).sort()).toEqual([0, 1, 2]);
  });

  it("applies the tenants' quotas: billing's producer is held to its byte rate while analytics produces unthrottled", async () => {
    const out = deployedOutputs();
    const quota = BILLING_PRODUCE_BYTES_PER_SECOND;
    // Both ask for twice billing's quota, at once, each to a single partition (one leader: Kafka
    // enforces the quota per broker). analytics has no produce quota.
    const asked = 2 * quota;
    const run = (login: SaslLogin, topic: string) =>
      runJava(
        "ProduceRate",
        {
          bootstrap,
          topic,
          partition: 0,
          seconds: QUOTA_RUN_SECONDS,
          "record-bytes": 8192,
          "bytes-per-second": asked,
          ...javaSasl(login),
        },
        120_000,
      ) as Promise<RateReport>;
    const [billing, analytics] = await Promise.all([
      run(tenantLogin(out, "billing"), "billing.payments"),
      run(tenantLogin(out, "analytics"), "analytics.reports"),
    ]);
    expect(billing.failed).toEqual([]);
    expect(analytics.failed).toEqual([]);
    const measured = { billing: steadyRate(billing), analytics: steadyRate(analytics) };
    console.log(
      `produce quota ${quota} B/s; measured over seconds ${QUOTA_WINDOW.join("-")}: ` +
        `billing ${Math.round(measured.billing)} B/s (throttled up to ${billing.throttleTimeMaxMs} ms), ` +
        `analytics ${Math.round(measured.analytics)} B/s (throttled up to ${analytics.throttleTimeMaxMs} ms)`,
    );
    const detail = { billing: billing.ackedBytesBySecond, analytics: analytics.ackedBytesBySecond };
    expect(billing.throttleTimeMaxMs, JSON.stringify(detail)).toBeGreaterThan(0);
    expect(measured.billing, JSON.stringify(detail)).toBeGreaterThanOrEqual(0.75 * quota);
    expect(measured.billing, JSON.stringify(detail)).toBeLessThanOrEqual(1.25 * quota);
    expect(analytics.throttleTimeMaxMs, JSON.stringify(detail)).toBe(0);
    // It gets what it asked for (within the same margin), above what billing may have.
    expect(measured.analytics, JSON.stringify(detail)).toBeGreaterThanOrEqual(0.75 * asked);
  });

  it("adds a tenant and a topic without touching a broker container; an unchanged redeploy plans nothing", async () => {
    deployedOutputs();
    const before = await Promise.all(BROKERS.map((n) => inspectContainer(n)));
    knobs = { extraTenant: "audit" };
    const workdir = workdirFor(knobs);
    outputs = await deploy(workdir);
    const after = await Promise.all(BROKERS.map((n) => inspectContainer(n)));
    expect(after.map((c) => [c.Id, c.State.StartedAt])).toEqual(
      before.map((c) => [c.Id, c.State.StartedAt]),
    );
    const md = await metadata(bootstrap, adminLogin(outputs));
    expect((md.topics ?? []).map((t) => t.topic)).toContain("audit.events");
    const audit = tenantLogin(outputs, "audit");
    await kcatProduce(bootstrap, "audit.events", ["hello"], kcatSasl(audit));

    const plan = await workdir.plan(STACK);
    expect(plan.code, plan.text).toBe(0);
  });

  it("destroys: no container or network of the stack is left", async () => {
    deployedOutputs();
    await workdirFor(knobs).destroy();
    for (const name of [...BROKERS, `${CLUSTER}-apply`]) {
      expect(await dockerObjectExists("container", name)).toBe(false);
    }
    const networks = (await runCommand("docker", ["network", "ls", "--format", "{{.Name}}"])).stdout
      .split("\n")
      .filter((n) => n.startsWith(CLUSTER));
    expect(networks).toEqual([]);
  });
});
