import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import {
  DELETABLE_KINDS,
  deletionKinds,
  ManifestError,
  manifestHash,
  parseManifest,
  serializeManifest,
  topicConfigs,
  validateManifest,
} from "../../lib/manifest";
import { sampleManifest } from "./fixtures";

/** Parses and returns the error's issues as `path: message` lines. */
function problems(input: unknown): string[] {
  const r = validateManifest(input);
  if (r.ok) throw new Error("expected the manifest to be rejected");
  return r.issues.map((i) => `${i.path}: ${i.message}`);
}

describe("parseManifest", () => {
  it("accepts a complete manifest and fills defaults", () => {
    const m = parseManifest(sampleManifest());
    expect(m.deletions).toBe("none");
    expect(m.topics[1]?.configs).toEqual({});
    expect(m.principals[0]?.iterations).toBe(8192);
    expect(m.acls[0]).toMatchObject({ patternType: "literal", host: "*", permission: "allow" });
    expect(m.tenants[0]?.limits.maxConnections).toBeUndefined();
  });

  it("accepts the smallest manifest", () => {
    const m = parseManifest('{"apiVersion":"sluice.dev/v1"}');
    expect(m).toMatchObject({ topics: [], principals: [], tenants: [], acls: [], quotas: [] });
  });

  it("reports invalid JSON with the file name", () => {
    expect(() => parseManifest("{", "m.json")).toThrow(
      /invalid manifest m\.json:\n.*not valid JSON/,
    );
  });

  it("rejects an unknown version", () => {
    expect(problems({ apiVersion: "sluice.dev/v2" })).toEqual([
      'apiVersion: must be "sluice.dev/v1"',
    ]);
  });

  it("rejects unknown keys so that typos never pass silently", () => {
    const bad = sampleManifest({ topics: [{ name: "a", partitions: 1, partiton: 3 } as never] });
    expect(problems(bad).join("\n")).toMatch(/topics\[0\].*partiton/);
  });

  it("reports every bad topic field with its path", () => {
    const bad = sampleManifest({
      topics: [{ name: "bad name", partitions: 0, configs: { "retention.ms": 5 as never } }],
    });
    expect(problems(bad)).toEqual([
      "topics[0].name: must be 1-249 characters of a-z, A-Z, 0-9, '.', '_' or '-'",
      "topics[0].partitions: must be a positive integer",
      'topics[0].configs.retention.ms: config values are strings, e.g. "86400000"',
    ]);
  });

  it("rejects '.' and '..' as topic names", () => {
    expect(problems(sampleManifest({ topics: [{ name: "..", partitions: 1 }] }))).toEqual([
      "topics[0].name: must not be '.' or '..'",
    ]);
  });

  it("refuses a secret in place of a credential reference", () => {
    const bad = sampleManifest({
      principals: [{ name: "u", mechanism: "PLAIN", credential: { password: "hunter2" } as never }],
      tenants: [],
    });
    expect(problems(bad)).toEqual([
      'principals[0].credential: must be a reference { "env": "VAR" } or { "file": "/abs/path" }; the manifest never holds the secret itself',
    ]);
  });

  it("rejects SCRAM iterations below Kafka's minimum", () => {
    const bad = sampleManifest({
      principals: [
        {
          name: "payments-app",
          mechanism: "SCRAM-SHA-256",
          credential: { file: "/s" },
          iterations: 100,
        },
      ],
    });
    expect(problems(bad)[0]).toMatch(/^principals\[0\]\.iterations: /);
  });

  it("rejects a malformed ACL principal and operation", () => {
    const bad = sampleManifest({
      acls: [
        {
          resourceType: "topic",
          resourceName: "x",
          principal: "alice",
          operation: "reed" as never,
        },
      ],
    });
    const p = problems(bad);
    expect(p[0]).toBe("acls[0].principal: must look like 'User:alice'");
    expect(p[1]).toMatch(/^acls\[0\]\.operation: .*"read"/);
  });

  it("rejects empty quota entities and values", () => {
    expect(problems(sampleManifest({ quotas: [{ entity: {}, values: {} }] }))).toEqual([
      "quotas[0].entity: needs 'user', 'clientId' or both",
      "quotas[0].values: needs at least one quota value",
    ]);
  });

  it("rejects fractional byte rates, which Kafka refuses", () => {
    const bad = sampleManifest({
      quotas: [
        {
          entity: { user: "a" },
          values: {
            producer_byte_rate: 1048576.5,
            consumer_byte_rate: 1,
            request_percentage: 12.5,
          },
        },
      ],
    });
    expect(problems(bad)).toEqual(["quotas[0].values.producer_byte_rate: must be an integer"]);
  });

  it("accepts default quota entities", () => {
    const m = parseManifest(
      sampleManifest({
        quotas: [{ entity: { user: { default: true } }, values: { request_percentage: 50 } }],
      }),
    );
    expect(m.quotas[0]?.entity.user).toEqual({ default: true });
  });

  it("explains the deletion policy choices", () => {
    expect(problems(sampleManifest({ deletions: "topic" as never }))).toEqual([
      `deletions: must be "none", "all", one of ${DELETABLE_KINDS.join(", ")}, or a list of them`,
    ]);
  });

  it("rejects duplicates and undeclared tenant principals", () => {
    const bad = sampleManifest({
      topics: [
        { name: "a", partitions: 1 },
        { name: "a", partitions: 2 },
      ],
      tenants: [{ name: "t1", topicPrefix: "t1.", groupPrefix: "t1.", principals: ["ghost"] }],
    });
    expect(problems(bad)).toEqual([
      "topics[1]: duplicate topic 'a' (first at topics[0])",
      "tenants[0].principals[0]: principal 'ghost' is not declared under 'principals'",
    ]);
  });

  it("rejects overlapping tenant prefixes", () => {
    const bad = sampleManifest({
      tenants: [
        { name: "a", topicPrefix: "team", groupPrefix: "a-" },
        { name: "b", topicPrefix: "team.b", groupPrefix: "b-" },
      ],
    });
    expect(problems(bad)).toEqual([
      "tenants[1].topicPrefix: 'team.b' overlaps tenant 'a' prefix 'team'; tenant prefixes must not be prefixes of each other",
    ]);
  });

  it("refuses a grant into a tenant's namespace that is not scoped within it: the engines would disagree", () => {
    const acl = (principal: string, resourceName: string, patternType: "literal" | "prefixed") => ({
      resourceType: "topic" as const,
      resourceName,
      patternType,
      principal,
      operation: "read" as const,
    });
    const bad = sampleManifest({
      acls: [
        acl("User:*", "*", "literal"),
        acl("User:ops", "pay", "prefixed"),
        // scoped: a name, or a prefix at least the tenant's, or the tenant's own principal
        acl("User:ops", "payments.events", "literal"),
        acl("User:ops", "payments.audit.", "prefixed"),
        acl("User:payments-app", "pay", "prefixed"),
        { ...acl("User:ops", "*", "literal"), permission: "deny" as const },
        acl("User:ops", "audit", "prefixed"),
      ],
    });
    expect(problems(bad)).toEqual([
      "acls[0].resourceName: this allow ACL for User:* reaches tenant 'payments''s topics with '*', which is not scoped within its namespace 'payments.': Apache Kafka would open all of them, the Sluice broker none (a grant across a tenant boundary must name a resource, or a prefix starting with 'payments.'). Scope it, or grant the resources one by one",
      "acls[1].resourceName: this allow ACL for User:ops reaches tenant 'payments''s topics with prefix 'pay', which is not scoped within its namespace 'payments.': Apache Kafka would open all of them, the Sluice broker none (a grant across a tenant boundary must name a resource, or a prefix starting with 'payments.'). Scope it, or grant the resources one by one",
    ]);
  });

  it("rejects a principal shared by two tenants", () => {
    const bad = sampleManifest({
      tenants: [
        { name: "a", topicPrefix: "a.", groupPrefix: "a.", principals: ["payments-app"] },
        { name: "b", topicPrefix: "b.", groupPrefix: "b.", principals: ["payments-app"] },
      ],
    });
    expect(problems(bad)).toEqual([
      "tenants[1].principals[0]: principal 'payments-app' already belongs to tenant 'a'",
    ]);
  });

  it("rejects manifests whose own topics exceed a tenant's limits", () => {
    const bad = sampleManifest({
      tenants: [
        {
          name: "payments",
          topicPrefix: "payments.",
          groupPrefix: "payments.",
          limits: { maxTopics: 1, maxPartitions: 4 },
        },
      ],
      topics: [
        { name: "payments.a", partitions: 3 },
        { name: "payments.b", partitions: 3 },
      ],
    });
    expect(problems(bad)).toEqual([
      "tenants[0].limits.maxTopics: the manifest declares 2 topics under 'payments.' but maxTopics is 1",
      "tenants[0].limits.maxPartitions: the manifest declares 6 partitions under 'payments.' but maxPartitions is 4",
    ]);
  });

  it("requires cluster ACLs to name kafka-cluster", () => {
    const bad = sampleManifest({
      acls: [
        { resourceType: "cluster", resourceName: "x", principal: "User:a", operation: "alter" },
      ],
    });
    expect(problems(bad)).toEqual([
      "acls[0].resourceName: cluster ACLs use resourceName 'kafka-cluster' (got 'x')",
    ]);
  });

  it("throws a typed error whose message lists every issue", () => {
    try {
      parseManifest({ apiVersion: "x", topics: [{ name: "", partitions: -1 }] }, "bad.json");
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(ManifestError);
      const err = e as ManifestError;
      expect(err.issues).toHaveLength(3);
      expect(err.message.split("\n")[0]).toBe("invalid manifest bad.json:");
    }
  });
});

