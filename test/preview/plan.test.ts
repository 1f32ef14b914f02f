import * as fs from "node:fs";
import * as path from "node:path";
import { App, TerraformStack } from "cdktf";
import { afterAll, describe, expect, it } from "vitest";
import { planCommand } from "../../lib/cli/plan-command";
import { CleanupPolicy } from "../../lib/constructs/cleanup-policy";
import { Engine } from "../../lib/constructs/engine";
import { RemovalPolicy } from "../../lib/constructs/removal-policy";
import { SaslMechanism } from "../../lib/constructs/sasl-mechanism";
import type { TenantOptions } from "../../lib/constructs/tenant";
import { planPreviewDocumentSchema, planPreviewJsonSchema } from "../../lib/preview/plan-preview";
import { type Define, removeSynthDirs, synth, tempDir } from "./fixtures";

// Real synth outputs of small apps, compared by `sluice plan` in-process.

afterAll(removeSynthDirs);

/** Every (base, head) pair a test previewed, by test name: the golden files show their previews. */
const scenarios = new Map<string, [string, string][]>();

/** Runs `sluice plan`; returns exit code, stdout and stderr. */
function plan(base: string, head: string, format = "text") {
  const out: string[] = [];
  const err: string[] = [];
  const code = planCommand(["--base", base, "--head", head, "--format", format], {
    out: (l) => out.push(l),
    err: (l) => err.push(l),
    env: {},
    readFile: (f) => fs.readFileSync(f, "utf8"),
  });
  const test = expect.getState().currentTestName ?? "";
  const pairs = scenarios.get(test) ?? [];
  if (code !== 1 && code !== 64 && !pairs.some(([b, h]) => b === base && h === head))
    pairs.push([base, head]);
  scenarios.set(test, pairs);
  return { code, out: out.join("\n"), err: err.join("\n") };
}

/** The JSON preview of two apps. */
function planJson(base: string, head: string) {
  const result = plan(base, head, "json");
  return { code: result.code, preview: JSON.parse(result.out) };
}

const orders: Define = (c) => {
  c.addTopic("orders", { partitions: 3 });
};

describe("sluice plan: no changes", () => {
  it("the same app twice: exit 0, 'no changes'", () => {
    const result = plan(synth(orders), synth(orders));
    expect(result.code).toBe(0);
    expect(result.out).toBe("sluice plan: no changes");
  });

  it("a topic moved to another construct id (same topic name) is no change", () => {
    const moved = synth((c) => {
      c.addTopic("orders-topic", { topicName: "orders", partitions: 3 });
    });
    expect(plan(synth(orders), moved).code).toBe(0);
  });

  it("a default written out is no change: retention 7 days = Kafka's default retention.ms", () => {
    const explicit = synth((c) => {
      c.addTopic("orders", { partitions: 3, retentionHours: 7 * 24 });
    });
    expect(plan(synth(orders), explicit).code).toBe(0);
  });
});

describe("sluice plan: changes", () => {
  it("a topic added, partitions grown: exit 2, keyed by topic name, applied live", () => {
    const head = synth((c) => {
      c.addTopic("orders", { partitions: 5 });
      c.addTopic("audit", { partitions: 1 });
    });
    const { code, preview } = planJson(synth(orders), head);
    expect(code).toBe(2);
    expect(preview.version).toBe(1);
    expect(preview.verdict).toBe("1 topic added · 1 topic changed");
    const [cluster] = preview.clusters;
    expect(cluster.cluster).toBe("events");
    expect(cluster.hazards).toEqual([]);
    expect(cluster.changes).toEqual([
      expect.objectContaining({ subject: "topic", name: "audit", action: "add" }),
      expect.objectContaining({
        subject: "topic",
        name: "orders",
        action: "change",
        summary: "partitions 3 → 5",
        consequence: "applied live",
      }),
    ]);
  });

  it("shows config values in units, old → new", () => {
    const head = synth((c) => {
      c.addTopic("orders", {
        partitions: 3,
        retentionHours: 14 * 24,
        maxMessageBytes: 2 * 1024 ** 2,
      });
    });
    const { preview } = planJson(synth(orders), head);
    expect(preview.clusters[0].changes[0].fields).toEqual([
      { field: "max.message.bytes", before: "1048588 B", after: "2 MiB" },
      { field: "retention.ms", before: "7d", after: "14d" },
    ]);
  });

  it("groups a tenant's topics, principals and ACLs under the tenant", () => {
    const analytics: Define = (c) => {
      orders(c);
      c.addTenant("analytics");
    };
    const head = synth((c) => {
      analytics(c);
      c.addTenant("billing", { maxTopics: 5 }).addTopic("payments", { partitions: 2 });
    });
    const result = plan(synth(analytics), head);
    expect(result.code).toBe(2);
    expect(result.out).toContain(
      "  tenant billing\n    + topic billing.payments: added: 2 partitions",
    );
    expect(result.out).toContain("    + principal billing: added: SCRAM-SHA-512 credential");
  });
});

