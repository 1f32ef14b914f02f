import { readFileSync, writeFileSync } from "node:fs";
import * as path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ErrorCode as E, ApiKey as K } from "../../../lib/broker/protocol";
import { TenantDirectory } from "../../../lib/broker/tenancy/tenant";
import type { CliIo } from "../../../lib/cli/cli-io";
import { runCli } from "../../../lib/cli/run-cli";
import { SaslWireClient } from "./sasl-wire-client";
import { startTenancyBroker, type TenancyBroker } from "./tenancy-broker";

const BROKER = 4;
let b: TenancyBroker;
let admin: SaslWireClient;

const tenantValue = (over: Record<string, unknown> = {}) =>
  JSON.stringify({
    topicPrefix: "pay.",
    groupPrefix: "pay-",
    transactionalIdPrefix: "pay.",
    principals: ["pay-app"],
    limits: { maxTopics: 2 },
    ...over,
  });

const alter = (
  client: SaslWireClient,
  configs: { name: string; configOperation: number; value: string | null }[],
  opts: { resourceName?: string; validateOnly?: boolean } = {},
) =>
  client.call(K.IncrementalAlterConfigs, 1, {
    resources: [{ resourceType: BROKER, resourceName: opts.resourceName ?? "", configs }],
    validateOnly: opts.validateOnly ?? false,
  });

const brokerConfigs = async (client: SaslWireClient) => {
  const r = await client.call(K.DescribeConfigs, 4, {
    resources: [{ resourceType: BROKER, resourceName: "", configurationKeys: null }],
    includeSynonyms: false,
    includeDocumentation: false,
  });
  const result = r.results[0];
  if (result === undefined || result.errorCode !== E.NONE) throw new Error("describe failed");
  return new Map(result.configs.map((c) => [c.name, c]));
};

const createTopic = (c: SaslWireClient, name: string) =>
  c.call(K.CreateTopics, 7, {
    topics: [{ name, numPartitions: 1, replicationFactor: 1, assignments: [], configs: [] }],
    timeoutMs: 5000,
    validateOnly: false,
  });

beforeAll(async () => {
  b = await startTenancyBroker({
    users: { admin: "admin-pw", "pay-app": "pay-pw", "ops-app": "ops-pw" },
  });
  admin = await SaslWireClient.login(b.port, "admin", "admin-pw");
});

afterAll(async () => {
  admin?.close();
  await b?.destroy();
});