describe("canonical form and hash", () => {
  it("is independent of collection and key order", () => {
    const a = parseManifest(sampleManifest());
    const shuffled = sampleManifest();
    const b = parseManifest({
      quotas: shuffled.quotas,
      acls: shuffled.acls,
      tenants: shuffled.tenants,
      principals: shuffled.principals,
      topics: [...(shuffled.topics ?? [])].reverse(),
      cluster: shuffled.cluster,
      apiVersion: shuffled.apiVersion,
    });
    expect(serializeManifest(a)).toBe(serializeManifest(b));
    expect(manifestHash(a)).toBe(manifestHash(b));
    expect(manifestHash(a)).toMatch(/^[0-9a-f]{64}$/);
  });

  it("changes when the desired state changes", () => {
    const a = parseManifest(sampleManifest());
    const b = parseManifest(sampleManifest({ topics: [{ name: "audit", partitions: 2 }] }));
    expect(manifestHash(a)).not.toBe(manifestHash(b));
  });

  it("round-trips through parseManifest", () => {
    const a = parseManifest(sampleManifest());
    const text = serializeManifest(a);
    expect(serializeManifest(parseManifest(text))).toBe(text);
  });
});

describe("deletionKinds", () => {
  it("maps each policy form to a set of kinds", () => {
    expect([...deletionKinds("none")]).toEqual([]);
    expect([...deletionKinds("all")]).toEqual([...DELETABLE_KINDS]);
    expect([...deletionKinds("topics")]).toEqual(["topics"]);
    expect([...deletionKinds(["acls", "quotas"])]).toEqual(["acls", "quotas"]);
  });
});

