import * as fs from "node:fs";
import * as path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Broker } from "../../lib/broker/server/broker";
import { resolveConfig } from "../../lib/broker/server/config";
import { memoryLogger } from "../../lib/broker/server/logger";
import { planPreviewDocumentSchema } from "../../lib/preview/plan-preview";
import { type Define, removeSynthDirs, synth, tempDir } from "../preview/fixtures";
import { runSluice } from "./run-sluice";

// `sluice plan --bootstrap`: the head's desired state validated against a real Sluice broker, in
// process. Nothing may change on the broker.

/** `sluice plan --base BASE --head HEAD …`. */
function plan(head: string, ...extra: string[]) {
  return runSluice(["plan", "--base", base, "--head", head, ...extra]);
}

const topics =
  (partitions: number, retentionHours = 24): Define =>
  (c) => {
    c.addTopic("orders", { partitions, retentionHours });
  };

let broker: Broker;
let bootstrap: string;
let base: string;

/** The topic's partition count on the broker. */
function partitionsOf(topic: string): number | undefined {
  return broker.services.topics.get(topic)?.partitions;
}

beforeAll(async () => {
  const dir = tempDir("sluice-plan-live-");
  broker = await Broker.start({
    config: resolveConfig(
      {},
      {
        dataDir: path.join(dir, "data"),
        listeners: "PLAINTEXT://127.0.0.1:0",
        autoCreateTopics: false,
      },
    ),
    logger: memoryLogger(),
  });
  bootstrap = `127.0.0.1:${broker.advertised()[0]?.port ?? 0}`;
  // The deployed state: the base app's manifest, applied.
  base = synth(topics(6));
  const model = JSON.parse(
    fs.readFileSync(path.join(base, "stacks", "app", "sluice-cluster-events.json"), "utf8"),
  ) as { manifest: unknown };
  const manifest = path.join(dir, "manifest.json");
  fs.writeFileSync(manifest, JSON.stringify(model.manifest));
  const applied = await runSluice(["apply", manifest, "--bootstrap", bootstrap]);
  expect(applied.err).toBe("");
  expect(applied.code).toBe(0);
}, 60_000);

afterAll(async () => {
  await broker?.stop();
  removeSynthDirs();
});

describe("sluice plan --bootstrap", () => {
  it("lists what sluice apply would change now, and changes nothing", async () => {
    const head = synth(topics(8, 48));
    const r = await plan(head, "--bootstrap", bootstrap, "--format", "json");
    expect(r.err).toBe("");
    expect(r.code).toBe(2);
    const preview = planPreviewDocumentSchema.parse(JSON.parse(r.out));
    expect(preview.live).toEqual({
      bootstrap,
      cluster: "events",
      pendingChanges: [
        expect.stringMatching(/orders.*6.*8/),
        expect.stringMatching(/orders.*retention\.ms/),
      ],
      refusals: [],
    });
    expect(preview.clusters[0]?.hazards).toEqual([]);
    expect(partitionsOf("orders")).toBe(6);
  });

  it("reports a partition decrease as refused, with the broker's error", async () => {
    const head = synth(topics(3));
    const r = await plan(head, "--bootstrap", bootstrap);
    expect(r.code).toBe(3);
    const refused = r.out.split("\n").find((l) => l.includes("CLUSTER_REFUSES"));
    expect(refused).toMatch(
      /^ {2}! ERROR CLUSTER_REFUSES topic orders: partitions 6 → 3: the broker refuses it: CreatePartitions orders: INVALID_PARTITIONS\b.*/,
    );
    expect(r.out).toContain(
      `live cluster ${bootstrap} (events): 0 changes sluice apply would make now, 1 refused`,
    );
    expect(partitionsOf("orders")).toBe(6);
  });

  it("reports what sluice apply would refuse: ACLs on a cluster without an authorizer", async () => {
    const head = synth(topics(6));
    const modelFile = path.join(head, "stacks", "app", "sluice-cluster-events.json");
    const model = JSON.parse(fs.readFileSync(modelFile, "utf8")) as {
      manifest: { acls?: unknown[] };
    };
    model.manifest.acls = [
      { resourceType: "topic", resourceName: "orders", principal: "User:ghost", operation: "read" },
    ];
    fs.writeFileSync(modelFile, JSON.stringify(model));
    const r = await plan(head, "--bootstrap", bootstrap);
    expect(r.code).toBe(3);
    expect(r.out).toContain(
      "! ERROR CLUSTER_REFUSES acl (cluster): sluice apply refuses it: the cluster has no authorizer (ACLs disabled) but the manifest needs 1 ACL binding(s)",
    );
  });

  it("fails clearly when the cluster cannot be reached, and on flags without --bootstrap", async () => {
    const head = synth(topics(8));
    const down = await plan(head, "--bootstrap", "127.0.0.1:1");
    expect(down.code).toBe(1);
    expect(down.err).toContain("sluice plan: cannot reach the cluster at 127.0.0.1:1");
    const usage = await plan(head, "--sasl-mechanism", "PLAIN");
    expect(usage.code).toBe(64);
    expect(usage.err).toContain("sluice plan: --sasl-mechanism needs --bootstrap");
    const cluster = await plan(head, "--bootstrap", bootstrap, "--cluster", "other");
    expect(cluster.code).toBe(64);
    expect(cluster.err).toContain("--cluster other: the head has no such cluster (it has events)");
  });
});