describe("sluice plan: tenants, principals and quotas", () => {
  const tenant =
    (options: TenantOptions): Define =>
    (c) => {
      orders(c);
      c.addTenant("billing", options);
    };

  it("tenant limits and quotas changed: applied live, grouped under the tenant", () => {
    const base = synth(tenant({ maxTopics: 5, produceBytesPerSecond: 1024 ** 2 }));
    const head = synth(tenant({ maxTopics: 10, produceBytesPerSecond: 2 * 1024 ** 2 }));
    const result = plan(base, head);
    expect(result.code).toBe(2);
    expect(result.out).toContain("    ~ tenant billing: maxTopics 5 → 10 [applied live]");
    expect(result.out).toContain(
      "    ~ quota user=billing: producer_byte_rate 1 MiB/s → 2 MiB/s [applied live]",
    );
  });

  it("a principal's SASL mechanism changed: a credential rotation", () => {
    const base = synth(tenant({}));
    const head = synth(tenant({ saslMechanism: SaslMechanism.SCRAM_SHA_256 }));
    const { code, preview } = planJson(base, head);
    expect(code).toBe(2);
    expect(preview.clusters[0].changes).toContainEqual(
      expect.objectContaining({
        subject: "principal",
        name: "billing",
        tenant: "billing",
        summary: "mechanism SCRAM-SHA-512 → SCRAM-SHA-256",
        consequence: "credential rotation",
      }),
    );
  });
});

