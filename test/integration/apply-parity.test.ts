import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Manifest, type ManifestInput, parseManifest } from "../../lib/manifest";
import { type ApplyRun, describeRun, runApply } from "./support/apply-cli";
import { type ApplyCluster, randomPassword, startApplyCluster } from "./support/apply-clusters";
import {
  type ComparableState,
  canonicalTopics,
  expectedState,
  managedConfigKeys,
  readComparableState,
  sameUpToKnownDifferences,
} from "./support/apply-state";

// Acceptance of the tenancy issue: `sluice apply` is idempotent (the second run reports no changes)
// and brings a Sluice broker and Apache Kafka (Maven Central jars) to the same topics, ACLs and
// quotas. Both brokers run here side by side, whatever SLUICE_TARGET says; under
// SLUICE_TARGET=kafka the suite is skipped, so `both` does not run it twice.

/** The principals' passwords, referenced by the manifests as environment variables. */
const secrets: Record<string, string> = {
  SLUICE_IT_ORDERS_PASSWORD: randomPassword(),
  SLUICE_IT_BILLING_PASSWORD: randomPassword(),
  SLUICE_IT_AUDITOR_PASSWORD: randomPassword(),
  SLUICE_IT_REPORTER_PASSWORD: randomPassword(),
};

const first: ManifestInput = {
  apiVersion: "sluice.dev/v1",
  cluster: "parity",
  topics: [
    {
      name: "orders.events",
      partitions: 6,
      configs: { "retention.ms": "86400000", "cleanup.policy": "delete" },
    },
    {
      name: "orders.state",
      partitions: 3,
      configs: {
        // Spellings that are not Kafka's canonical ones (order, whitespace, zeros): the cluster
        // describes them differently, yet the second run must see no change.
        "cleanup.policy": "delete,compact",
        "max.message.bytes": " 2097152 ",
        "min.compaction.lag.ms": "60000",
        "min.cleanable.dirty.ratio": "0.50",
      },
    },
    {
      name: "billing.invoices",
      partitions: 4,
      configs: { "retention.ms": "604800000", "segment.bytes": "016777216" },
    },
    {
      name: "audit",
      partitions: 2,
      configs: { "retention.bytes": "1073741824", "cleanup.policy": "delete" },
    },
    { name: "shared.metrics", partitions: 1, replicationFactor: 1 },
  ],
  principals: [
    {
      name: "orders-app",
      mechanism: "SCRAM-SHA-512",
      credential: { env: "SLUICE_IT_ORDERS_PASSWORD" },
      iterations: 4096,
    },
    {
      name: "billing-app",
      mechanism: "SCRAM-SHA-256",
      credential: { env: "SLUICE_IT_BILLING_PASSWORD" },
    },
    {
      name: "auditor",
      mechanism: "SCRAM-SHA-512",
      credential: { env: "SLUICE_IT_AUDITOR_PASSWORD" },
      iterations: 8192,
    },
    // PLAIN principals are stored as a SCRAM-SHA-512 credential (docs/manifest.md).
    { name: "reporter", mechanism: "PLAIN", credential: { env: "SLUICE_IT_REPORTER_PASSWORD" } },
  ],
  tenants: [
    {
      name: "orders",
      topicPrefix: "orders.",
      groupPrefix: "orders-",
      principals: ["orders-app"],
      limits: { maxTopics: 20, maxPartitions: 200, maxConnections: 100 },
    },
    {
      name: "billing",
      topicPrefix: "billing.",
      groupPrefix: "billing-",
      transactionalIdPrefix: "billing-tx-",
      principals: ["billing-app"],
      limits: { storageBytes: 10_000_000_000 },
    },
  ],
  acls: [
    { resourceType: "topic", resourceName: "audit", principal: "User:auditor", operation: "read" },
    {
      resourceType: "topic",
      resourceName: "audit",
      principal: "User:orders-app",
      operation: "write",
    },
    {
      resourceType: "topic",
      patternType: "prefixed",
      resourceName: "shared.",
      principal: "User:auditor",
      operation: "describe",
    },
    {
      resourceType: "topic",
      resourceName: "orders.state",
      principal: "User:auditor",
      operation: "read",
      permission: "deny",
    },
    // Wildcard names, principals and hosts: deleting one of these (second manifest) must not
    // delete its neighbours, i.e. DeleteAcls filters match them literally.
    {
      resourceType: "topic",
      resourceName: "*",
      principal: "User:*",
      host: "192.0.2.10",
      operation: "all",
      permission: "deny",
    },
    {
      resourceType: "topic",
      resourceName: "*",
      principal: "User:*",
      host: "192.0.2.11",
      operation: "all",
      permission: "deny",
    },
    // A wildcard-named deny (an allow on `*` would open the tenants' topics on Kafka but not on
    // Sluice, which the manifest refuses: docs/manifest.md).
    {
      resourceType: "topic",
      resourceName: "*",
      principal: "User:auditor",
      host: "192.0.2.12",
      operation: "describe",
      permission: "deny",
    },
    {
      resourceType: "group",
      resourceName: "audit-reports",
      principal: "User:auditor",
      operation: "read",
    },
    {
      resourceType: "group",
      patternType: "prefixed",
      resourceName: "audit-",
      principal: "User:auditor",
      operation: "read",
    },
    {
      resourceType: "cluster",
      resourceName: "kafka-cluster",
      principal: "User:auditor",
      operation: "describeConfigs",
    },
    {
      resourceType: "cluster",
      resourceName: "kafka-cluster",
      principal: "User:orders-app",
      operation: "idempotentWrite",
    },
    {
      resourceType: "transactionalId",
      resourceName: "audit-tx",
      principal: "User:auditor",
      operation: "write",
    },
    {
      resourceType: "transactionalId",
      patternType: "prefixed",
      resourceName: "billing-tx-",
      principal: "User:reporter",
      operation: "describe",
      permission: "deny",
    },
  ],
  quotas: [
    {
      entity: { user: "orders-app" },
      values: { producer_byte_rate: 1048576, consumer_byte_rate: 2097152 },
    },
    { entity: { clientId: "billing-batch" }, values: { request_percentage: 12.5 } },
    {
      entity: { user: "billing-app", clientId: "billing-batch" },
      values: { producer_byte_rate: 524288, controller_mutation_rate: 2.5 },
    },
    {
      entity: { user: "orders-app", clientId: { default: true } },
      values: { consumer_byte_rate: 65536 },
    },
    { entity: { user: { default: true } }, values: { request_percentage: 50 } },
    { entity: { clientId: { default: true } }, values: { consumer_byte_rate: 10485760 } },
    {
      entity: { user: { default: true }, clientId: { default: true } },
      values: { producer_byte_rate: 4194304, controller_mutation_rate: 10 },
    },
  ],
};