describe("tenant definitions as dynamic broker configs (sluice.tenant.<name>)", () => {
  it("lists the read-only marker sluice.tenancy=v1 on the cluster-wide BROKER resource", async () => {
    const configs = await brokerConfigs(admin);
    expect(configs.get("sluice.tenancy")).toMatchObject({ value: "v1", readOnly: true });
    expect([...configs.keys()].filter((n) => n.startsWith("sluice.tenant."))).toEqual([]);
  });

  it("adds a tenant live: a connection opened before the change is isolated at once", async () => {
    const pay = await SaslWireClient.login(b.port, "pay-app", "pay-pw");
    // Without a tenant, the ACLs govern pay-app, and it has none.
    expect((await createTopic(pay, "pay.early")).topics[0]?.errorCode).toBe(
      E.TOPIC_AUTHORIZATION_FAILED,
    );

    const r = await alter(admin, [
      { name: "sluice.tenant.pay", configOperation: 0, value: tenantValue() },
    ]);
    expect(r.responses[0]).toMatchObject({ errorCode: E.NONE, resourceName: "" });

    expect((await createTopic(pay, "shared.after")).topics[0]?.errorCode).toBe(
      E.TOPIC_AUTHORIZATION_FAILED,
    );
    expect((await createTopic(pay, "pay.orders")).topics[0]?.errorCode).toBe(E.NONE);
    // The tenant's limit applies too (maxTopics 2).
    expect((await createTopic(pay, "pay.refunds")).topics[0]?.errorCode).toBe(E.NONE);
    const third = (await createTopic(pay, "pay.third")).topics[0];
    expect(third?.errorCode).toBe(E.POLICY_VIOLATION);
    expect(third?.errorMessage).toContain("pay");
    pay.close();

    const value = (await brokerConfigs(admin)).get("sluice.tenant.pay")?.value;
    expect(JSON.parse(value ?? "null")).toEqual(JSON.parse(tenantValue()));
    // Canonical: sorted keys, so `sluice apply` compares it as a string.
    expect(value).toBe(
      '{"groupPrefix":"pay-","limits":{"maxTopics":2},"principals":["pay-app"],"topicPrefix":"pay.","transactionalIdPrefix":"pay."}',
    );
  });

  it("persists tenants in the data directory before answering", async () => {
    const reopened = await TenantDirectory.open(b.broker.services.config.dataDir);
    expect(reopened.definitions().map((d) => d.name)).toEqual(["pay"]);
    expect(reopened.tenantOfPrincipal("User:pay-app")?.topicPrefix).toBe("pay.");
  });

  it("refuses invalid definitions and changes nothing", async () => {
    const before = (await brokerConfigs(admin)).get("sluice.tenant.pay")?.value;
    const cases: [string, string, number][] = [
      ["sluice.tenant.ops", "{not json", E.INVALID_CONFIG],
      ["sluice.tenant.ops", tenantValue({ topicPrefix: "" }), E.INVALID_CONFIG],
      ["sluice.tenant.ops", tenantValue({ extra: 1 }), E.INVALID_CONFIG],
      // pay-app already acts for tenant pay.
      ["sluice.tenant.ops", tenantValue({ topicPrefix: "ops." }), E.INVALID_CONFIG],
      ["sluice.tenant.Not_A_Label", tenantValue({ principals: [] }), E.INVALID_CONFIG],
      ["sluice.tenancy", "v2", E.INVALID_CONFIG],
      ["num.partitions", "3", E.INVALID_REQUEST],
      ["log.retention.ms", "soon", E.INVALID_REQUEST],
    ];
    for (const [name, value, code] of cases) {
      const r = await alter(admin, [{ name, configOperation: 0, value }]);
      expect(r.responses[0]?.errorCode, `${name}=${value}`).toBe(code);
      expect(r.responses[0]?.errorMessage, `${name}=${value}`).toBeTruthy();
    }
    // A batch with one bad entry is refused whole.
    const mixed = await alter(admin, [
      {
        name: "sluice.tenant.ops",
        configOperation: 0,
        value: tenantValue({ topicPrefix: "ops.", principals: ["ops-app"] }),
      },
      { name: "sluice.tenant.bad", configOperation: 0, value: "[]" },
    ]);
    expect(mixed.responses[0]?.errorCode).toBe(E.INVALID_CONFIG);
    // Per-broker resources and list operations do not apply.
    const perBroker = await alter(
      admin,
      [{ name: "sluice.tenant.ops", configOperation: 0, value: tenantValue() }],
      { resourceName: "0" },
    );
    expect(perBroker.responses[0]?.errorCode).toBe(E.INVALID_REQUEST);
    const append = await alter(admin, [
      { name: "sluice.tenant.ops", configOperation: 2, value: "x" },
    ]);
    expect(append.responses[0]?.errorCode).toBe(E.INVALID_CONFIG);

    const after = await brokerConfigs(admin);
    expect(after.get("sluice.tenant.pay")?.value).toBe(before);
    expect(after.has("sluice.tenant.ops")).toBe(false);
  });

  it("validateOnly checks without storing", async () => {
    const opsValue = tenantValue({
      topicPrefix: "ops.",
      groupPrefix: "ops-",
      transactionalIdPrefix: "ops.",
      principals: ["ops-app"],
    });
    const r = await alter(
      admin,
      [{ name: "sluice.tenant.ops", configOperation: 0, value: opsValue }],
      {
        validateOnly: true,
      },
    );
    expect(r.responses[0]?.errorCode).toBe(E.NONE);
    expect((await brokerConfigs(admin)).has("sluice.tenant.ops")).toBe(false);
  });

  it("only principals with ALTER_CONFIGS on the cluster may change tenants", async () => {
    const ops = await SaslWireClient.login(b.port, "ops-app", "ops-pw");
    const r = await alter(ops, [
      {
        name: "sluice.tenant.ops",
        configOperation: 0,
        value: tenantValue({ principals: ["ops-app"] }),
      },
    ]);
    expect(r.responses[0]?.errorCode).toBe(E.CLUSTER_AUTHORIZATION_FAILED);
    ops.close();
  });

  it("removes a tenant with DELETE; AlterConfigs replaces the whole set", async () => {
    const opsValue = tenantValue({
      topicPrefix: "ops.",
      groupPrefix: "ops-",
      transactionalIdPrefix: "ops.",
      principals: ["ops-app"],
    });
    const legacy = await admin.call(K.AlterConfigs, 2, {
      resources: [
        {
          resourceType: BROKER,
          resourceName: "",
          configs: [{ name: "sluice.tenant.ops", value: opsValue }],
        },
      ],
      validateOnly: false,
    });
    expect(legacy.responses[0]?.errorCode).toBe(E.NONE);
    let configs = await brokerConfigs(admin);
    // Legacy AlterConfigs replaces every dynamic config: pay is gone, ops is there.
    expect(configs.has("sluice.tenant.pay")).toBe(false);
    expect(JSON.parse(configs.get("sluice.tenant.ops")?.value ?? "null")).toEqual(
      JSON.parse(opsValue),
    );

    const del = await alter(admin, [
      { name: "sluice.tenant.ops", configOperation: 1, value: null },
    ]);
    expect(del.responses[0]?.errorCode).toBe(E.NONE);
    configs = await brokerConfigs(admin);
    expect(configs.has("sluice.tenant.ops")).toBe(false);
    expect(b.tenancy.tenants.all()).toEqual([]);
    // ops-app is back under the ACLs alone (same answer as isolation here): check the set itself.
    expect(b.tenancy.tenants.tenantOfPrincipal("User:ops-app")).toBeNull();
  });
});

