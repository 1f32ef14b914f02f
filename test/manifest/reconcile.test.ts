import { describe, expect, it } from "vitest";
import {
  applyManifest,
  type Change,
  type ClusterState,
  type ClusterTopic,
  type ClusterTopicConfig,
  executePlan,
  formatPlan,
  type ManifestInput,
  PlanExecutionError,
  parseManifest,
  planChanges,
  type SecretSource,
} from "../../lib/manifest";
import { FakeCluster } from "./fake-cluster";
import { sampleManifest } from "./fixtures";

const SECRETS: SecretSource = {
  env: { PAYMENTS_PW: "s3cret", OTHER_PW: "other" },
  readFile: () => {
    throw new Error("no files in this test");
  },
};

function manifest(input: Partial<ManifestInput>) {
  return parseManifest({ apiVersion: "sluice.dev/v1", ...input });
}

function topic(
  name: string,
  partitions: number,
  overrides: Record<string, string> = {},
): ClusterTopic {
  return {
    name,
    partitions,
    replicationFactor: 1,
    internal: name.startsWith("__"),
    configs: new Map<string, ClusterTopicConfig>([
      ["retention.ms", { value: "604800000", isOverride: false }],
      ...Object.entries(overrides).map(([k, v]): [string, ClusterTopicConfig] => [
        k,
        { value: v, isOverride: true },
      ]),
    ]),
  };
}

function state(partial: Partial<ClusterState> = {}): ClusterState {
  return {
    topics: new Map(),
    acls: [],
    quotas: [],
    scram: new Map(),
    tenants: new Map(),
    credentialChecks: new Map(),
    ...partial,
  };
}

function topics(...ts: ClusterTopic[]): Map<string, ClusterTopic> {
  return new Map(ts.map((t) => [t.name, t]));
}

/** The plan as compact strings, e.g. `createPartitions events 3->6`. */
function summary(changes: readonly Change[]): string[] {
  return changes.map(oneLine);
}

function oneLine(c: Change): string {
  switch (c.kind) {
    case "createTopic":
      return `createTopic ${c.topic.name}`;
    case "createPartitions":
      return `createPartitions ${c.topic} ${c.from}->${c.to}`;
    case "alterTopicConfigs":
      return `alterTopicConfigs ${c.topic} set=${c.set.map((s) => `${s.key}=${s.value}`).join(",")} reset=${c.reset.map((r) => r.key).join(",")}`;
    case "deleteTopic":
      return `deleteTopic ${c.topic}`;
    case "createAcl":
    case "deleteAcl":
      return `${c.kind} ${c.acl.principal} ${c.acl.operation} ${c.acl.resourceType}:${c.acl.patternType}:${c.acl.resourceName}`;
    case "alterQuota":
      return `alterQuota ${JSON.stringify(c.entity)} set=${JSON.stringify(c.set)} remove=${c.remove.join(",")}`;
    case "upsertScramCredential":
      return `upsertScramCredential ${c.user} ${c.mechanism} (${c.reason})`;
    case "deleteScramCredential":
      return `deleteScramCredential ${c.user} ${c.mechanism}`;
    case "putTenant":
      return `putTenant ${c.name}`;
    case "deleteTenant":
      return `deleteTenant ${c.name}`;
  }
}