/**
 * The follow-up: a topic grows, a config changes and another is reset to the default, ACLs are replaced (among them a wildcard one and
 * a prefixed one, next to near-identical bindings that must stay), a quota value changes and another
 * is dropped, a quota entity disappears, a principal's iterations change and another principal is
 * dropped; ACL, quota, credential and config deletions are allowed.
 */
const second: ManifestInput = {
  ...first,
  deletions: ["acls", "quotas", "credentials", "configs"],
  topics: (first.topics ?? []).map((t) => {
    if (t.name === "orders.events") return { ...t, partitions: 8 };
    if (t.name === "billing.invoices") {
      return { ...t, configs: { ...t.configs, "retention.ms": "1209600000" } };
    }
    if (t.name === "orders.state") {
      const { "min.compaction.lag.ms": _reset, ...configs } = t.configs ?? {};
      return { ...t, configs };
    }
    return t;
  }),
  principals: (first.principals ?? [])
    .filter((p) => p.name !== "reporter")
    .map((p) => (p.name === "billing-app" ? { ...p, iterations: 4096 } : p)),
  acls: [
    ...(first.acls ?? []).filter(
      (a) =>
        !(a.resourceName === "audit" && a.principal === "User:auditor") &&
        !(a.resourceName === "*" && a.host === "192.0.2.10") &&
        !(a.resourceName === "audit-" && a.patternType === "prefixed") &&
        a.principal !== "User:reporter",
    ),
    {
      resourceType: "topic",
      resourceName: "audit",
      principal: "User:auditor",
      operation: "describeConfigs",
    },
  ],
  quotas: [
    { entity: { user: "orders-app" }, values: { producer_byte_rate: 2097152 } },
    ...(first.quotas ?? []).filter(
      (q) =>
        !(q.entity.user === "orders-app" && q.entity.clientId === undefined) &&
        !(q.entity.user === undefined && typeof q.entity.clientId === "object"),
    ),
  ],
};