describe("sluice apply carries manifest tenants to a running broker", () => {
  it("puts tenants, then reports no changes on the second run", async () => {
    const dir = b.broker.services.config.dataDir;
    const manifest = path.join(dir, "manifest.json");
    writeFileSync(
      manifest,
      JSON.stringify({
        apiVersion: "sluice.dev/v1",
        topics: [{ name: "web.events", partitions: 2 }],
        principals: [
          { name: "web-app", mechanism: "SCRAM-SHA-512", credential: { env: "WEB_PW" } },
        ],
        tenants: [
          {
            name: "web",
            topicPrefix: "web.",
            groupPrefix: "web-",
            principals: ["web-app"],
            limits: { maxPartitions: 10 },
          },
        ],
      }),
    );
    const run = async () => {
      const out: string[] = [];
      const err: string[] = [];
      const io: CliIo = {
        out: (l) => out.push(l),
        err: (l) => err.push(l),
        env: { ADMIN_PW: "admin-pw", WEB_PW: "web-pw" },
        readFile: (p) => readFileSync(p, "utf8"),
      };
      const argv = [
        "apply",
        manifest,
        "--bootstrap",
        b.bootstrap,
        "--sasl-mechanism",
        "SCRAM-SHA-512",
        "--username",
        "admin",
        "--password-env",
        "ADMIN_PW",
        "--wait-ms",
        "0",
      ];
      const code = await runCli(argv, io);
      return { code, out, err };
    };
    const first = await run();
    expect(first.code, first.err.join("\n")).toBe(0);
    expect(first.out.join("\n")).toContain("tenant web");
    expect(first.err.join("\n")).not.toContain("does not store Sluice tenant definitions");
    expect(b.tenancy.tenants.tenantOfPrincipal("User:web-app")?.limits).toEqual({
      maxPartitions: 10,
    });

    const second = await run();
    expect(second.code, second.err.join("\n")).toBe(0);
    expect(second.out).toContain("no changes");

    // The tenant's principal now works in its own namespace only.
    const web = await SaslWireClient.login(b.port, "web-app", "web-pw");
    expect((await createTopic(web, "web.clicks")).topics[0]?.errorCode).toBe(E.NONE);
    expect((await createTopic(web, "other.clicks")).topics[0]?.errorCode).toBe(
      E.TOPIC_AUTHORIZATION_FAILED,
    );
    web.close();
  });
});