describe("planChanges: topics", () => {
  const cases: {
    name: string;
    desired: Partial<ManifestInput>;
    actual: ClusterState;
    changes: string[];
    errors?: string[];
    warnings?: RegExp[];
    notes?: RegExp[];
  }[] = [
    {
      name: "creates a missing topic",
      desired: { topics: [{ name: "events", partitions: 3 }] },
      actual: state(),
      changes: ["createTopic events"],
    },
    {
      name: "grows partitions",
      desired: { topics: [{ name: "events", partitions: 6 }] },
      actual: state({ topics: topics(topic("events", 3)) }),
      changes: ["createPartitions events 3->6"],
    },
    {
      name: "refuses to shrink partitions",
      desired: { topics: [{ name: "events", partitions: 2 }] },
      actual: state({ topics: topics(topic("events", 3)) }),
      changes: [],
      errors: [
        "topic 'events': the manifest asks for 2 partitions but it has 3; partitions can only grow (delete and recreate the topic to shrink it)",
      ],
    },
    {
      name: "sets a changed config and a config only defaulted before",
      desired: {
        topics: [
          {
            name: "events",
            partitions: 1,
            configs: { "retention.ms": "1000", "cleanup.policy": "compact" },
          },
        ],
      },
      actual: state({ topics: topics(topic("events", 1, { "cleanup.policy": "delete" })) }),
      changes: ["alterTopicConfigs events set=cleanup.policy=compact,retention.ms=1000 reset="],
    },
    {
      name: "treats list configs as unordered",
      desired: {
        topics: [
          { name: "events", partitions: 1, configs: { "cleanup.policy": "delete,compact" } },
        ],
      },
      actual: state({ topics: topics(topic("events", 1, { "cleanup.policy": "compact,delete" })) }),
      changes: [],
    },
    {
      // Apache Kafka describes configs re-serialized from their parsed value.
      name: "compares values as Kafka describes them: numbers, booleans, whitespace",
      desired: {
        topics: [
          {
            name: "events",
            partitions: 1,
            configs: {
              "retention.ms": "0604800000",
              "max.message.bytes": " 2097152 ",
              "min.cleanable.dirty.ratio": "0.50",
              "min.compaction.lag.ms": "+1000",
              preallocate: "TRUE",
              "cleanup.policy": " compact, delete",
            },
          },
        ],
      },
      actual: state({
        topics: topics(
          topic("events", 1, {
            "retention.ms": "604800000",
            "max.message.bytes": "2097152",
            "min.cleanable.dirty.ratio": "0.5",
            "min.compaction.lag.ms": "1000",
            preallocate: "true",
            "cleanup.policy": "compact,delete",
          }),
        ),
      }),
      changes: [],
    },
    {
      name: "still sees a change in the last digit of a long, or in a string's case",
      desired: {
        topics: [
          {
            name: "events",
            partitions: 1,
            configs: {
              "max.compaction.lag.ms": "9223372036854775806",
              "compression.type": "ZSTD",
            },
          },
        ],
      },
      actual: state({
        topics: topics(
          topic("events", 1, {
            "max.compaction.lag.ms": "9223372036854775807",
            "compression.type": "zstd",
          }),
        ),
      }),
      changes: [
        "alterTopicConfigs events set=compression.type=ZSTD,max.compaction.lag.ms=9223372036854775806 reset=",
      ],
    },
    {
      name: "keeps unnamed overrides by default",
      desired: { topics: [{ name: "events", partitions: 1 }] },
      actual: state({ topics: topics(topic("events", 1, { "max.message.bytes": "5" })) }),
      changes: [],
      notes: [/kept config overrides not in the manifest: max\.message\.bytes/],
    },
    {
      name: "resets unnamed overrides under the configs policy",
      desired: { deletions: "configs", topics: [{ name: "events", partitions: 1 }] },
      actual: state({ topics: topics(topic("events", 1, { "max.message.bytes": "5" })) }),
      changes: ["alterTopicConfigs events set= reset=max.message.bytes"],
    },
    {
      name: "keeps unknown topics without the topics policy",
      desired: { deletions: ["acls"], topics: [] },
      actual: state({ topics: topics(topic("legacy", 1)) }),
      changes: [],
      notes: [/kept 1 topic\(s\) not in the manifest \(deletion policy\): legacy/],
    },
    {
      name: "deletes unknown topics under the topics policy, never internal ones",
      desired: { deletions: "topics", topics: [{ name: "keep", partitions: 1 }] },
      actual: state({
        topics: topics(topic("keep", 1), topic("legacy", 2), topic("__consumer_offsets", 50)),
      }),
      changes: ["deleteTopic legacy"],
    },
    {
      name: "warns instead of changing the replication factor",
      desired: { topics: [{ name: "events", partitions: 1, replicationFactor: 3 }] },
      actual: state({ topics: topics(topic("events", 1)) }),
      changes: [],
      warnings: [/replication factor is 1, the manifest asks for 3; not changed/],
    },
  ];
  for (const c of cases) {
    it(c.name, () => {
      const plan = planChanges(manifest(c.desired), c.actual);
      expect(summary(plan.changes)).toEqual(c.changes);
      expect(plan.errors).toEqual(c.errors ?? []);
      expect(plan.warnings.length).toBe(c.warnings?.length ?? 0);
      for (const [i, w] of (c.warnings ?? []).entries()) expect(plan.warnings[i]).toMatch(w);
      expect(plan.notes.length).toBe(c.notes?.length ?? 0);
      for (const [i, n] of (c.notes ?? []).entries()) expect(plan.notes[i]).toMatch(n);
    });
  }
});

