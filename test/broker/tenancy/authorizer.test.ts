import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import {
  type AclBinding,
  type AclBindingFilter,
  InvalidAclError,
  AclOperation as Op,
  PatternType,
  AclPermissionType as Perm,
  ResourceType as RT,
  validateAclBinding,
} from "../../../lib/broker/tenancy/acl-binding";
import { Authorizer } from "../../../lib/broker/tenancy/authorizer";

function acl(p: Partial<AclBinding> & Pick<AclBinding, "resourceName" | "operation">): AclBinding {
  return {
    resourceType: RT.TOPIC,
    patternType: PatternType.LITERAL,
    principal: "User:alice",
    host: "*",
    permissionType: Perm.ALLOW,
    ...p,
  };
}

const ANY_FILTER: AclBindingFilter = {
  resourceType: RT.ANY,
  resourceName: null,
  patternType: PatternType.ANY,
  principal: null,
  host: null,
  operation: Op.ANY,
  permissionType: Perm.ANY,
};

const alice = { principal: "User:alice", host: "10.0.0.1" };
const bob = { principal: "User:bob", host: "10.0.0.2" };

describe("Authorizer", () => {
  let dir = "";
  beforeEach(async () => {
    dir = await mkdtemp(path.join(tmpdir(), "sluice-acl-"));
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });
  const open = (superUsers: string[] = [], allowEveryoneIfNoAclFound = false) =>
    Authorizer.open(dir, { superUsers, allowEveryoneIfNoAclFound });

  it("follows Kafka's implied-operation truth table for ALLOW", async () => {
    // rows: granted operation; columns: requested operation → expected decision
    const requested = [
      Op.READ,
      Op.WRITE,
      Op.CREATE,
      Op.DELETE,
      Op.ALTER,
      Op.DESCRIBE,
      Op.DESCRIBE_CONFIGS,
      Op.ALTER_CONFIGS,
    ];
    const table: Array<[Op, Op[]]> = [
      [Op.READ, [Op.READ, Op.DESCRIBE]],
      [Op.WRITE, [Op.WRITE, Op.DESCRIBE]],
      [Op.CREATE, [Op.CREATE]],
      [Op.DELETE, [Op.DELETE, Op.DESCRIBE]],
      [Op.ALTER, [Op.ALTER, Op.DESCRIBE]],
      [Op.DESCRIBE, [Op.DESCRIBE]],
      [Op.ALTER_CONFIGS, [Op.ALTER_CONFIGS, Op.DESCRIBE_CONFIGS]],
      [Op.DESCRIBE_CONFIGS, [Op.DESCRIBE_CONFIGS]],
      [Op.ALL, requested],
    ];
    let cases = 0;
    for (const [granted, allowedOps] of table) {
      await rm(path.join(dir, "tenancy"), { recursive: true, force: true });
      const a = await open();
      await a.create([acl({ resourceName: "t", operation: granted })]);
      for (const op of requested) {
        expect([granted, op, a.authorize(alice, op, RT.TOPIC, "t")]).toEqual([
          granted,
          op,
          allowedOps.includes(op),
        ]);
        cases++;
      }
    }
    expect(cases).toBe(72);
  });

  it("lets DENY win over ALLOW, but does not widen DENY by implication", async () => {
    const a = await open();
    await a.create([
      acl({ resourceName: "t", operation: Op.ALL }),
      acl({ resourceName: "t", operation: Op.READ, permissionType: Perm.DENY }),
    ]);
    expect(a.authorize(alice, Op.READ, RT.TOPIC, "t")).toBe(false);
    expect(a.authorize(alice, Op.DESCRIBE, RT.TOPIC, "t")).toBe(true);
    expect(a.authorize(alice, Op.WRITE, RT.TOPIC, "t")).toBe(true);
    await a.create([
      acl({ resourceName: "t", operation: Op.ALL, permissionType: Perm.DENY, principal: "User:*" }),
    ]);
    expect(a.authorize(alice, Op.DESCRIBE, RT.TOPIC, "t")).toBe(false);
  });

  it("matches literal, wildcard and prefixed patterns, principals and hosts", async () => {
    const a = await open();
    await a.create([
      acl({ resourceName: "pay.", patternType: PatternType.PREFIXED, operation: Op.WRITE }),
      acl({ resourceName: "*", operation: Op.READ, principal: "User:bob", host: "10.0.0.2" }),
      acl({
        resourceName: "g-",
        resourceType: RT.GROUP,
        patternType: PatternType.PREFIXED,
        operation: Op.READ,
        principal: "User:*",
      }),
    ]);
    expect(a.authorize(alice, Op.WRITE, RT.TOPIC, "pay.orders")).toBe(true);
    expect(a.authorize(alice, Op.WRITE, RT.TOPIC, "pay")).toBe(false);
    expect(a.authorize(alice, Op.WRITE, RT.TOPIC, "other")).toBe(false);
    expect(a.authorize(bob, Op.READ, RT.TOPIC, "anything")).toBe(true);
    expect(
      a.authorize({ principal: "User:bob", host: "/10.0.0.9" }, Op.READ, RT.TOPIC, "anything"),
    ).toBe(false);
    expect(a.authorize(bob, Op.READ, RT.GROUP, "g-1")).toBe(true);
    expect(a.authorize(bob, Op.READ, RT.GROUP, "h-1")).toBe(false);
    // same name, other resource type: no ACL applies to it
    expect(a.authorize(alice, Op.WRITE, RT.GROUP, "pay.orders")).toBe(false);
  });

  it("lets super users do anything and applies allow.everyone.if.no.acl.found only to ACL-free resources", async () => {
    const strict = await open(["User:admin"]);
    expect(
      strict.authorize(
        { principal: "User:admin", host: "h" },
        Op.ALTER,
        RT.CLUSTER,
        "kafka-cluster",
      ),
    ).toBe(true);
    expect(strict.authorize(alice, Op.READ, RT.TOPIC, "free")).toBe(false);
    const open2 = await Authorizer.open(path.join(dir, "x"), {
      superUsers: [],
      allowEveryoneIfNoAclFound: true,
    });
    expect(open2.authorize(alice, Op.READ, RT.TOPIC, "free")).toBe(true);
    await open2.create([acl({ resourceName: "free", operation: Op.READ, principal: "User:bob" })]);
    expect(open2.authorize(alice, Op.READ, RT.TOPIC, "free")).toBe(false);
  });

  it("derives IDEMPOTENT_WRITE-style decisions by resource type (KIP-679)", async () => {
    const a = await open();
    await a.create([
      acl({ resourceName: "a.", patternType: PatternType.PREFIXED, operation: Op.WRITE }),
    ]);
    expect(a.authorizeAny(alice, Op.WRITE, RT.TOPIC)).toBe(true);
    expect(a.authorizeAny(bob, Op.WRITE, RT.TOPIC)).toBe(false);
    await a.create([
      acl({
        resourceName: "a",
        patternType: PatternType.PREFIXED,
        operation: Op.WRITE,
        permissionType: Perm.DENY,
      }),
    ]);
    expect(a.authorizeAny(alice, Op.WRITE, RT.TOPIC)).toBe(false);
  });

  it("describes with ANY/MATCH filters, deletes, and persists", async () => {
    const a = await open();
    const lit = acl({ resourceName: "pay.orders", operation: Op.READ });
    const pre = acl({
      resourceName: "pay.",
      patternType: PatternType.PREFIXED,
      operation: Op.WRITE,
    });
    const star = acl({ resourceName: "*", operation: Op.DESCRIBE, principal: "User:bob" });
    await a.create([lit, pre, star, lit]);
    expect(a.describe(ANY_FILTER)).toHaveLength(3);
    const match = {
      ...ANY_FILTER,
      resourceType: RT.TOPIC,
      resourceName: "pay.orders",
      patternType: PatternType.MATCH,
    };
    expect(a.describe(match)).toHaveLength(3);
    const anyPattern = { ...ANY_FILTER, resourceName: "pay.", patternType: PatternType.ANY };
    expect(a.describe(anyPattern)).toEqual([pre]);
    expect(a.describe({ ...ANY_FILTER, patternType: PatternType.LITERAL })).toEqual([lit, star]);
    expect(a.describe({ ...ANY_FILTER, principal: "User:bob" })).toEqual([star]);
    const deleted = await a.delete([{ ...ANY_FILTER, operation: Op.WRITE }]);
    expect(deleted).toEqual([[pre]]);
    const reopened = await open();
    expect(reopened.all()).toEqual([lit, star]);
  });

  it("validates bindings as Kafka does", () => {
    const ok = {
      resourceType: RT.TOPIC,
      resourceName: "t",
      patternType: PatternType.LITERAL,
      principal: "User:a",
      host: "*",
      operation: Op.READ,
      permissionType: Perm.ALLOW,
    };
    expect(validateAclBinding(ok)).toEqual(ok);
    for (const bad of [
      { ...ok, resourceType: RT.ANY },
      { ...ok, patternType: PatternType.MATCH },
      { ...ok, principal: "alice" },
      { ...ok, operation: Op.ANY },
      { ...ok, permissionType: Perm.ANY },
      { ...ok, resourceType: RT.CLUSTER, resourceName: "c" },
      { ...ok, patternType: PatternType.PREFIXED, resourceName: "*" },
    ]) {
      expect(() => validateAclBinding(bad)).toThrow(InvalidAclError);
    }
  });
});