describe("sluice plan: hazards", () => {
  /** The hazards of a change, as code/severity/acknowledged. */
  function hazards(base: string, head: string) {
    const { code, preview } = planJson(base, head);
    const list = preview.clusters.flatMap(
      (c: { hazards: { code: string; severity: string; acknowledged: boolean }[] }) =>
        c.hazards.map((h) => `${h.code} ${h.severity}${h.acknowledged ? " acknowledged" : ""}`),
    );
    return { code, list };
  }

  it("a topic deleted under deletions: topics is data loss (error, exit 3)", () => {
    const head = synth(() => {}, { deletions: ["topics"] });
    expect(hazards(synth(orders), head)).toEqual({ code: 3, list: ["TOPIC_DELETED error"] });
  });

  it("a topic removed without deletions: stays on the cluster, no hazard", () => {
    const result = plan(
      synth(orders),
      synth(() => {}),
    );
    expect(result.code).toBe(2);
    expect(result.out).toContain("stays on the cluster");
  });

  it("a partition decrease synthesized without the lock file is an error-level hazard", () => {
    const head = synth((c) => {
      c.addTopic("orders", { partitions: 2 });
    });
    const result = plan(synth(orders), head);
    expect(result.code).toBe(3);
    expect(result.out).toContain("ERROR PARTITIONS_DECREASED topic orders");
    expect(result.out).toContain("the head was synthesized without the lock file");
  });

  it("a refused partition decrease is labelled refused, not applied live", () => {
    const head = synth((c) => {
      c.addTopic("orders", { partitions: 2 });
      c.addTopic("audit", { partitions: 1 });
    });
    const result = plan(synth(orders), head);
    expect(result.out).toContain("~ topic orders: partitions 3 → 2 [refused]");
    expect(result.out).toContain(
      "sluice apply refuses it, and with it the whole manifest (none of this change is applied)",
    );
    expect(planJson(synth(orders), head).preview.clusters[0].changes).toContainEqual(
      expect.objectContaining({ name: "orders", consequence: "refused" }),
    );
  });

  it("a partition decrease the app acknowledges (allowPartitionDecrease) is listed as acknowledged", () => {
    const head = synth((c) => {
      c.addTopic("orders", { partitions: 2, allowPartitionDecrease: true });
    });
    expect(hazards(synth(orders), head)).toEqual({
      code: 2,
      list: ["PARTITIONS_DECREASED error acknowledged"],
    });
  });

  it("retention cut, cleanup policy changed, partitions grown on a compacted topic", () => {
    const base = synth((c) => {
      c.addTopic("orders", { partitions: 3, retentionHours: 72 });
      c.addTopic("users", { partitions: 3, cleanupPolicy: CleanupPolicy.COMPACT });
    });
    const head = synth((c) => {
      c.addTopic("orders", {
        partitions: 3,
        retentionHours: 24,
        cleanupPolicy: CleanupPolicy.COMPACT,
      });
      c.addTopic("users", { partitions: 6, cleanupPolicy: CleanupPolicy.COMPACT });
    });
    expect(hazards(base, head)).toEqual({
      code: 3,
      list: [
        "CLEANUP_POLICY_CHANGED warning",
        "PARTITIONS_GROWN_COMPACTED warning",
        "RETENTION_CUT warning",
      ],
    });
  });

  it("a topic's replication factor changed: sluice apply does not reassign replicas", () => {
    const kafka = { engine: Engine.apacheKafka({ version: "3.9.0" }), brokers: 3 };
    const topic =
      (replicationFactor: number): Define =>
      (c) => {
        c.addTopic("orders", { partitions: 3, replicationFactor });
      };
    // At 3 replicas the default min.insync.replicas becomes 2, which the plan warns about too.
    expect(hazards(synth(topic(2), kafka), synth(topic(3), kafka)).list.sort()).toEqual([
      "MIN_INSYNC_REPLICAS_UNSAFE warning",
      "REPLICATION_FACTOR_CHANGED warning",
    ]);
  });

  it("min.insync.replicas raised: a warning; above the topic's replicas: an error", () => {
    const kafka = { engine: Engine.apacheKafka({ version: "3.9.0" }), brokers: 3 };
    const topic =
      (minInsyncReplicas: number): Define =>
      (c) => {
        c.addTopic("orders", { partitions: 3, replicationFactor: 3, minInsyncReplicas });
      };
    const base = synth(topic(1), kafka);
    const head = synth(topic(2), kafka);
    expect(hazards(base, head).list).toEqual(["MIN_INSYNC_REPLICAS_UNSAFE warning"]);
    // Synth refuses more than the replicas; a model written by other means is still checked.
    const model = path.join(head, "stacks", "app", "sluice-cluster-events.json");
    fs.writeFileSync(
      model,
      fs
        .readFileSync(model, "utf8")
        .replace('"min.insync.replicas": "2"', '"min.insync.replicas": "4"'),
    );
    expect(hazards(base, head).list).toEqual(["MIN_INSYNC_REPLICAS_UNSAFE error"]);
  });

  it("a broker resized restarts it (downtime with one broker)", () => {
    const result = plan(synth(orders), synth(orders, { brokerMemoryMiB: 1024 }));
    expect(result.code).toBe(3);
    expect(result.out).toContain("~ broker broker-0: memoryMiB 512 → 1024 [broker restart]");
    expect(result.out).toContain("WARNING BROKER_RESTART broker broker-0");
  });

  it("a new broker image (base image changed) restarts every broker", () => {
    const head = synth(orders, { engine: Engine.bundled({ baseImage: "local/node:test" }) });
    expect(hazards(synth(orders), head).list).toEqual(["BROKER_RESTART warning"]);
  });

  it("an image change names the image references beside the hashes (node:22 → node:24)", () => {
    const base = synth(orders, { engine: Engine.bundled({ baseImage: "node:22-bookworm-slim" }) });
    const head = synth(orders, { engine: Engine.bundled({ baseImage: "node:24-bookworm-slim" }) });
    const { preview } = planJson(base, head);
    const image = preview.clusters[0].changes[0].fields.find(
      (f: { field: string }) => f.field === "image",
    );
    expect(image.before).toMatch(/^sluice-broker:[0-9a-f]{64} \(built on node:22-bookworm-slim\)$/);
    expect(image.after).toMatch(/^sluice-broker:[0-9a-f]{64} \(built on node:24-bookworm-slim\)$/);
    expect(plan(base, head).out).toContain("(built on node:24-bookworm-slim) [broker restart]");
  });

  it("an engine switch (bundled → Apache Kafka) is data loss: an error naming what is lost, acknowledged by allowEngineSwitch", () => {
    const withTenant: Define = (c) => {
      orders(c);
      c.addTenant("billing").addTopic("payments");
    };
    const kafka = { engine: Engine.apacheKafka({ version: "4.3.1" }), brokers: 3 };
    const base = synth(withTenant);
    const result = plan(base, synth(withTenant, kafka));
    expect(result.code).toBe(3);
    expect(result.out).toContain(
      "! ERROR ENGINE_SWITCHED broker (all): engine bundled → apache-kafka: the apache-kafka brokers start empty; nothing carries over from the bundled brokers: the records of 2 topics (billing.payments, orders), every consumer group's committed offsets and the SCRAM credentials of 1 principal (billing)",
    );
    expect(result.out).not.toContain("BROKER_RESTART");
    // Every broker line of the switch says so: none of the new brokers is "applied live".
    const brokerLines = result.out.split("\n").filter((l) => /^ {2}[~+-] broker/.test(l));
    expect(brokerLines.length).toBe(3);
    for (const line of brokerLines) expect(line).toMatch(/\[data loss\]$/);
    // The topics are created anew with the new replication factor: no REPLICATION_FACTOR_CHANGED.
    const acknowledged = hazards(base, synth(withTenant, { ...kafka, allowEngineSwitch: true }));
    expect(acknowledged.list).toContain("ENGINE_SWITCHED error acknowledged");
    expect(acknowledged.list.filter((h: string) => !h.startsWith("MIN_INSYNC_REPLICAS"))).toEqual([
      "ENGINE_SWITCHED error acknowledged",
    ]);
  });

  it("the first tenant makes the listener require authentication: an error naming the clients that lose access", () => {
    const base = synth((c) => {
      orders(c);
      c.addTopic("clicks", { partitions: 1 });
    });
    const define: Define = (c) => {
      orders(c);
      c.addTopic("clicks", { partitions: 1 });
      c.addTenant("billing");
    };
    const result = plan(base, synth(define));
    expect(result.code).toBe(3);
    expect(result.out).toContain(
      "! ERROR AUTHENTICATION_REQUIRED broker (all): clientAuthentication none → sasl: the listener requires authentication from now on, so every client that connects without credentials today — the producers, consumers and tools of 2 topics (clicks, orders) — is refused after the restart.",
    );
    expect(hazards(base, synth(define, { allowAuthenticationChange: true })).list).toEqual([
      "AUTHENTICATION_REQUIRED error acknowledged",
      "BROKER_RESTART warning",
    ]);
    // A second tenant changes no listener: no such hazard.
    const second = synth((c) => {
      define(c);
      c.addTenant("analytics");
    });
    expect(hazards(synth(define), second)).toEqual({ code: 2, list: [] });
  });

  it("a volume shrunk: a hazard, acknowledged by allowVolumeShrink", () => {
    const base = synth(orders, { storageGiB: 20 });
    expect(hazards(base, synth(orders, { storageGiB: 10 })).list).toEqual([
      "VOLUME_SHRUNK warning",
    ]);
    expect(hazards(base, synth(orders, { storageGiB: 10, allowVolumeShrink: true })).list).toEqual([
      "VOLUME_SHRUNK warning acknowledged",
    ]);
  });

  it("a broker moved to another volume (a new volume name) starts empty: an error", () => {
    const base = synth(orders);
    const head = synth(orders);
    // The constructs derive volume names from the cluster name; a target may name them otherwise.
    const model = path.join(head, "stacks", "app", "sluice-cluster-events.json");
    fs.writeFileSync(
      model,
      fs.readFileSync(model, "utf8").replace('"events-broker-0-data"', '"events-broker-0-data-v2"'),
    );
    expect(hazards(base, head)).toEqual({ code: 3, list: ["VOLUME_REPLACED error"] });
  });

  it("brokers added and resized on Apache Kafka: a rolling restart", () => {
    const kafka = { engine: Engine.apacheKafka({ version: "3.9.0" }) };
    const result = plan(
      synth(orders, { ...kafka, brokers: 3 }),
      synth(orders, { ...kafka, brokers: 5, brokerCpus: 2 }),
    );
    expect(result.code).toBe(3);
    expect(result.out).toContain("+ broker broker-3: added: 2 CPUs");
    expect(result.out).toContain("+ broker broker-4: added: 2 CPUs");
    expect(result.out).toContain("~ broker broker-0: cpus 1 → 2 [rolling restart]");
  });

  it("over several hosts, names the host of each broker-level change", () => {
    const kafka = { engine: Engine.apacheKafka({ version: "3.9.0" }), brokers: 3 };
    const hosts = { hosts: ["h1", "h2", "h3"] };
    const result = plan(
      synth(orders, kafka, hosts),
      synth(orders, { ...kafka, brokerMemoryMiB: 1024 }, hosts),
    );
    expect(result.code).toBe(3);
    expect(result.out).toContain(
      "~ broker broker-1: on app/h2: memoryMiB 512 → 1024 [rolling restart]",
    );
    expect(result.out).toContain(
      "WARNING BROKER_RESTART broker broker-2: on app/h3: memoryMiB 512 → 1024: the broker container is replaced (rolling restart)",
    );
  });

  it("a broker moved to another host starts there empty: re-replicated on Apache Kafka, lost on the bundled engine", () => {
    const kafka = { engine: Engine.apacheKafka({ version: "3.9.0" }), brokers: 3 };
    const moved = plan(
      synth(orders, kafka, { hosts: ["h1", "h2", "h3"] }),
      synth(orders, kafka, { hosts: ["h1", "h2", "h4"] }),
    );
    expect(moved.code).toBe(3);
    expect(moved.out).toContain(
      "WARNING BROKER_MOVED broker broker-2: broker-2 moves from app/h3 to app/h4: it starts there on a new, empty volume events-broker-2-data (the old one stays on app/h3); Apache Kafka re-replicates its partitions from the other replicas",
    );
    expect(moved.out).toContain(
      "~ broker broker-2: on app/h4: host app/h3 → app/h4 [rolling restart]",
    );
    const bundled = plan(
      synth(orders, {}, { hosts: ["h1"] }),
      synth(orders, {}, { hosts: ["h2"] }),
    );
    expect(bundled.code).toBe(3);
    expect(bundled.out).toContain(
      "ERROR BROKER_MOVED broker broker-0: broker-0 moves from app/h1 to app/h2: it starts there on a new, empty volume events-broker-0-data (the old one stays on app/h1); the bundled engine's records and committed offsets do not follow",
    );
    expect(bundled.out).toContain("[data loss]");
  });

  it("a model written before placement (no host) compares as unchanged", () => {
    const base = synth(orders);
    const model = path.join(base, "stacks", "app", "sluice-cluster-events.json");
    fs.writeFileSync(
      model,
      fs.readFileSync(model, "utf8").replace(/\n\s*"host": "app\/host",/g, ""),
    );
    expect(fs.readFileSync(model, "utf8")).not.toContain('"host"');
    expect(plan(base, synth(orders)).code).toBe(0);
  });

  it("a cluster removed with destroyable volumes destroys their data", () => {
    const base = synth(orders, { storageRemovalPolicy: RemovalPolicy.DESTROY });
    const head = synth(orders, { clusterName: "other" }, { cluster: "other" });
    const { code, list } = hazards(base, head);
    expect(code).toBe(3);
    expect(list).toEqual(["VOLUME_DESTROYED error"]);
  });

  it("a tenant's principal removed under deletions: credentials locks it out", () => {
    const tenant: Define = (c) => {
      orders(c);
      c.addTenant("billing").grantProduce(c.topics[0] ?? fail());
    };
    const head = synth(orders, {
      deletions: ["credentials", "acls"],
      clientAuthentication: undefined,
    });
    const { list } = hazards(synth(tenant), head);
    expect(list).toContain("PRINCIPAL_LOCKED_OUT warning");
  });
});