describe("planChanges: security", () => {
  const alice = {
    name: "alice",
    mechanism: "SCRAM-SHA-256",
    credential: { env: "PAYMENTS_PW" },
  } as const;
  const tenant = { name: "pay", topicPrefix: "pay.", groupPrefix: "pay-", principals: ["alice"] };

  it("derives prefixed ACLs for tenant principals", () => {
    const plan = planChanges(manifest({ principals: [alice], tenants: [tenant] }), state());
    expect(summary(plan.changes)).toEqual([
      "putTenant pay",
      "upsertScramCredential alice SCRAM-SHA-256 (missing)",
      "createAcl User:alice all group:prefixed:pay-",
      "createAcl User:alice all topic:prefixed:pay.",
      "createAcl User:alice all transactionalId:prefixed:pay.",
    ]);
  });

  it("rewrites a credential whose iterations or password changed", () => {
    const scram = new Map([["alice", [{ mechanism: "SCRAM-SHA-256" as const, iterations: 4096 }]]]);
    const changedIterations = planChanges(manifest({ principals: [alice] }), state({ scram }));
    expect(summary(changedIterations.changes)).toEqual([
      "upsertScramCredential alice SCRAM-SHA-256 (iterations changed)",
    ]);
    const same = new Map([["alice", [{ mechanism: "SCRAM-SHA-256" as const, iterations: 8192 }]]]);
    const wrong = new Map([["alice/SCRAM-SHA-256", false]]);
    const rotated = planChanges(
      manifest({ principals: [alice] }),
      state({ scram: same, credentialChecks: wrong }),
    );
    expect(summary(rotated.changes)).toEqual([
      "upsertScramCredential alice SCRAM-SHA-256 (password changed)",
    ]);
    const ok = planChanges(manifest({ principals: [alice] }), state({ scram: same }));
    expect(ok.changes).toEqual([]);
  });

  it("stores PLAIN principals as SCRAM-SHA-512", () => {
    const plan = planChanges(manifest({ principals: [{ ...alice, mechanism: "PLAIN" }] }), state());
    expect(summary(plan.changes)).toEqual(["upsertScramCredential alice SCRAM-SHA-512 (missing)"]);
  });

  it("deletes unknown ACLs, credentials and quotas only under their policies", () => {
    const actual = state({
      acls: [
        {
          resourceType: "topic",
          patternType: "literal",
          resourceName: "x",
          principal: "User:bob",
          host: "*",
          operation: "read",
          permission: "allow",
        },
      ],
      scram: new Map([["bob", [{ mechanism: "SCRAM-SHA-512" as const, iterations: 4096 }]]]),
      quotas: [{ entity: { user: "bob" }, values: { producer_byte_rate: 10 } }],
      tenants: new Map([
        [
          "old",
          {
            topicPrefix: "o.",
            groupPrefix: "o.",
            transactionalIdPrefix: "o.",
            principals: [],
            limits: {},
          },
        ],
      ]),
    });
    const keep = planChanges(manifest({}), actual);
    expect(keep.changes).toEqual([]);
    expect(keep.notes).toHaveLength(4);
    const del = planChanges(manifest({ deletions: "all" }), actual);
    expect(summary(del.changes)).toEqual([
      'alterQuota {"user":"bob"} set={} remove=producer_byte_rate',
      "deleteAcl User:bob read topic:literal:x",
      "deleteScramCredential bob SCRAM-SHA-512",
      "deleteTenant old",
    ]);
  });

  it("never deletes the credentials of the user sluice apply is authenticated as", () => {
    const scram = new Map([
      [
        "admin",
        [
          { mechanism: "SCRAM-SHA-256" as const, iterations: 8192 },
          { mechanism: "SCRAM-SHA-512" as const, iterations: 8192 },
        ],
      ],
      ["bob", [{ mechanism: "SCRAM-SHA-512" as const, iterations: 4096 }]],
    ]);
    const desired = manifest({ deletions: "credentials" });
    const plan = planChanges(desired, state({ scram }), { authenticatedUser: "admin" });
    expect(summary(plan.changes)).toEqual(["deleteScramCredential bob SCRAM-SHA-512"]);
    expect(plan.notes).toEqual([
      "kept the SCRAM credential(s) of admin, the user sluice apply is authenticated as: SCRAM-SHA-256, SCRAM-SHA-512",
    ]);
    // Without a SASL login there is nobody to protect.
    expect(summary(planChanges(desired, state({ scram })).changes)).toEqual([
      "deleteScramCredential admin SCRAM-SHA-256",
      "deleteScramCredential admin SCRAM-SHA-512",
      "deleteScramCredential bob SCRAM-SHA-512",
    ]);
  });

  it("sets changed quota values and maps default entities to null", () => {
    const desired = manifest({
      quotas: [
        {
          entity: { user: { default: true } },
          values: { producer_byte_rate: 100, consumer_byte_rate: 200 },
        },
      ],
    });
    const actual = state({
      quotas: [
        { entity: { user: null }, values: { producer_byte_rate: 100, request_percentage: 5 } },
      ],
    });
    expect(summary(planChanges(desired, actual).changes)).toEqual([
      'alterQuota {"user":null} set={"consumer_byte_rate":200} remove=',
    ]);
    const strict = manifest({ ...desired, deletions: "quotas" });
    expect(summary(planChanges(strict, actual).changes)).toEqual([
      'alterQuota {"user":null} set={"consumer_byte_rate":200} remove=request_percentage',
    ]);
  });

  it("reports clusters that lack the needed admin APIs", () => {
    const plan = planChanges(
      manifest({
        principals: [alice],
        tenants: [tenant],
        quotas: [{ entity: { user: "alice" }, values: { producer_byte_rate: 1 } }],
      }),
      state({ acls: undefined, scram: undefined, quotas: undefined, tenants: undefined }),
    );
    expect(plan.errors).toEqual([
      "the cluster does not support SCRAM credential management (DescribeUserScramCredentials), needed for: alice",
      "the cluster has no authorizer (ACLs disabled) but the manifest needs 3 ACL binding(s)",
      "the cluster does not support client quota management (DescribeClientQuotas)",
    ]);
    expect(plan.warnings[0]).toMatch(/does not store Sluice tenant definitions/);
  });
});

