/**
 * End to end on a real Docker Engine: `cdktf deploy` of the default app (apps/local), real Kafka clients
 * through the published port, an in-place topic change, an empty plan on an unchanged redeploy, and a
 * destroy that leaves nothing of the stack behind. Needs what scripts/e2e/run.sh installs.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { checkDefaultGrants, kcatSasl, type SaslLogin } from "./support/default-grants";
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
import { type KafkaTarget, listTopics, partitionCount, roundTrip } from "./support/kafkajs-client";
import { kcatConsume, kcatEnv, kcatProduce } from "./support/kcat";
import {
  E2E_LOCK_FILE,
  GROWN_TOPIC,
  type LocalAppKnobs,
  localAppWorkdir,
} from "./support/local-app-knobs";
import { runCommand } from "./support/run-command";
import { snapshotCheckout } from "./support/snapshot-checkout";
import { ADMIN_PASSWORD_PATH, findOutput, tenantPasswordPath } from "./support/stack-outputs";
import { type StackWorkdir, type StateResource, serviceContainers } from "./support/stack-workdir";

const repoRoot = path.resolve(__dirname, "..", "..");
// Resolved in beforeAll (the host port is picked then).
let settings: E2eSettings;
const workdirPath = path.join(repoRoot, ".e2e", "deploy");
// The checkout as it was when the suite started (see snapshotCheckout).
const sourceRoot = path.join(repoRoot, ".e2e", "src");
// Only for developing the suite (e.g. test/e2e/fixtures/topics-only-app.ts); CI deploys apps/local.
const appEntry = process.env.SLUICE_E2E_APP ?? "apps/local/main.ts";
const runId = `${Date.now().toString(36)}`;

/** Scratch project for one configuration of the app. */
function workdirFor(knobs: LocalAppKnobs): StackWorkdir {
  return localAppWorkdir(settings, knobs, { sourceRoot, dir: workdirPath, appEntry });
}

/**
 * Deploys; when that fails, adds the logs of the stack's containers to the error, because a failed
 * container (a healthcheck, a one-shot job) only explains itself there and is gone after the cleanup.
 */
async function deployWithDiagnostics(workdir: StackWorkdir): Promise<Record<string, unknown>> {
  try {
    return await workdir.deploy();
  } catch (error) {
    const names = workdir.stackNames().flatMap((s) => workdir.containerNames(s));
    const logs = await Promise.all(
      names.map(
        async (n) => `--- docker logs ${n} ---\n${await containerLogs(n).catch(() => "(none)")}`,
      ),
    );
    if (error instanceof Error) error.message = `${error.message}\n${logs.join("\n")}`;
    throw error;
  }
}

const outputAt = (outputs: unknown, ...ids: string[]) =>
  findOutput(outputs, "sluice-local", ...ids);

/** SASL/SCRAM-SHA-512 settings of a principal whose password is the output at `path`. */
function scramLogin(outputs: unknown, username: string, path: readonly string[]) {
  const password = outputAt(outputs, ...path);
  if (password === undefined) throw new Error(`no output at ${path.join("/")}`);
  return { mechanism: "scram-sha-512" as const, username, password };
}

/**
 * The cluster administrator's login; undefined for an app without tenants (PLAINTEXT), such as the
 * topics-only fixture app.
 */
function adminLogin(outputs: unknown) {
  return outputAt(outputs, ...ADMIN_PASSWORD_PATH) === undefined
    ? undefined
    : scramLogin(outputs, "sluice-admin", ADMIN_PASSWORD_PATH);
}

/** Finds a string output whose name mentions "bootstrap" (outputs nest by stack and construct). */
function findBootstrap(outputs: unknown): string | undefined {
  if (outputs === null || typeof outputs !== "object") return undefined;
  for (const [key, value] of Object.entries(outputs)) {
    if (/bootstrap/i.test(key) && typeof value === "string" && value.includes(":")) return value;
    const nested = findBootstrap(value);
    if (nested) return nested;
  }
  return undefined;
}

const byType = (resources: readonly StateResource[], type: string): StateResource[] =>
  resources.filter((r) => r.type === type);
const services = serviceContainers;
const jobs = (resources: readonly StateResource[]): StateResource[] =>
  byType(resources, "docker_container").filter((r) => r.values.must_run === false);
const idOf = (r: StateResource): string => String(r.values.id ?? "");
const nameOf = (r: StateResource): string => String(r.values.name ?? "");

