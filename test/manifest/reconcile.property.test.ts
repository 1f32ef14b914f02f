import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  applyManifest,
  DELETABLE_KINDS,
  type ManifestInput,
  parseManifest,
  planChanges,
  type SecretSource,
} from "../../lib/manifest";
import { FakeCluster } from "./fake-cluster";

const SECRETS: SecretSource = {
  env: { PW_A: "a", PW_B: "b", PW_C: "c" },
  readFile: () => {
    throw new Error("unused");
  },
};

const topicName = fc.constantFrom("a", "b", "c", "t.x", "t.y");
const configs = fc.dictionary(
  fc.constantFrom("retention.ms", "cleanup.policy", "segment.bytes"),
  fc.constantFrom("1000", "2000", "delete", "compact"),
  { maxKeys: 2 },
);
const principalName = fc.constantFrom("alice", "bob", "carol");
const acl = fc.record({
  resourceType: fc.constantFrom("topic", "group") as fc.Arbitrary<"topic" | "group">,
  patternType: fc.constantFrom("literal", "prefixed") as fc.Arbitrary<"literal" | "prefixed">,
  resourceName: fc.constantFrom("a", "t."),
  principal: principalName.map((p) => `User:${p}`),
  operation: fc.constantFrom("read", "write", "all") as fc.Arbitrary<"read" | "write" | "all">,
});
const quota = fc.record({
  entity: fc.oneof(
    principalName.map((user) => ({ user })),
    fc.constant({ user: { default: true as const } }),
    fc.constant({ clientId: "etl" }),
  ),
  values: fc
    .record(
      {
        producer_byte_rate: fc.constantFrom(1000, 2000),
        consumer_byte_rate: fc.constantFrom(500, 700),
      },
      { requiredKeys: [] },
    )
    .filter((v) => Object.keys(v).length > 0),
});
const deletions = fc.oneof(
  fc.constant("none" as const),
  fc.constant("all" as const),
  fc.subarray([...DELETABLE_KINDS]),
);

const manifestInput: fc.Arbitrary<ManifestInput> = fc
  .record({
    topics: fc.uniqueArray(
      fc.record({ name: topicName, partitions: fc.integer({ min: 1, max: 6 }), configs }),
      { selector: (t) => t.name, maxLength: 4 },
    ),
    principals: fc.uniqueArray(
      fc.record({
        name: principalName,
        mechanism: fc.constantFrom("PLAIN", "SCRAM-SHA-256", "SCRAM-SHA-512") as fc.Arbitrary<
          "PLAIN" | "SCRAM-SHA-256" | "SCRAM-SHA-512"
        >,
        credential: fc.constantFrom({ env: "PW_A" }, { env: "PW_B" }),
        iterations: fc.constantFrom(4096, 8192),
      }),
      { selector: (p) => p.name, maxLength: 3 },
    ),
    withTenant: fc.boolean(),
    acls: fc.uniqueArray(acl, { selector: (a) => JSON.stringify(a), maxLength: 4 }),
    quotas: fc.uniqueArray(quota, { selector: (q) => JSON.stringify(q.entity), maxLength: 3 }),
    deletions,
  })
  .map(({ withTenant, ...m }) => ({
    apiVersion: "sluice.dev/v1" as const,
    ...m,
    tenants:
      withTenant && m.principals.length > 0
        ? [
            {
              name: "t",
              topicPrefix: "t.",
              groupPrefix: "t-",
              principals: [m.principals[0]?.name ?? ""],
            },
          ]
        : [],
  }));

/** A cluster that already holds some state: another manifest applied with no policy. */
const initialCluster = manifestInput.map((m) => ({ ...m, deletions: "none" as const }));

describe("reconciler properties", () => {
  it("reaches a fixed point: after applying a plan, planning again yields no changes", async () => {
    await fc.assert(
      fc.asyncProperty(initialCluster, manifestInput, async (before, after) => {
        const cluster = new FakeCluster();
        await applyManifest(parseManifest(before), cluster, { secrets: SECRETS });
        const desired = parseManifest(after);
        const first = await applyManifest(desired, cluster, { secrets: SECRETS });
        const second = planChanges(desired, await cluster.readState([]));
        if (first.plan.errors.length > 0) {
          // Only shrinking partitions is an error here; nothing may have been applied.
          expect(first.applied).toEqual([]);
          expect(first.plan.errors.every((e) => e.includes("partitions can only grow"))).toBe(true);
          return;
        }
        expect(second.changes).toEqual([]);
      }),
      { numRuns: 150 },
    );
  });

  it("never deletes or shrinks anything without the deletion policy", async () => {
    await fc.assert(
      fc.asyncProperty(initialCluster, manifestInput, async (before, after) => {
        const cluster = new FakeCluster();
        await applyManifest(parseManifest(before), cluster, { secrets: SECRETS });
        const snapshot = await cluster.readState([]);
        const plan = planChanges(parseManifest({ ...after, deletions: "none" }), snapshot);
        const kinds = plan.changes.map((c) => c.kind);
        expect(kinds.filter((k) => k.startsWith("delete"))).toEqual([]);
        for (const c of plan.changes) {
          if (c.kind === "alterQuota") expect(c.remove).toEqual([]);
          if (c.kind === "alterTopicConfigs") expect(c.reset).toEqual([]);
          if (c.kind === "createPartitions") expect(c.to).toBeGreaterThan(c.from);
        }
      }),
      { numRuns: 150 },
    );
  });
});