describe("applyManifest", () => {
  it("is idempotent: the second run has no changes", async () => {
    const cluster = new FakeCluster();
    const m = parseManifest(sampleManifest());
    const first = await applyManifest(m, cluster, { secrets: SECRETS });
    expect(first.applied.length).toBeGreaterThan(0);
    expect(first.applied).toEqual(first.plan.changes);
    const second = await applyManifest(m, cluster, { secrets: SECRETS });
    expect(second.plan.changes).toEqual([]);
    expect(formatPlan(second.plan)).toBe("no changes");
  });

  it("rotates a password that changed in the secret source", async () => {
    const cluster = new FakeCluster();
    const m = parseManifest(sampleManifest());
    await applyManifest(m, cluster, { secrets: SECRETS });
    const rotated = { ...SECRETS, env: { PAYMENTS_PW: "new" } };
    const r = await applyManifest(m, cluster, { secrets: rotated });
    expect(summary(r.applied)).toEqual([
      "upsertScramCredential payments-app SCRAM-SHA-512 (password changed)",
    ]);
  });

  it("dry run changes nothing", async () => {
    const cluster = new FakeCluster();
    const r = await applyManifest(parseManifest(sampleManifest()), cluster, {
      secrets: SECRETS,
      dryRun: true,
    });
    expect(r.plan.changes.length).toBeGreaterThan(0);
    expect(r.applied).toEqual([]);
    expect(cluster.calls).toEqual([]);
  });

  it("fails before touching the cluster when a secret is missing", async () => {
    const cluster = new FakeCluster();
    await expect(
      applyManifest(parseManifest(sampleManifest()), cluster, { secrets: { ...SECRETS, env: {} } }),
    ).rejects.toThrow("principal 'payments-app': environment variable PAYMENTS_PW is not set");
    expect(cluster.calls).toEqual([]);
  });

  it("refuses to execute a plan with errors", async () => {
    const cluster = new FakeCluster();
    await cluster.createTopic({ name: "t", partitions: 4, configs: {} });
    const m = manifest({
      topics: [
        { name: "t", partitions: 1 },
        { name: "u", partitions: 1 },
      ],
    });
    const r = await applyManifest(m, cluster, { secrets: SECRETS });
    expect(r.applied).toEqual([]);
    expect(r.plan.errors).toHaveLength(1);
    await expect(executePlan(r.plan, cluster, new Map())).rejects.toBeInstanceOf(
      PlanExecutionError,
    );
    expect(cluster.topics.has("u")).toBe(false);
  });

  it("stops at the first failing change and reports what was applied", async () => {
    const cluster = new FakeCluster();
    cluster.createTopic = async () => {
      throw new Error("POLICY_VIOLATION");
    };
    const m = manifest({
      topics: [{ name: "a", partitions: 1 }],
      quotas: [{ entity: { clientId: "c" }, values: { producer_byte_rate: 5 } }],
    });
    const err = await applyManifest(m, cluster, { secrets: SECRETS }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(PlanExecutionError);
    expect((err as PlanExecutionError).message).toBe("createTopic failed: POLICY_VIOLATION");
    expect((err as PlanExecutionError).applied).toEqual([]);
    expect(cluster.quotas.size).toBe(0);
  });
});

describe("executePlan", () => {
  it("runs changes of one kind concurrently and reports them in plan order", async () => {
    const cluster = new FakeCluster();
    let inFlight = 0;
    let maxInFlight = 0;
    const create = cluster.createTopic.bind(cluster);
    cluster.createTopic = async (t) => {
      inFlight++;
      maxInFlight = Math.max(maxInFlight, inFlight);
      // Later topics finish first, so completion order differs from plan order.
      await new Promise((r) => setTimeout(r, 20 - t.partitions));
      inFlight--;
      return create(t);
    };
    const m = manifest({
      topics: Array.from({ length: 10 }, (_, i) => ({ name: `t${i}`, partitions: i + 1 })),
    });
    const seen: string[] = [];
    const r = await applyManifest(m, cluster, {
      secrets: SECRETS,
      onApplied: (c) => seen.push(c.kind === "createTopic" ? c.topic.name : c.kind),
    });
    expect(r.applied).toHaveLength(10);
    expect(seen).toEqual(Array.from({ length: 10 }, (_, i) => `t${i}`));
    expect(maxInFlight).toBeGreaterThan(1);
  });

  it("reports the rest of a failing chunk as applied and stops before the next kind", async () => {
    const cluster = new FakeCluster();
    const create = cluster.createTopic.bind(cluster);
    cluster.createTopic = async (t) => {
      if (t.name === "b") throw new Error("POLICY_VIOLATION");
      return create(t);
    };
    const m = manifest({
      topics: [
        { name: "a", partitions: 1 },
        { name: "b", partitions: 1 },
        { name: "c", partitions: 1 },
      ],
      quotas: [{ entity: { clientId: "x" }, values: { producer_byte_rate: 1 } }],
    });
    const err = await applyManifest(m, cluster, { secrets: SECRETS }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(PlanExecutionError);
    const e = err as PlanExecutionError;
    expect(e.message).toBe("createTopic failed: POLICY_VIOLATION");
    expect(summary(e.applied)).toEqual(["createTopic a", "createTopic c"]);
    expect(cluster.quotas.size).toBe(0);
  });
});

describe("formatPlan", () => {
  it("prints one line per change with +/~/- markers", () => {
    const plan = planChanges(
      manifest({
        deletions: "topics",
        topics: [{ name: "a", partitions: 2, configs: { "retention.ms": "5" } }],
      }),
      state({ topics: topics(topic("old", 3)) }),
    );
    expect(formatPlan(plan)).toBe(
      "+ topic a (2 partitions, retention.ms=5)\n- topic old (3 partitions; DATA IS DELETED)",
    );
  });
});
