import { afterEach, describe, expect, it } from "vitest";
import { KafkaClusterAdmin } from "../../lib/admin";
import { applyManifest, formatPlan, parseManifest, type SecretSource } from "../../lib/manifest";
import { sampleManifest } from "../manifest/fixtures";
import { FakeKafkaServer } from "./fake-kafka-server";

let server: FakeKafkaServer;
const admins: KafkaClusterAdmin[] = [];

afterEach(async () => {
  for (const a of admins.splice(0)) a.close();
  await server.close();
});

async function setUp(configure: (s: FakeKafkaServer) => void = () => {}) {
  server = new FakeKafkaServer();
  server.saslMechanisms = ["PLAIN", "SCRAM-SHA-256", "SCRAM-SHA-512"];
  server.plainUsers.set("admin", "admin-pw");
  configure(server);
  const port = await server.listen();
  const admin = await KafkaClusterAdmin.connect({
    host: "127.0.0.1",
    port,
    timeoutMs: 5000,
    sasl: { mechanism: "PLAIN", username: "admin", password: "admin-pw" },
  });
  admins.push(admin);
  return admin;
}

const secrets = (pw: string): SecretSource => ({
  env: { PAYMENTS_PW: pw },
  readFile: () => {
    throw new Error("unused");
  },
});

describe("KafkaClusterAdmin with applyManifest", () => {
  it("applies a manifest over the wire and the second run has no changes", async () => {
    const admin = await setUp();
    const m = parseManifest(sampleManifest());
    const first = await applyManifest(m, admin, { secrets: secrets("pw1") });
    expect(first.plan.errors).toEqual([]);
    expect(first.applied.map((c) => c.kind)).toEqual([
      "putTenant",
      "createTopic",
      "createTopic",
      "upsertScramCredential",
      "createAcl",
      "createAcl",
      "createAcl",
      "createAcl",
      "alterQuota",
    ]);
    expect([...server.topics.keys()].sort()).toEqual(["audit", "payments.events"]);
    expect(server.topics.get("payments.events")?.configs.get("retention.ms")).toBe("86400000");
    expect(JSON.parse(server.brokerConfigs.get("sluice.tenant.payments") ?? "{}")).toMatchObject({
      topicPrefix: "payments.",
      principals: ["payments-app"],
      limits: { storageBytes: 10_000_000_000, maxTopics: 10 },
    });
    const second = await applyManifest(m, admin, { secrets: secrets("pw1") });
    expect(formatPlan(second.plan)).toBe("no changes");
  });

  it("detects a rotated password by logging in with the old one", async () => {
    const admin = await setUp();
    const m = parseManifest(sampleManifest());
    await applyManifest(m, admin, { secrets: secrets("pw1") });
    const rotated = await applyManifest(m, admin, { secrets: secrets("pw2") });
    expect(rotated.applied).toMatchObject([
      { kind: "upsertScramCredential", user: "payments-app", reason: "password changed" },
    ]);
    const again = await applyManifest(m, admin, { secrets: secrets("pw2") });
    expect(again.plan.changes).toEqual([]);
  });

  it("grows partitions, changes configs and refuses to shrink", async () => {
    const admin = await setUp();
    const base = { apiVersion: "sluice.dev/v1" } as const;
    await applyManifest(parseManifest({ ...base, topics: [{ name: "t", partitions: 2 }] }), admin);
    const grown = await applyManifest(
      parseManifest({
        ...base,
        topics: [{ name: "t", partitions: 4, configs: { "cleanup.policy": "compact" } }],
      }),
      admin,
    );
    expect(formatPlan(grown.plan)).toBe(
      "~ topic t: partitions 2 -> 4\n~ topic t configs: cleanup.policy: delete -> compact",
    );
    expect(server.topics.get("t")?.partitions).toBe(4);
    const shrink = await applyManifest(
      parseManifest({ ...base, topics: [{ name: "t", partitions: 1 }] }),
      admin,
    );
    expect(shrink.plan.errors[0]).toMatch(/partitions can only grow/);
    expect(server.topics.get("t")?.partitions).toBe(4);
  });

  it("deletes topics only under the deletion policy", async () => {
    const admin = await setUp((s) => {
      s.topics.set("legacy", { partitions: 1, rf: 1, configs: new Map() });
      s.topics.set("__consumer_offsets", { partitions: 50, rf: 1, configs: new Map() });
    });
    const keep = await applyManifest(parseManifest({ apiVersion: "sluice.dev/v1" }), admin);
    expect(keep.plan.changes).toEqual([]);
    const del = await applyManifest(
      parseManifest({ apiVersion: "sluice.dev/v1", deletions: "topics" }),
      admin,
    );
    expect(del.applied).toEqual([{ kind: "deleteTopic", topic: "legacy", partitions: 1 }]);
    expect([...server.topics.keys()]).toEqual(["__consumer_offsets"]);
  });

  it("warns on clusters without Sluice tenancy and fails without an authorizer", async () => {
    const admin = await setUp((s) => {
      s.tenancy = false;
      s.authorizer = false;
    });
    const r = await applyManifest(parseManifest(sampleManifest()), admin, {
      secrets: secrets("pw"),
    });
    expect(r.plan.warnings[0]).toMatch(/does not store Sluice tenant definitions/);
    expect(r.plan.errors).toEqual([
      "the cluster has no authorizer (ACLs disabled) but the manifest needs 4 ACL binding(s)",
    ]);
    expect(r.applied).toEqual([]);
    expect(server.topics.size).toBe(0);
  });
});
