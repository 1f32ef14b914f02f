/**
 * Does `sluice plan` tell the truth? apps/local is deployed to the local Docker Engine, then changed
 * three times; before each deploy `sluice plan` previews the change, checked against a real
 * `terraform plan` (`--terraform-plan`), and the deploy must then do what the preview said: what it
 * called live leaves every broker container (id and StartedAt) as it was and shows through the Kafka
 * API; what it called a restart restarts. Finally `--bootstrap` validates a partition decrease, forced
 * past the lock file, against the deployed broker: refused, with the broker's error.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { planPreviewDocumentSchema } from "../../lib/preview/plan-preview";
import { runSluice as sluice } from "../cli/run-sluice";
import { dockerVolumes, inspectContainer, removeVolumesSince } from "./support/docker-cli";
import { type E2eSettings, e2eSettings } from "./support/e2e-settings";
import {
  type KafkaTarget,
  listTopics,
  partitionCount,
  topicConfig,
} from "./support/kafkajs-client";
import { E2E_LOCK_FILE, type LocalAppKnobs, localAppWorkdir } from "./support/local-app-knobs";
import { runCommand } from "./support/run-command";
import { snapshotCheckout } from "./support/snapshot-checkout";
import { ADMIN_PASSWORD_PATH, outputAt } from "./support/stack-outputs";
import { type StackWorkdir, serviceContainers } from "./support/stack-workdir";

const repoRoot = path.resolve(__dirname, "..", "..");
const workdirPath = path.join(repoRoot, ".e2e", "plan-truth");
const snapshots = path.join(repoRoot, ".e2e", "plan-truth-outputs");
const sourceRoot = path.join(repoRoot, ".e2e", "src");
const ALT_BASE_IMAGE = "sluice/node-base:plan-truth";
const STACK = "sluice-local";

let settings: E2eSettings;
let knobs: LocalAppKnobs = {};
let outputs: Record<string, unknown> = {};
let volumesBefore: string[] = [];
let previous = "";

function workdirFor(k: LocalAppKnobs): StackWorkdir {
  return localAppWorkdir(settings, k, {
    sourceRoot,
    dir: workdirPath,
    appEntry: "apps/local/main.ts",
  });
}

/** Synthesizes the app with `k` and keeps a copy of the synth output under `name`. */
async function synthSnapshot(k: LocalAppKnobs, name: string): Promise<string> {
  const workdir = workdirFor(k);
  await workdir.synth();
  const copy = path.join(snapshots, name);
  fs.rmSync(copy, { recursive: true, force: true });
  fs.cpSync(path.join(workdirPath, "cdktf.out"), copy, { recursive: true });
  return copy;
}

/** `sluice plan` of the last deployed output against `k`, with Terraform's plan of `k`. */
async function previewOf(k: LocalAppKnobs, name: string) {
  const head = await synthSnapshot(k, name);
  const planFile = path.join(snapshots, `${name}.plan.json`);
  await workdirFor(k).planJson(STACK, planFile);
  const r = await sluice([
    "plan",
    "--base",
    previous,
    "--head",
    head,
    "--terraform-plan",
    planFile,
    "--format",
    "json",
  ]);
  expect(r.err).toBe("");
  const preview = planPreviewDocumentSchema.parse(JSON.parse(r.out));
  return { code: r.code, preview, head };
}

/** Deploys `k`; the head's synth output becomes the base of the next preview. */
async function deploy(k: LocalAppKnobs, head: string): Promise<void> {
  outputs = await workdirFor(k).deploy();
  knobs = k;
  previous = head;
}

/** Each broker container's id and start time. */
async function brokerContainers(): Promise<{ id: string; startedAt: string }[]> {
  const resources = await workdirFor(knobs).resources(STACK);
  return Promise.all(
    serviceContainers(resources).map(async (r) => {
      const id = String(r.values.id ?? "");
      return { id, startedAt: (await inspectContainer(id)).State.StartedAt };
    }),
  );
}

/** The output at a construct path below the stack, of the last deploy. */
function outputOf(...ids: string[]): string {
  return outputAt(outputs, STACK, ...ids);
}

function admin(): KafkaTarget {
  return {
    bootstrap: `127.0.0.1:${settings.hostPort}`,
    sasl: {
      mechanism: "scram-sha-512",
      username: "sluice-admin",
      password: outputOf(...ADMIN_PASSWORD_PATH),
    },
  };
}

beforeAll(async () => {
  settings = await e2eSettings();
  await runCommand("docker", ["image", "inspect", settings.baseImage]);
  // A second name of the same base image: a new base image, so a new broker image.
  await runCommand("docker", ["tag", settings.baseImage, ALT_BASE_IMAGE]);
  await snapshotCheckout(repoRoot, sourceRoot);
  if (fs.existsSync(path.join(workdirPath, "cdktf.json"))) {
    await workdirFor({})
      .destroy()
      .catch(() => undefined);
  }
  fs.rmSync(workdirPath, { recursive: true, force: true });
  fs.rmSync(snapshots, { recursive: true, force: true });
  const fresh = await synthSnapshot({}, "v0");
  for (const volume of workdirFor({}).mountedVolumes(STACK)) {
    await runCommand("docker", ["volume", "rm", volume], { okCodes: [0, 1] });
  }
  volumesBefore = await dockerVolumes();
  await deploy({}, fresh);
}, 600_000);

