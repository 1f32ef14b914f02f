import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { ErrorCode } from "../../../lib/broker/protocol";
import { describeAclsHandler } from "../../../lib/broker/server/handlers/29-describe-acls";
import { createAclsHandler } from "../../../lib/broker/server/handlers/30-create-acls";
import { deleteAclsHandler } from "../../../lib/broker/server/handlers/31-delete-acls";
import { describeClientQuotasHandler } from "../../../lib/broker/server/handlers/48-describe-client-quotas";
import { alterClientQuotasHandler } from "../../../lib/broker/server/handlers/49-alter-client-quotas";
import {
  AclOperation as Op,
  PatternType,
  AclPermissionType as Perm,
  ResourceType as RT,
} from "../../../lib/broker/tenancy/acl-binding";
import { attachTenancy, Tenancy } from "../../../lib/broker/tenancy/tenancy";
import { call, context } from "./wire";

describe("ACL and quota handlers", () => {
  let dir = "";
  let broker: object;
  let tenancy: Tenancy;
  const admin = context({ principal: "User:admin" });
  const alice = context({ principal: "User:alice" });

  beforeEach(async () => {
    dir = await mkdtemp(path.join(tmpdir(), "sluice-aclh-"));
    tenancy = await Tenancy.open({
      dataDir: dir,
      clock: { now: () => 0 },
      superUsers: ["User:admin"],
      authorizationEnabled: true,
    });
    broker = {};
    attachTenancy(broker, tenancy);
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  const creation = (over: Record<string, unknown> = {}) => ({
    resourceType: RT.TOPIC,
    resourceName: "pay.",
    resourcePatternType: PatternType.PREFIXED,
    principal: "User:alice",
    host: "*",
    operation: Op.WRITE,
    permissionType: Perm.ALLOW,
    ...over,
  });
  const anyFilter = {
    resourceTypeFilter: RT.ANY,
    resourceNameFilter: null,
    patternTypeFilter: PatternType.ANY,
    principalFilter: null,
    hostFilter: null,
    operation: Op.ANY,
    permissionType: Perm.ANY,
  };

  it("creates, describes (grouped by resource) and deletes ACLs on v1, v2 and v3", async () => {
    for (const v of [1, 2, 3]) {
      const created = await call(
        createAclsHandler,
        v,
        {
          creations: [
            creation(),
            creation({ operation: Op.READ }),
            creation({
              resourceType: RT.CLUSTER,
              resourceName: "x",
              resourcePatternType: PatternType.LITERAL,
            }),
          ],
        },
        admin,
        broker,
      );
      expect(created.results.map((r) => r.errorCode)).toEqual([0, 0, ErrorCode.INVALID_REQUEST]);
      expect(created.results[2]?.errorMessage).toContain("kafka-cluster");
      const described = await call(describeAclsHandler, v, anyFilter, admin, broker);
      expect(described.resources).toEqual([
        {
          resourceType: RT.TOPIC,
          resourceName: "pay.",
          patternType: PatternType.PREFIXED,
          acls: [
            { principal: "User:alice", host: "*", operation: Op.WRITE, permissionType: Perm.ALLOW },
            { principal: "User:alice", host: "*", operation: Op.READ, permissionType: Perm.ALLOW },
          ],
        },
      ]);
      const deleted = await call(
        deleteAclsHandler,
        v,
        {
          filters: [
            { ...anyFilter, operation: Op.READ },
            { ...anyFilter, resourceTypeFilter: RT.UNKNOWN },
          ],
        },
        admin,
        broker,
      );
      expect(deleted.filterResults[0]?.matchingAcls.map((a) => a.operation)).toEqual([Op.READ]);
      expect(deleted.filterResults[1]?.errorCode).toBe(ErrorCode.INVALID_REQUEST);
      await call(deleteAclsHandler, v, { filters: [anyFilter] }, admin, broker);
      expect(tenancy.authorizer.all()).toEqual([]);
    }
  });

  it("requires cluster ALTER to change ACLs and DESCRIBE to list them", async () => {
    expect(
      (await call(createAclsHandler, 2, { creations: [creation()] }, alice, broker)).results[0]
        ?.errorCode,
    ).toBe(ErrorCode.CLUSTER_AUTHORIZATION_FAILED);
    expect((await call(describeAclsHandler, 2, anyFilter, alice, broker)).errorCode).toBe(
      ErrorCode.CLUSTER_AUTHORIZATION_FAILED,
    );
    expect(
      (await call(deleteAclsHandler, 2, { filters: [anyFilter] }, alice, broker)).filterResults[0]
        ?.errorCode,
    ).toBe(ErrorCode.CLUSTER_AUTHORIZATION_FAILED);
    await call(
      createAclsHandler,
      2,
      {
        creations: [
          creation({
            resourceType: RT.CLUSTER,
            resourceName: "kafka-cluster",
            resourcePatternType: PatternType.LITERAL,
            operation: Op.ALTER,
          }),
        ],
      },
      admin,
      broker,
    );
    // ALTER implies DESCRIBE
    expect((await call(describeAclsHandler, 2, anyFilter, alice, broker)).errorCode).toBe(0);
  });

  it("alters and describes client quotas with EXACT / DEFAULT / SPECIFIED matching and strict mode", async () => {
    const entries = [
      {
        entity: [{ entityType: "user", entityName: "alice" }],
        ops: [{ key: "producer_byte_rate", value: 1024, remove: false }],
      },
      {
        entity: [
          { entityType: "user", entityName: null },
          { entityType: "client-id", entityName: "app" },
        ],
        ops: [{ key: "consumer_byte_rate", value: 2048, remove: false }],
      },
      {
        entity: [{ entityType: "client-id", entityName: null }],
        ops: [{ key: "request_percentage", value: 150, remove: false }],
      },
      {
        entity: [{ entityType: "user", entityName: "x" }],
        ops: [{ key: "bogus", value: 1, remove: false }],
      },
      {
        entity: [{ entityType: "ip", entityName: "1.2.3.4" }],
        ops: [{ key: "producer_byte_rate", value: 1, remove: false }],
      },
    ];
    const dry = await call(
      alterClientQuotasHandler,
      1,
      { entries, validateOnly: true },
      admin,
      broker,
    );
    expect(dry.entries.map((e) => e.errorCode)).toEqual([
      0,
      0,
      0,
      ErrorCode.INVALID_REQUEST,
      ErrorCode.INVALID_REQUEST,
    ]);
    expect(tenancy.quotaConfig.all()).toEqual([]);
    await call(alterClientQuotasHandler, 0, { entries, validateOnly: false }, admin, broker);
    const d = (
      components: Array<{ entityType: string; matchType: number; match: string | null }>,
      strict = false,
    ) => call(describeClientQuotasHandler, 1, { components, strict }, admin, broker);
    expect((await d([{ entityType: "user", matchType: 0, match: "alice" }])).entries).toEqual([
      {
        entity: [{ entityType: "user", entityName: "alice" }],
        values: [{ key: "producer_byte_rate", value: 1024 }],
      },
    ]);
    expect(
      (await d([{ entityType: "user", matchType: 1, match: null }])).entries?.map(
        (e) => e.entity.length,
      ),
    ).toEqual([2]);
    expect((await d([{ entityType: "user", matchType: 1, match: null }], true)).entries).toEqual(
      [],
    );
    expect((await d([{ entityType: "user", matchType: 2, match: null }])).entries).toHaveLength(1);
    expect((await d([])).entries).toHaveLength(3);
    expect((await d([{ entityType: "bogus", matchType: 2, match: null }])).errorCode).toBe(
      ErrorCode.INVALID_REQUEST,
    );
    expect(tenancy.quotaConfig.resolve("consumer_byte_rate", "bob", "app")?.bound).toBe(2048);
    const denied = await call(
      alterClientQuotasHandler,
      1,
      { entries: entries.slice(0, 1), validateOnly: false },
      alice,
      broker,
    );
    expect(denied.entries[0]?.errorCode).toBe(ErrorCode.CLUSTER_AUTHORIZATION_FAILED);
  });
});

describe("Tenancy.authorize", () => {
  let dir = "";
  beforeEach(async () => {
    dir = await mkdtemp(path.join(tmpdir(), "sluice-tauth-"));
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it("isolates tenants before ACLs, lets tenants use what they own, and honours explicit DENY", async () => {
    const t = await Tenancy.open({
      dataDir: dir,
      clock: { now: () => 0 },
      superUsers: ["User:admin"],
      authorizationEnabled: true,
    });
    await t.tenants.replace([
      { name: "a", topicPrefix: "a.", groupPrefix: "a-", principals: ["alice"] },
      { name: "b", topicPrefix: "b.", groupPrefix: "b-", principals: ["bob"] },
    ]);
    await t.authorizer.create([
      // a careless ACL granting everyone everything on every topic: isolation still holds
      {
        resourceType: RT.TOPIC,
        resourceName: "*",
        patternType: PatternType.LITERAL,
        principal: "User:*",
        host: "*",
        operation: Op.ALL,
        permissionType: Perm.ALLOW,
      },
      {
        resourceType: RT.TOPIC,
        resourceName: "a.secret",
        patternType: PatternType.LITERAL,
        principal: "User:alice",
        host: "*",
        operation: Op.WRITE,
        permissionType: Perm.DENY,
      },
    ]);
    const alice = { principal: "User:alice", clientHost: "127.0.0.1" };
    const carol = { principal: "User:carol", clientHost: "127.0.0.1" };
    expect(t.authorize(alice, Op.WRITE, RT.TOPIC, "a.orders")).toBe(true);
    expect(t.authorize(alice, Op.READ, RT.GROUP, "a-g")).toBe(true);
    expect(t.authorize(alice, Op.DESCRIBE, RT.TOPIC, "b.orders")).toBe(false);
    expect(t.authorize(alice, Op.READ, RT.GROUP, "b-g")).toBe(false);
    expect(t.authorize(alice, Op.WRITE, RT.TOPIC, "a.secret")).toBe(false);
    expect(t.authorize(alice, Op.READ, RT.TOPIC, "a.secret")).toBe(true);
    expect(t.authorize(carol, Op.READ, RT.TOPIC, "a.orders")).toBe(false);
    expect(t.authorize(carol, Op.READ, RT.TOPIC, "public")).toBe(true);
    expect(t.authorize(carol, Op.READ, RT.GROUP, "public")).toBe(false); // no group ACL
    expect(
      t.authorize({ principal: "User:admin", clientHost: "h" }, Op.DELETE, RT.TOPIC, "b.orders"),
    ).toBe(true);
  });

  it("opens a tenant boundary only with an explicit grant scoped within the owner's namespace", async () => {
    // authorization off and allow.everyone on: neither may open a boundary, only an ACL does
    const t = await Tenancy.open({
      dataDir: dir,
      clock: { now: () => 0 },
      superUsers: ["User:admin"],
      allowEveryoneIfNoAclFound: true,
    });
    await t.tenants.replace([
      {
        name: "billing",
        topicPrefix: "billing.",
        groupPrefix: "billing.",
        principals: ["billing"],
      },
      {
        name: "analytics",
        topicPrefix: "analytics.",
        groupPrefix: "analytics.",
        principals: ["analytics"],
      },
      { name: "pay", topicPrefix: "pay.", groupPrefix: "pay.", principals: ["pay"] },
      { name: "pay-eu", topicPrefix: "pay.eu.", groupPrefix: "pay.eu.", principals: ["payeu"] },
    ]);
    const acl = (
      principal: string,
      operation: Op,
      resourceName: string,
      patternType: PatternType.LITERAL | PatternType.PREFIXED = PatternType.LITERAL,
      resourceType: RT = RT.TOPIC,
      permissionType: Perm.ALLOW | Perm.DENY = Perm.ALLOW,
    ) => ({
      resourceType,
      resourceName,
      patternType,
      principal,
      host: "*",
      operation,
      permissionType,
    });
    await t.authorizer.create([
      // the default app's grants: billing produces to and analytics consumes from the unowned `orders`
      acl("User:billing", Op.WRITE, "orders"),
      acl("User:analytics", Op.READ, "orders"),
      // analytics reads one billing topic, and every topic under billing.audit.
      acl("User:analytics", Op.READ, "billing.payments"),
      acl("User:analytics", Op.DESCRIBE, "billing.audit.", PatternType.PREFIXED),
      // pay's ownership ACL (as sluice apply writes it) does not reach the nested tenant pay.eu.
      acl("User:pay", Op.ALL, "pay.", PatternType.PREFIXED),
      // careless ACLs: everyone everything on `*`, and a prefix shorter than billing.'s
      acl("User:*", Op.ALL, "*"),
      acl("User:analytics", Op.ALL, "bill", PatternType.PREFIXED),
      // an outsider granted a billing group; and a DENY still wins over a grant
      acl("User:ops", Op.READ, "billing.ops", PatternType.LITERAL, RT.GROUP),
      acl("User:billing", Op.WRITE, "orders-eu"),
      acl("User:billing", Op.WRITE, "orders-eu", PatternType.LITERAL, RT.TOPIC, Perm.DENY),
    ]);
    const who = (name: string) => ({ principal: `User:${name}`, clientHost: "127.0.0.1" });
    const can = (name: string, op: Op, topic: string, type: RT = RT.TOPIC) =>
      t.authorize(who(name), op, type, topic);

    expect(can("billing", Op.WRITE, "orders")).toBe(true);
    expect(can("billing", Op.DESCRIBE, "orders")).toBe(true); // WRITE implies DESCRIBE, as Kafka
    expect(can("billing", Op.READ, "orders")).toBe(true); // the `User:*` ACL on `*`: orders is unowned
    expect(can("analytics", Op.READ, "orders")).toBe(true);
    expect(can("analytics", Op.READ, "billing.payments")).toBe(true);
    expect(can("analytics", Op.WRITE, "billing.payments")).toBe(false);
    expect(can("analytics", Op.DESCRIBE, "billing.audit.2026")).toBe(true);
    expect(can("analytics", Op.READ, "billing.audit.2026")).toBe(false);
    expect(can("analytics", Op.READ, "billing.invoices")).toBe(false); // only `*` and `bill*` match
    expect(can("billing", Op.READ, "analytics.clicks")).toBe(false);
    expect(can("pay", Op.WRITE, "pay.orders")).toBe(true);
    expect(can("pay", Op.WRITE, "pay.eu.orders")).toBe(false);
    expect(can("payeu", Op.WRITE, "pay.orders")).toBe(false);
    expect(can("ops", Op.READ, "billing.ops", RT.GROUP)).toBe(true);
    expect(can("ops", Op.READ, "billing.other", RT.GROUP)).toBe(false);
    expect(can("ops", Op.READ, "billing.payments")).toBe(false);
    expect(can("billing", Op.WRITE, "orders-eu")).toBe(false);
    // an unowned group without ACLs: allow.everyone serves outsiders, never a tenant's principal
    expect(can("ops", Op.READ, "shared-group", RT.GROUP)).toBe(true);
    expect(can("billing", Op.READ, "shared-group", RT.GROUP)).toBe(false);
    expect(can("billing", Op.READ, "billing.g", RT.GROUP)).toBe(true);
  });
});