describe("topicConfigs", () => {
  it("produces Kafka config names and string values", () => {
    expect(
      topicConfigs({ retentionMs: 86_400_000, cleanupPolicy: "compact", retentionBytes: -1 }),
    ).toEqual({ "retention.ms": "86400000", "cleanup.policy": "compact", "retention.bytes": "-1" });
  });

  it("refuses negative and fractional values", () => {
    expect(() => topicConfigs({ segmentBytes: -5 })).toThrow("segmentBytes must be >= 0 (got -5)");
    expect(() => topicConfigs({ retentionMs: -2 })).toThrow(
      "retentionMs must be >= 0 or -1 (unlimited) (got -2)",
    );
    expect(() => topicConfigs({ segmentMs: 1.5 })).toThrow(
      "segmentMs must be an integer (got 1.5)",
    );
  });

  it("produces configs the schema accepts", () => {
    const configs = topicConfigs({
      maxMessageBytes: 2_000_000,
      messageTimestampType: "LogAppendTime",
    });
    expect(() =>
      parseManifest({
        apiVersion: "sluice.dev/v1",
        topics: [{ name: "t", partitions: 1, configs }],
      }),
    ).not.toThrow();
  });
});

describe("docs/manifest.md", () => {
  it("has an example that parses", () => {
    const text = readFileSync(join(__dirname, "..", "..", "docs", "manifest.md"), "utf8");
    const example = /```json\n([\s\S]*?)\n```/.exec(text)?.[1];
    expect(example).toBeDefined();
    const m = parseManifest(example ?? "", "docs/manifest.md");
    expect(m.topics.length).toBeGreaterThan(0);
    expect(m.tenants.length).toBeGreaterThan(0);
  });
});