describe("sluice plan: ACLs", () => {
  const billing =
    (grant: boolean): Define =>
    (c) => {
      const topic = c.addTopic("orders", { partitions: 3 });
      const tenant = c.addTenant("billing");
      if (grant) tenant.grantProduce(topic);
    };

  it("an ACL deleted from a principal that stays: one lockout hazard naming what it loses", () => {
    const head = synth(billing(false), { deletions: ["acls"] });
    const { preview } = planJson(synth(billing(true)), head);
    expect(preview.clusters[0].hazards).toEqual([
      expect.objectContaining({
        code: "PRINCIPAL_LOCKED_OUT",
        name: "billing",
        reason: expect.stringMatching(/^User:billing loses .*write on topic orders/),
      }),
    ]);
  });

  it("an ACL removed without deletions: acls stays on the cluster, no hazard", () => {
    const { code, preview } = planJson(synth(billing(true)), synth(billing(false)));
    expect(code).toBe(2);
    expect(preview.clusters[0].hazards).toEqual([]);
  });
});

function fail(): never {
  throw new Error("fixture has no topic");
}

describe("sluice plan: bad input (exit 1, or 64 for the command line)", () => {
  it("a missing directory", () => {
    const result = plan("/nonexistent/cdktf.out", synth(orders));
    expect(result).toMatchObject({
      code: 1,
      err: "sluice plan: /nonexistent/cdktf.out: no such directory",
    });
  });

  it("a directory that is not a synth output", () => {
    const dir = tempDir("sluice-plan-empty-");
    const result = plan(dir, synth(orders));
    expect(result.code).toBe(1);
    expect(result.err).toContain(`${dir}: not a cdktf synth output (no manifest.json)`);
  });

  it("a synth output without a Sluice cluster", () => {
    const dir = tempDir("sluice-plan-plain-");
    const app = new App({ outdir: dir });
    new TerraformStack(app, "plain");
    app.synth();
    const result = plan(dir, synth(orders));
    expect(result.code).toBe(1);
    expect(result.err).toContain(`${dir}: no Sluice cluster model`);
  });

  it("two outputs of different apps", () => {
    const other = synth(orders, { clusterName: "other" }, { stack: "other-app" });
    const result = plan(synth(orders), other);
    expect(result.code).toBe(1);
    expect(result.err).toContain("are outputs of different apps");
  });

  it("an unknown format is a usage error (exit 64, as for every command)", () => {
    const dir = synth(orders);
    expect(plan(dir, dir, "yaml")).toMatchObject({ code: 64 });
    expect(plan(dir, dir, "toString")).toMatchObject({ code: 64 });
    expect(plan(dir, dir, "yaml").err).toContain(
      "--format must be one of text, markdown, json (got 'yaml')",
    );
  });
});

