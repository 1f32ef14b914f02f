/**
 * Apache Kafka over three Docker hosts, for real: scripts/e2e/docker-hosts.sh makes three engines on
 * this machine, each in a network namespace of its own with its own address (10.77.0.2-4), reached as
 * machines are — h1 over a unix socket, h2 over tcp:// with TLS client certificates, h3 over ssh://.
 * `cdktf deploy` of apps/multi-host puts one broker on each; an idempotent acks=all producer and a
 * consumer group run while host h2 is cut off the network; every acknowledged record is read back
 * exactly once; h2 comes back and its broker catches up; `cdktf destroy` leaves nothing on any host.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runSluice as sluice } from "../cli/run-sluice";
import { kafkaVersion, runJava } from "../integration/support/clients";
import { javaSasl, kcatSasl, type SaslLogin } from "./support/default-grants";
import { waitFor } from "./support/docker-cli";
import { type E2eSettings, e2eSettings } from "./support/e2e-settings";
import { kcatConsume, kcatMetadata, kcatProduce, underReplicated } from "./support/kcat";
import { produceThroughFault } from "./support/produce-through-fault";
import { runCommand } from "./support/run-command";
import { snapshotCheckout } from "./support/snapshot-checkout";
import { ADMIN_PASSWORD_PATH, outputAt, tenantPasswordPath } from "./support/stack-outputs";
import { StackWorkdir } from "./support/stack-workdir";

const repoRoot = path.resolve(__dirname, "..", "..");
const workdirPath = path.join(repoRoot, ".e2e", "multi-host");
const sourceRoot = path.join(repoRoot, ".e2e", "src-multi");
const hostsScript = path.join(repoRoot, "scripts", "e2e", "docker-hosts.sh");
const STACK = "sluice-multi";
const CLUSTER = "sluice-multi";
const HOSTS = ["h1", "h2", "h3"] as const;
const ADDRESSES = ["10.77.0.2", "10.77.0.3", "10.77.0.4"];
const HOST_PORT = 19092;
const kafkaRepository = process.env.SLUICE_E2E_KAFKA_REPOSITORY ?? "local/apache-kafka";

let settings: E2eSettings;
let hostEnv: Record<string, string> = {};

/** `docker` against one host's engine (its unix socket: the test runs on the machine that hosts them). */
function dockerOn(host: (typeof HOSTS)[number], args: readonly string[], okCodes = [0]) {
  return runCommand("docker", args, {
    env: { ...process.env, DOCKER_HOST: `unix:///run/sluice-hosts/${host}/docker.sock` },
    okCodes,
  });
}

/** The variables docker-hosts.sh wrote (`export A=B C=D` lines). */
function readHostEnv(file: string): Record<string, string> {
  const env: Record<string, string> = {};
  for (const m of fs.readFileSync(file, "utf8").matchAll(/(\w+)=("([^"]*)"|\S+)/g)) {
    const name = m[1];
    if (name !== undefined) env[name] = m[3] ?? m[2] ?? "";
  }
  return env;
}

function workdir(extraTopic?: string): StackWorkdir {
  const w = new StackWorkdir(sourceRoot, workdirPath, "apps/multi-host/main.ts", {
    ...(extraTopic === undefined ? {} : { SLUICE_MULTI_EXTRA_TOPIC: extraTopic }),
    ...hostEnv,
    SLUICE_KAFKA_REPOSITORY: kafkaRepository,
    SLUICE_KAFKA_VERSION: kafkaVersion,
    SLUICE_BASE_IMAGE: settings.baseImage,
    SLUICE_HOST_PORT: String(HOST_PORT),
    SLUICE_LOCK_FILE: "sluice.lock.json",
  });
  w.writeConfig({});
  return w;
}

/** Containers, networks and volumes of the app's clusters (sluice-multi, sluice-edge) on one host. */
async function leftOn(host: (typeof HOSTS)[number]): Promise<string[]> {
  const filter = ["--filter", "label=sluice.cluster"];
  const list = async (args: string[]) =>
    (await dockerOn(host, args)).stdout.split("\n").filter(Boolean);
  return [
    ...(await list(["ps", "-a", ...filter, "--format", "container {{.Names}}"])),
    ...(await list(["network", "ls", ...filter, "--format", "network {{.Name}}"])),
    ...(await list(["volume", "ls", "--format", "volume {{.Name}}"])).filter((v) =>
      v.startsWith("volume sluice-"),
    ),
  ];
}

interface Consumed {
  records: { p: number; o: number; v: string }[];
}