describe("cdktf deploy of apps/local to the local Docker Engine", () => {
  let stack = "";
  // Set only once this run's deploy succeeded: no client test may reach some other broker.
  let target: KafkaTarget | undefined;
  // The last deploy's outputs (passwords included).
  let outputs: Record<string, unknown> = {};
  const deployedTarget = (): KafkaTarget => {
    if (!target) throw new Error("the stack is not deployed (see the first failure)");
    return target;
  };
  const topic = GROWN_TOPIC;
  let deployed: StateResource[] = [];
  let volumesBefore: string[] = [];
  // Named volumes the stack's containers mount that Terraform does not manage (RemovalPolicy.RETAIN).
  let retainedVolumes: string[] = [];
  // The knobs of the last deploy: a destroy must synthesize the same model (the lock file refuses
  // partition decreases).
  let knobs: LocalAppKnobs = {};

  beforeAll(async () => {
    settings = await e2eSettings();
    await runCommand("docker", ["info"], { timeoutMs: 30_000 });
    await runCommand("docker", ["image", "inspect", settings.baseImage]);
    await snapshotCheckout(repoRoot, sourceRoot);
    // A run that died half-way leaves state behind: destroy what it deployed, then start clean.
    if (fs.existsSync(path.join(workdirPath, "cdktf.json"))) {
      fs.rmSync(path.join(workdirPath, E2E_LOCK_FILE), { force: true });
      await workdirFor({})
        .destroy()
        .catch(() => undefined);
    }
    fs.rmSync(workdirPath, { recursive: true, force: true });
    // Retained data volumes of an earlier run would carry its topics (and partition counts) over;
    // `docker volume rm` refuses volumes a container still uses, so a developer's running stack is safe.
    const fresh = workdirFor({});
    const stacks = await fresh.synth();
    expect(stacks).toHaveLength(1);
    stack = stacks[0] ?? "";
    for (const volume of fresh.mountedVolumes(stack)) {
      await runCommand("docker", ["volume", "rm", volume], { okCodes: [0, 1] });
    }
    volumesBefore = await dockerVolumes();
  });

  afterAll(async () => {
    // Best effort: leave the machine as we found it, even when a step failed.
    if (stack && fs.existsSync(workdirPath)) {
      const workdir = workdirFor(knobs);
      const left = await workdir.resources(stack).catch(() => []);
      if (left.length > 0) await workdir.destroy().catch(() => undefined);
      // keep_locally leaves the broker image behind by design; this run's copy is of no further use.
      for (const image of workdir.imageNames(stack)) {
        await runCommand("docker", ["image", "rm", image], { okCodes: [0, 1] });
      }
    }
    await removeVolumesSince(volumesBefore);
  });

  it("deploys: the broker container runs and turns healthy", async () => {
    const workdir = workdirFor({});
    outputs = await deployWithDiagnostics(workdir);
    const bootstrap = findBootstrap(outputs);
    expect(bootstrap).toBe(`127.0.0.1:${settings.hostPort}`);

    deployed = await workdir.resources(stack);
    const managedVolumes = byType(deployed, "docker_volume").map(nameOf);
    retainedVolumes = workdir.mountedVolumes(stack).filter((v) => !managedVolumes.includes(v));
    const containers = services(deployed);
    expect(containers.length).toBeGreaterThanOrEqual(1);
    for (const job of jobs(deployed)) {
      const state = (await inspectContainer(idOf(job))).State;
      expect(state.ExitCode, `job ${nameOf(job)}:\n${await containerLogs(idOf(job))}`).toBe(0);
    }
    for (const container of containers) {
      const healthy = await waitFor(async () => {
        const state = (await inspectContainer(idOf(container))).State;
        return state.Running && (state.Health === undefined || state.Health.Status === "healthy");
      }, 120_000);
      expect(
        healthy,
        `container ${nameOf(container)}:\n${await containerLogs(idOf(container))}`,
      ).toBe(true);
      // apps/local gives its broker 512 MiB.
      expect(brokerHardening(await inspectContainer(idOf(container)))).toEqual({
        readOnlyRoot: true,
        capDrop: ["ALL"],
        noNewPrivileges: true,
        memoryMiB: 512,
        swapMiB: 0,
      });
    }
    expect(byType(deployed, "docker_network").length).toBeGreaterThanOrEqual(1);

    // The app has tenants, so the broker speaks SASL; the administrator's password is an output.
    target = { bootstrap: `127.0.0.1:${settings.hostPort}`, sasl: adminLogin(outputs) };

    // The app's topics reach the running broker (through its admin path, not at container start).
    const listed = await waitFor(
      async () => (await listTopics(deployedTarget())).includes(topic),
      60_000,
    );
    expect(
      listed,
      `topics listed by the broker: ${(await listTopics(deployedTarget())).join(", ")}`,
    ).toBe(true);
  });

  it("produces and consumes through the published port with kcat", async () => {
    const values = [1, 2, 3].map((i) => `kcat-${runId}-${i}`);
    const admin = adminLogin(outputs);
    const login = admin === undefined ? {} : kcatSasl({ ...admin, mechanism: "SCRAM-SHA-512" });
    await kcatProduce(deployedTarget().bootstrap, topic, values, login);
    // Keyless messages spread over the partitions: read all of them from the beginning.
    const seen = await kcatConsume(deployedTarget().bootstrap, topic, values.length, login);
    expect(seen.filter((v) => values.includes(v)).sort()).toEqual(values);
  });

  it("produces and consumes through the published port with kafkajs", async () => {
    const values = [1, 2, 3, 4, 5].map((i) => `kafkajs-${runId}-${i}`);
    const seen = await roundTrip(deployedTarget(), topic, `sluice-e2e-${runId}`, values);
    expect([...seen].sort()).toEqual([...values].sort());
  });

  it("grows a topic's partitions in place: same container, more partitions", async () => {
    const before = await partitionCount(deployedTarget(), topic);
    expect(before).toBeGreaterThanOrEqual(1);
    const containersBefore = services(deployed);
    const startedBefore = await Promise.all(
      containersBefore.map(async (c) => (await inspectContainer(idOf(c))).State),
    );

    knobs = { ordersPartitions: before + 2 };
    const workdir = workdirFor(knobs);
    await deployWithDiagnostics(workdir);
    const after = await workdir.resources(stack);
    const containersAfter = services(after);
    for (const job of jobs(after)) {
      const state = (await inspectContainer(idOf(job))).State;
      expect(state.ExitCode, `job ${nameOf(job)}:\n${await containerLogs(idOf(job))}`).toBe(0);
    }
    expect(containersAfter.map(idOf).sort()).toEqual(containersBefore.map(idOf).sort());
    for (const [i, container] of containersBefore.entries()) {
      const state = (await inspectContainer(idOf(container))).State;
      expect(state.Running).toBe(true);
      // Not restarted either: topic changes reach the running broker through its admin path.
      expect(state.StartedAt).toBe(startedBefore[i]?.StartedAt);
    }
    const grew = await waitFor(
      async () => (await partitionCount(deployedTarget(), topic)) === before + 2,
      60_000,
    );
    expect(
      grew,
      `partitions of ${topic}: ${await partitionCount(deployedTarget(), topic)}, want ${before + 2}`,
    ).toBe(true);
    deployed = after;
  });

  it("authenticates tenants and keeps them apart", async () => {
    const bootstrap = deployedTarget().bootstrap;
    const billing: KafkaTarget = {
      bootstrap,
      sasl: scramLogin(outputs, "billing", tenantPasswordPath("billing")),
    };
    const values = [1, 2, 3].map((i) => `billing-${runId}-${i}`);
    const seen = await roundTrip(billing, "billing.payments", `billing.e2e-${runId}`, values);
    expect([...seen].sort()).toEqual([...values].sort());
    // billing sees its own topics, never another tenant's.
    const visible = await listTopics(billing);
    expect(visible).toContain("billing.payments");
    expect(visible.filter((t) => t.startsWith("analytics."))).toEqual([]);
    // Without credentials the SASL listener serves nothing.
    await expect(listTopics({ bootstrap })).rejects.toThrow();
    // A wrong password is refused.
    await expect(
      listTopics({
        bootstrap,
        sasl: {
          ...scramLogin(outputs, "billing", tenantPasswordPath("billing")),
          password: "wrong",
        },
      }),
    ).rejects.toThrow(/SASL SCRAM SHA512 authentication failed: Authentication failed/);
  });

  it("honours the app's grants with kcat and the Java client: billing writes orders, analytics reads it in its group, nothing more", async () => {
    const login = (user: string, at: readonly string[]): SaslLogin => {
      const { username, password } = scramLogin(outputs, user, at);
      return { mechanism: "SCRAM-SHA-512", username, password };
    };
    await checkDefaultGrants(
      deployedTarget().bootstrap,
      {
        admin: login("sluice-admin", ADMIN_PASSWORD_PATH),
        billing: login("billing", tenantPasswordPath("billing")),
        analytics: login("analytics", tenantPasswordPath("analytics")),
      },
      runId,
    );
  });

  it("docs/constructs.md's kcat example lists the deployed cluster as written (its port for 9092)", async () => {
    const doc = fs.readFileSync(path.join(repoRoot, "docs", "constructs.md"), "utf8");
    const block =
      /<!-- runnable: test\/e2e\/deploy\.test\.ts[^>]*-->\n\n```bash\n([\s\S]*?)```/.exec(doc)?.[1];
    expect(block, "docs/constructs.md has no runnable block for this suite").toBeDefined();
    const script = (block ?? "").replaceAll("127.0.0.1:9092", deployedTarget().bootstrap);
    const r = await runCommand("bash", ["-euo", "pipefail", "-c", script], {
      cwd: workdirFor(knobs).dir,
      env: kcatEnv(),
      timeoutMs: 120_000,
    });
    expect(r.stdout).toContain("1 brokers:");
    expect(r.stdout).toMatch(/topic "orders" with \d+ partitions/);
  });

  it("adds a tenant and a topic in place: same broker container, the new tenant works at once", async () => {
    const containersBefore = services(deployed);
    const startedBefore = await Promise.all(
      containersBefore.map(async (c) => (await inspectContainer(idOf(c))).State),
    );
    knobs = { ...knobs, extraTenant: "audit" };
    const workdir = workdirFor(knobs);
    outputs = await deployWithDiagnostics(workdir);
    const after = await workdir.resources(stack);
    for (const job of jobs(after)) {
      const state = (await inspectContainer(idOf(job))).State;
      expect(state.ExitCode, `job ${nameOf(job)}:\n${await containerLogs(idOf(job))}`).toBe(0);
    }
    expect(services(after).map(idOf).sort()).toEqual(containersBefore.map(idOf).sort());
    for (const [i, container] of containersBefore.entries()) {
      const state = (await inspectContainer(idOf(container))).State;
      expect(state.Running).toBe(true);
      expect(state.StartedAt).toBe(startedBefore[i]?.StartedAt);
    }
    const audit: KafkaTarget = {
      bootstrap: deployedTarget().bootstrap,
      sasl: scramLogin(outputs, "audit", tenantPasswordPath("audit")),
    };
    const values = [`audit-${runId}-1`, `audit-${runId}-2`];
    const seen = await roundTrip(audit, "audit.events", `audit.e2e-${runId}`, values);
    expect([...seen].sort()).toEqual([...values].sort());
    const billing: KafkaTarget = {
      bootstrap: deployedTarget().bootstrap,
      sasl: scramLogin(outputs, "billing", tenantPasswordPath("billing")),
    };
    expect(await listTopics(billing)).not.toContain("audit.events");
    deployed = after;
  });

  it("plans no changes when redeployed unchanged", async () => {
    const workdir = workdirFor(knobs);
    const plan = await workdir.plan(stack);
    expect(plan.code, plan.text).toBe(0);
  });

  it("destroys: no container or network of the stack is left", async () => {
    expect(byType(deployed, "docker_container").length, "nothing was deployed").toBeGreaterThan(0);
    const workdir = workdirFor(knobs);
    await workdir.destroy();
    expect(await workdir.resources(stack)).toEqual([]);
    for (const container of byType(deployed, "docker_container")) {
      expect(await dockerObjectExists("container", idOf(container)), nameOf(container)).toBe(false);
      expect(await dockerObjectExists("container", nameOf(container)), nameOf(container)).toBe(
        false,
      );
    }
    for (const network of byType(deployed, "docker_network")) {
      expect(await dockerObjectExists("network", idOf(network)), nameOf(network)).toBe(false);
    }
    // Volumes follow the declared policy: Terraform-managed volumes go with the stack; retained ones
    // (mounted by name, outside the state) keep the data on the host.
    for (const volume of byType(deployed, "docker_volume")) {
      expect(await dockerObjectExists("volume", nameOf(volume)), nameOf(volume)).toBe(false);
    }
    for (const volume of retainedVolumes) {
      expect(await dockerObjectExists("volume", volume), volume).toBe(true);
    }
  });
});