afterAll(async () => {
  if (fs.existsSync(path.join(workdirPath, "cdktf.json"))) {
    const workdir = workdirFor(knobs);
    await workdir.destroy().catch(() => undefined);
    for (const image of workdir.imageNames(STACK)) {
      await runCommand("docker", ["image", "rm", image], { okCodes: [0, 1] });
    }
  }
  await runCommand("docker", ["image", "rm", ALT_BASE_IMAGE], { okCodes: [0, 1] });
  await removeVolumesSince(volumesBefore);
}, 600_000);

describe("sluice plan against the deploy that follows it (apps/local on Docker)", () => {
  it("1. partitions grown and retention raised: previewed live (exit 2); the broker is untouched and Kafka shows both", async () => {
    const next = { ordersPartitions: 5, ordersRetentionHours: 96 };
    const { code, preview, head } = await previewOf(next, "v1");
    expect(code, JSON.stringify(preview, null, 2)).toBe(2);
    const cluster = preview.clusters[0];
    expect(cluster?.hazards).toEqual([]);
    expect(cluster?.changes.map((c) => [c.subject, c.name, c.consequence])).toEqual([
      ["topic", "orders", "applied live"],
    ]);
    const resources = preview.terraform?.resources ?? [];
    expect(
      resources.filter((r) => r.part.endsWith("container") && r.part.startsWith("broker")),
    ).toEqual([]);
    expect(resources.some((r) => r.belongsTo.includes("topic orders"))).toBe(true);
    const before = await brokerContainers();
    // An empty list would make "unchanged" true of nothing.
    expect(before).toHaveLength(1);
    await deploy(next, head);
    expect(await brokerContainers()).toEqual(before);
    expect(await partitionCount(admin(), "orders")).toBe(5);
    expect(await topicConfig(admin(), "orders", "retention.ms")).toBe(String(96 * 3600 * 1000));
  }, 600_000);

  it("2. a new tenant: previewed live (exit 2); the broker is untouched and the tenant's topic exists", async () => {
    const next = { ...knobs, extraTenant: "audit" };
    const { code, preview, head } = await previewOf(next, "v2");
    expect(code, JSON.stringify(preview, null, 2)).toBe(2);
    const cluster = preview.clusters[0];
    expect(cluster?.hazards).toEqual([]);
    expect(new Set(cluster?.changes.map((c) => c.consequence))).toEqual(new Set(["applied live"]));
    expect(cluster?.changes.some((c) => c.subject === "tenant" && c.name === "audit")).toBe(true);
    const before = await brokerContainers();
    // An empty list would make "unchanged" true of nothing.
    expect(before).toHaveLength(1);
    await deploy(next, head);
    expect(await brokerContainers()).toEqual(before);
    expect(await listTopics(admin())).toContain("audit.events");
  }, 600_000);

  it("3. a new broker image: previewed as a restart (exit 3, BROKER_RESTART), Terraform agrees; the broker restarts", async () => {
    const next = { ...knobs, baseImage: ALT_BASE_IMAGE };
    const { code, preview, head } = await previewOf(next, "v3");
    expect(code, JSON.stringify(preview, null, 2)).toBe(3);
    const hazards = preview.clusters[0]?.hazards.map((h) => h.code);
    expect(hazards).toEqual(["BROKER_RESTART"]);
    const replaced = (preview.terraform?.resources ?? []).filter(
      (r) => r.action === "replace" && r.part === "broker-0's container",
    );
    expect(replaced).toHaveLength(1);
    const before = await brokerContainers();
    expect(before).toHaveLength(1);
    await deploy(next, head);
    const after = await brokerContainers();
    expect(after).toHaveLength(before.length);
    expect(after[0]?.id).not.toBe(before[0]?.id);
    expect(await partitionCount(admin(), "orders")).toBe(5);
  }, 600_000);

  it("--bootstrap: a partition decrease forced past the lock file is refused, with the broker's error", async () => {
    // Another lock file (none yet): synth does not know the deployed partition count.
    const decreased = { ...knobs, ordersPartitions: 2, lockFile: "forced.lock.json" };
    const head = await synthSnapshot(decreased, "v4");
    const password = outputOf(...ADMIN_PASSWORD_PATH);
    const r = await sluice(
      [
        "plan",
        "--base",
        previous,
        "--head",
        head,
        "--bootstrap",
        `127.0.0.1:${settings.hostPort}`,
        "--sasl-mechanism",
        "SCRAM-SHA-512",
        "--username",
        "sluice-admin",
        "--password-env",
        "SLUICE_PLAN_ADMIN_PASSWORD",
      ],
      { SLUICE_PLAN_ADMIN_PASSWORD: password },
    );
    expect(r.err).toBe("");
    expect(r.code).toBe(3);
    expect(r.out).toMatch(
      /! ERROR CLUSTER_REFUSES topic orders: partitions 5 → 2: the broker refuses it: CreatePartitions orders: INVALID_PARTITIONS/,
    );
    // Nothing changed.
    expect(await partitionCount(admin(), "orders")).toBe(5);
    fs.rmSync(path.join(workdirPath, "forced.lock.json"), { force: true });
    expect(fs.existsSync(path.join(workdirPath, E2E_LOCK_FILE))).toBe(true);
  }, 600_000);
});