describe("cdktf deploy of apps/multi-host (Apache Kafka over three Docker hosts)", () => {
  let outputs: Record<string, unknown> = {};
  let bootstrap = "";
  let deployed = false;
  const deployedOutputs = () => {
    if (!deployed) throw new Error("the stack is not deployed (see the first failure)");
    return outputs;
  };
  const login = (tenant: string): SaslLogin => ({
    mechanism: "SCRAM-SHA-512",
    username: tenant,
    password: outputAt(deployedOutputs(), STACK, ...tenantPasswordPath(tenant)),
  });
  const admin = (): SaslLogin => ({
    mechanism: "PLAIN",
    username: "sluice-admin",
    password: outputAt(deployedOutputs(), STACK, ...ADMIN_PASSWORD_PATH),
  });

  beforeAll(async () => {
    settings = await e2eSettings();
    const up = await runCommand(
      "bash",
      [hostsScript, "up", `${kafkaRepository}:${kafkaVersion}`, settings.baseImage],
      { timeoutMs: 600_000 },
    );
    hostEnv = readHostEnv(up.stdout.trim().split("\n").pop() ?? "");
    await snapshotCheckout(repoRoot, sourceRoot);
    if (fs.existsSync(path.join(workdirPath, "cdktf.json"))) {
      await workdir()
        .destroy()
        .catch(() => undefined);
    }
    fs.rmSync(workdirPath, { recursive: true, force: true });
    // Retained volumes of an earlier run would carry its cluster id and data over.
    for (const host of HOSTS) {
      for (const v of (await leftOn(host)).filter((x) => x.startsWith("volume "))) {
        await dockerOn(host, ["volume", "rm", v.slice("volume ".length)], [0, 1]);
      }
    }
  }, 900_000);

  afterAll(async () => {
    await runCommand("ip", ["link", "set", "sl-h2", "up"], { okCodes: [0, 1] });
    // Debugging a failure: leave the stack and the engines as they are.
    if (process.env.SLUICE_E2E_KEEP === "1") return;
    if (fs.existsSync(workdirPath) && deployed) {
      await workdir()
        .destroy()
        .catch(() => undefined);
    }
    for (const host of HOSTS) {
      for (const v of (await leftOn(host).catch(() => [])).filter((x) => x.startsWith("volume "))) {
        await dockerOn(host, ["volume", "rm", v.slice("volume ".length)], [0, 1]).catch(() => {});
      }
    }
    // Namespaces, links and the bridge go; the engines' data roots stay cached.
    await runCommand("bash", [hostsScript, "down"], { okCodes: [0, 1] });
  }, 600_000);

  it("deploys one broker per host, each advertised at its host's address with its rack", async () => {
    outputs = await workdir().deploy();
    deployed = true;
    bootstrap = outputAt(outputs, STACK, "cluster", "docker", "bootstrap-servers");
    expect(bootstrap).toBe(ADDRESSES.map((a, i) => `${a}:${HOST_PORT + i}`).join(","));
    for (const [i, host] of HOSTS.entries()) {
      const names = (await dockerOn(host, ["ps", "--format", "{{.Names}} {{.Status}}"])).stdout;
      expect(names, host).toMatch(new RegExp(`^${CLUSTER}-broker-${i} Up .*\\(healthy\\)`, "m"));
    }
    const md = await kcatMetadata(bootstrap, kcatSasl(admin()));
    const advertised = [...(md.brokers ?? [])].sort((a, b) => a.id - b.id).map((b) => b.name);
    expect(advertised).toEqual(ADDRESSES.map((a, i) => `${a}:${HOST_PORT + i}`));
    const payments = (md.topics ?? []).find((t) => t.topic === "billing.payments");
    // Rack-aware: every partition has a replica on each host.
    for (const p of payments?.partitions ?? []) {
      expect([...(p.replicas ?? [])].map((r) => r.id).sort()).toEqual([0, 1, 2]);
    }
    expect(payments?.partitions).toHaveLength(3);

    // The bundled broker placed on h3 alone (reached over SSH), advertised at h3's address.
    const edge = `${ADDRESSES[2]}:${HOST_PORT + 300}`;
    expect(outputAt(outputs, STACK, "edge", "docker", "bootstrap-servers")).toBe(edge);
    expect((await dockerOn("h3", ["ps", "--format", "{{.Names}} {{.Status}}"])).stdout).toMatch(
      /^sluice-edge-broker-0 Up .*\(healthy\)/m,
    );
    const lines = ["r1", "r2", "r3"];
    await kcatProduce(edge, "readings", lines);
    expect((await kcatConsume(edge, "readings", lines.length)).sort()).toEqual(lines);
  });

  it("sluice plan works across the hosts: offline, against Terraform's plan of the three engines, and validated by the live cluster", async () => {
    deployedOutputs();
    const base = path.join(workdirPath, "base.out");
    const head = path.join(workdirPath, "head.out");
    const w = workdir();
    await w.synth();
    fs.rmSync(base, { recursive: true, force: true });
    fs.cpSync(path.join(workdirPath, "cdktf.out"), base, { recursive: true });
    // Unchanged: Terraform (over unix://, TLS and SSH) agrees there is nothing to do.
    const unchangedPlan = path.join(workdirPath, "unchanged.plan.json");
    await w.planJson(STACK, unchangedPlan);
    const same = await sluice([
      "plan",
      "--base",
      base,
      "--head",
      base,
      "--terraform-plan",
      unchangedPlan,
    ]);
    expect(same.err).toBe("");
    expect(same.code).toBe(0);
    // A topic added: previewed, Terraform replaces only the apply job, the live cluster accepts it.
    const changed = workdir("audit.log");
    await changed.synth();
    fs.rmSync(head, { recursive: true, force: true });
    fs.cpSync(path.join(workdirPath, "cdktf.out"), head, { recursive: true });
    const plan = path.join(workdirPath, "head.plan.json");
    await changed.planJson(STACK, plan);
    const r = await sluice(
      [
        "plan",
        "--base",
        base,
        "--head",
        head,
        "--terraform-plan",
        plan,
        "--bootstrap",
        bootstrap,
        "--cluster",
        CLUSTER,
        "--sasl-mechanism",
        "PLAIN",
        "--username",
        "sluice-admin",
        "--password-env",
        "SLUICE_PLAN_ADMIN_PASSWORD",
      ],
      { SLUICE_PLAN_ADMIN_PASSWORD: admin().password },
    );
    expect(r.err).toBe("");
    expect(r.out).toContain("+ topic audit.log");
    expect(r.out).not.toMatch(/TERRAFORM_DISAGREES|CLUSTER_REFUSES/);
    expect(r.code).toBe(2);
  });

  it("keeps producing and consuming while a whole host is cut off; every acknowledged record is read back exactly once; the host's broker rejoins", async () => {
    deployedOutputs();
    const billing = login("billing");
    const count = 3000;
    const consumer = runJava(
      "ConsumeGroup",
      {
        bootstrap,
        topic: "billing.payments",
        group: "billing.multi",
        max: count,
        "timeout-ms": 240_000,
        ...javaSasl(billing),
      },
      300_000,
    ) as Promise<Consumed>;
    // A quarter through, host h2 drops off the network, its broker with it.
    const { produced, faulted } = await produceThroughFault({
      bootstrap,
      topic: "billing.payments",
      login: billing,
      prefix: "mh",
      count,
      intervalMs: 5,
      fault: () => runCommand("ip", ["link", "set", "sl-h2", "down"]),
    });
    expect(faulted).toBe(true);
    expect(produced.failed).toEqual([]);
    expect(produced.acked).toHaveLength(count);
    const consumed = await consumer;
    expect(new Set(consumed.records.map((r) => r.v))).toEqual(new Set(produced.acked));

    const all = await kcatConsume(bootstrap, "billing.payments", 100_000, kcatSasl(billing));
    const ours = all.filter((v) => v.startsWith("mh-"));
    expect(ours).toHaveLength(new Set(ours).size);
    expect(new Set(ours)).toEqual(new Set(produced.acked));

    // While h2 is away its broker is fenced: two brokers left, partitions under-replicated.
    const withoutH2 = async () => {
      const md = await kcatMetadata(bootstrap, kcatSasl(admin()));
      return (md.brokers ?? []).length === 2 && underReplicated(md).length > 0;
    };
    expect(await waitFor(withoutH2, 60_000, 2000)).toBe(true);

    // The host comes back: its broker catches up and every partition is fully replicated again.
    await runCommand("ip", ["link", "set", "sl-h2", "up"]);
    expect(
      await waitFor(
        async () => underReplicated(await kcatMetadata(bootstrap, kcatSasl(admin()))).length === 0,
        180_000,
        2000,
      ),
    ).toBe(true);
  });

  it("destroys: no container, network or volume of either cluster is left on any host", async () => {
    deployedOutputs();
    await workdir().destroy();
    deployed = false;
    // apps/multi-host destroys its volumes with the stack (RemovalPolicy.DESTROY).
    for (const host of HOSTS) expect(await leftOn(host), host).toEqual([]);
  });
});