describe.skipIf(process.env.SLUICE_TARGET === "kafka")(
  "sluice apply: idempotent, and the same result on Sluice and Apache Kafka",
  () => {
    let dir = "";
    let sluice: ApplyCluster | undefined;
    let kafka: ApplyCluster | undefined;
    const m1: Manifest = parseManifest(first, "first");
    const m2: Manifest = parseManifest(second, "second");
    const files = { first: "", second: "" };

    beforeAll(async () => {
      dir = mkdtempSync(join(tmpdir(), "sluice-apply-parity-"));
      files.first = join(dir, "first.json");
      files.second = join(dir, "second.json");
      writeFileSync(files.first, JSON.stringify(first, null, 2));
      writeFileSync(files.second, JSON.stringify(second, null, 2));
      const [s, k] = await Promise.allSettled([
        startApplyCluster("sluice"),
        startApplyCluster("kafka"),
      ]);
      if (s.status === "fulfilled") sluice = s.value;
      if (k.status === "fulfilled") kafka = k.value;
      if (s.status === "rejected") throw s.reason;
      if (k.status === "rejected") throw k.reason;
    });
    afterAll(async () => {
      await Promise.all([sluice?.stop(), kafka?.stop()]);
      if (dir && process.env.SLUICE_IT_KEEP !== "1") rmSync(dir, { recursive: true, force: true });
    });

    const clusters = (): [ApplyCluster, ApplyCluster] => {
      if (!sluice || !kafka) throw new Error("the clusters did not start");
      return [sluice, kafka];
    };
    /** `sluice apply` on both clusters at once; both must exit 0. */
    const applyBoth = async (
      file: string,
      options: { dryRun?: boolean; env?: Record<string, string> } = {},
    ): Promise<[ApplyRun, ApplyRun]> => {
      const [s, k] = clusters();
      const env = options.env ?? secrets;
      const runs = await Promise.all([
        runApply(s, file, env, options),
        runApply(k, file, env, options),
      ]);
      expect(runs[0].code, describeRun(s, runs[0])).toBe(0);
      expect(runs[1].code, describeRun(k, runs[1])).toBe(0);
      return runs;
    };
    const statesOf = async (m: Manifest): Promise<[ComparableState, ComparableState]> => {
      const [s, k] = clusters();
      const keys = managedConfigKeys(m);
      return Promise.all([readComparableState(s, keys), readComparableState(k, keys)]);
    };
    /**
     * Kafka holds what the manifest says (config values up to Kafka's spelling); Sluice holds the
     * same as Kafka, up to the differences {@link sameUpToKnownDifferences} names.
     */
    const expectBothToHold = async (m: Manifest): Promise<void> => {
      const [s, k] = await statesOf(m);
      const want = expectedState(m);
      expect(canonicalTopics(k.topics)).toEqual(canonicalTopics(want.topics));
      expect(k.acls).toEqual(want.acls);
      expect(k.quotas).toEqual(want.quotas);
      expect(k.scram).toEqual(want.scram);
      sameUpToKnownDifferences(s, k);
    };
    /** Change lines without tenant definitions, which only Sluice stores (Kafka gets a warning). */
    const withoutTenants = (r: ApplyRun): string[] =>
      r.changes.filter((c) => !/^. tenant /.test(c));

    it("first apply creates everything, with the same changes on both clusters", async () => {
      const [s, k] = await applyBoth(files.first);
      expect(s.stdout).toMatch(/^applied \d+ change\(s\)$/m);
      expect(k.stdout).toMatch(/^applied \d+ change\(s\)$/m);
      expect(k.changes).toContain(
        "+ topic orders.events (6 partitions, retention.ms=86400000, cleanup.policy=delete)",
      );
      expect(k.stderr).toContain("does not store Sluice tenant definitions");
      expect(withoutTenants(s)).toEqual(k.changes);
      expect(k.changes).toHaveLength(
        m1.topics.length + m1.principals.length + expectedState(m1).acls.length + m1.quotas.length,
      );
    });

    it("second apply of the same manifest reports no changes on both", async () => {
      // The admin authenticates with SASL, so this run also logs in as every principal to check
      // that its stored SCRAM credential still matches the manifest's secret.
      for (const r of await applyBoth(files.first)) {
        expect(r.changes).toEqual([]);
        expect(r.stdout).toMatch(/^no changes$/m);
      }
    });

    it("both clusters hold the manifest's topics, ACLs (with tenant ACLs) and quotas", async () => {
      await expectBothToHold(m1);
    });

    it("Kafka describes configs re-serialized, which sluice apply treats as no change", async () => {
      const [, k] = await statesOf(m1);
      // The manifest says " 2097152 ", "0.50" and "016777216"; only list order is kept as written.
      expect(k.topics["orders.state"]?.configs).toEqual({
        "cleanup.policy": "delete,compact",
        "max.message.bytes": "2097152",
        "min.cleanable.dirty.ratio": "0.5",
        "min.compaction.lag.ms": "60000",
      });
      expect(k.topics["billing.invoices"]?.configs["segment.bytes"]).toBe("16777216");
    });

    it("--dry-run prints the follow-up's diff on both and changes nothing", async () => {
      const before = await statesOf(m1);
      const [s, k] = await applyBoth(files.second, { dryRun: true });
      for (const r of [s, k]) {
        expect(r.stdout).toMatch(/^dry run: \d+ change\(s\) not applied$/m);
        expect(r.changes).toEqual(
          expect.arrayContaining([
            "~ topic orders.events: partitions 6 -> 8",
            "~ credential billing-app SCRAM-SHA-256 (4096 iterations; iterations changed)",
            "- credential reporter SCRAM-SHA-512",
            "- acl deny User:* all on topic * from 192.0.2.10",
            "~ topic orders.state configs: min.compaction.lag.ms: 60000 -> (default)",
          ]),
        );
      }
      expect(withoutTenants(s)).toEqual(k.changes);
      expect(await statesOf(m1)).toEqual(before);
    });

    it("the follow-up applies the same changes to both, then reports no changes", async () => {
      const [s, k] = await applyBoth(files.second);
      expect(k.changes.length).toBeGreaterThan(0);
      expect(withoutTenants(s)).toEqual(k.changes);
      for (const r of await applyBoth(files.second)) {
        expect(r.changes).toEqual([]);
        expect(r.stdout).toMatch(/^no changes$/m);
      }
    });

    it("after the follow-up both clusters hold the same state, matching it", async () => {
      await expectBothToHold(m2);
    });

    it("a rotated password is detected by logging in, and rewritten on both", async () => {
      const rotated = { ...secrets, SLUICE_IT_AUDITOR_PASSWORD: randomPassword() };
      const expected = ["~ credential auditor SCRAM-SHA-512 (8192 iterations; password changed)"];
      for (const r of await applyBoth(files.second, { env: rotated, dryRun: true })) {
        expect(r.changes).toEqual(expected);
      }
      for (const r of await applyBoth(files.second, { env: rotated })) {
        expect(r.changes).toEqual(expected);
      }
      // The new password now authenticates (the check logs in with it): nothing left to do.
      for (const r of await applyBoth(files.second, { env: rotated })) {
        expect(r.changes).toEqual([]);
      }
    });
  },
);