describe("sluice plan --format json", () => {
  it("is a version-1 document of the published schema, in a stable order", () => {
    const base = synth((c) => {
      c.addTopic("b-topic", { partitions: 1 });
      c.addTopic("a-topic", { partitions: 1 });
    });
    const head = synth(
      (c) => {
        c.addTopic("a-topic", { partitions: 2 });
        c.addTopic("c-topic", { partitions: 1 });
      },
      { deletions: "all" },
    );
    const first = plan(base, head, "json");
    const doc = planPreviewDocumentSchema.parse(JSON.parse(first.out));
    expect(doc.version).toBe(1);
    expect(doc.clusters[0]?.changes.map((c) => c.name)).toEqual(["a-topic", "b-topic", "c-topic"]);
    expect(plan(base, head, "json").out).toBe(first.out);
  });

  it("docs/plan-preview.schema.json is the schema this version prints (sluice plan --json-schema)", () => {
    const published = fs.readFileSync(
      path.join(__dirname, "..", "..", "docs", "plan-preview.schema.json"),
      "utf8",
    );
    expect(JSON.parse(published)).toEqual(planPreviewJsonSchema());
  });
});

describe("golden previews", () => {
  it("every scenario above, in text and markdown, matches its file in test/preview/golden", async () => {
    // The broker image tag is a hash of the broker's code: the golden files must not change with it.
    const stable = (text: string) =>
      text.replace(/sluice-broker:[0-9a-f]{64}/g, "sluice-broker:<hash>");
    for (const [test, pairs] of scenarios) {
      if (pairs.length === 0 || test.startsWith("golden")) continue;
      const parts = pairs.map(([base, head]) =>
        [
          "$ sluice plan --format text",
          plan(base, head, "text").out,
          "",
          "$ sluice plan --format markdown",
          plan(base, head, "markdown").out,
          "",
        ].join("\n"),
      );
      const slug = test
        .replace(/^sluice plan: /, "")
        .toLowerCase()
        .replace(/[^a-z0-9]+/g, "-")
        .replace(/^-|-$/g, "")
        .slice(0, 80);
      await expect(stable(parts.join("\n"))).toMatchFileSnapshot(`golden/${slug}.txt`);
    }
  });
});
