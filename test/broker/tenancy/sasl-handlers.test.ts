import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { ScramClient, scramSaltedPassword } from "../../../lib/admin/scram";
import { ErrorCode } from "../../../lib/broker/protocol";
import { saslHandshakeHandler } from "../../../lib/broker/server/handlers/17-sasl-handshake";
import { saslAuthenticateHandler } from "../../../lib/broker/server/handlers/36-sasl-authenticate";
import { describeUserScramCredentialsHandler } from "../../../lib/broker/server/handlers/50-describe-user-scram-credentials";
import { alterUserScramCredentialsHandler } from "../../../lib/broker/server/handlers/51-alter-user-scram-credentials";
import { attachTenancy, Tenancy } from "../../../lib/broker/tenancy/tenancy";
import { call, context } from "./wire";

describe("SASL and SCRAM credential handlers", () => {
  let dir = "";
  let broker: object;
  let tenancy: Tenancy;
  const admin = context({ principal: "User:admin", connectionId: 99 });

  beforeEach(async () => {
    dir = await mkdtemp(path.join(tmpdir(), "sluice-sasl-"));
    tenancy = await Tenancy.open({
      dataDir: dir,
      clock: { now: () => Date.now() },
      superUsers: ["User:admin"],
      authorizationEnabled: true,
    });
    await tenancy.tenants.replace([
      {
        name: "pay",
        topicPrefix: "pay.",
        groupPrefix: "pay-",
        principals: ["alice"],
        limits: { maxConnections: 1 },
      },
    ]);
    broker = {};
    attachTenancy(broker, tenancy);
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  async function setPassword(
    user: string,
    mechanism: "SCRAM-SHA-256" | "SCRAM-SHA-512",
    password: string,
  ) {
    const salt = Buffer.from(`salt-${user}`);
    return call(
      alterUserScramCredentialsHandler,
      0,
      {
        deletions: [],
        upsertions: [
          {
            name: user,
            mechanism: mechanism === "SCRAM-SHA-256" ? 1 : 2,
            iterations: 4096,
            salt,
            saltedPassword: scramSaltedPassword(mechanism, password, salt, 4096),
          },
        ],
      },
      admin,
      broker,
    );
  }

  async function scramLogin(connectionId: number, version: number, user: string, password: string) {
    const ctx = context({ connectionId });
    const hs = await call(saslHandshakeHandler, 1, { mechanism: "SCRAM-SHA-512" }, ctx, broker);
    expect(hs).toEqual({ errorCode: 0, mechanisms: ["SCRAM-SHA-512", "SCRAM-SHA-256", "PLAIN"] });
    const client = new ScramClient("SCRAM-SHA-512", user, password);
    const r1 = await call(
      saslAuthenticateHandler,
      version,
      { authBytes: client.first() },
      ctx,
      broker,
    );
    expect(r1.errorCode).toBe(0);
    const r2 = await call(
      saslAuthenticateHandler,
      version,
      { authBytes: client.final(r1.authBytes) },
      ctx,
      broker,
    );
    if (r2.errorCode === 0) client.verify(r2.authBytes);
    return r2;
  }

  it("authenticates SCRAM-SHA-512 over SaslAuthenticate v0, v1 and v2 with session lifetime 0", async () => {
    expect((await setPassword("bob", "SCRAM-SHA-512", "pw")).results).toEqual([
      { user: "bob", errorCode: 0, errorMessage: null },
    ]);
    for (const v of [0, 1, 2]) {
      const r = await scramLogin(10 + v, v, "bob", "pw");
      expect(r).toMatchObject({ errorCode: 0, errorMessage: null, sessionLifetimeMs: 0n });
      expect(tenancy.principalOf(10 + v)).toBe("User:bob");
    }
  });

  it("answers a wrong password with SASL_AUTHENTICATION_FAILED and marks the session failed", async () => {
    await setPassword("bob", "SCRAM-SHA-512", "pw");
    const r = await scramLogin(20, 2, "bob", "nope");
    expect(r.errorCode).toBe(ErrorCode.SASL_AUTHENTICATION_FAILED);
    expect(r.errorMessage).toContain("invalid credentials");
    expect(tenancy.principalOf(20)).toBeNull();
    expect(tenancy.session(20).hasFailed).toBe(true);
  });

  it("authenticates PLAIN against the SCRAM credential and refuses impersonation", async () => {
    await setPassword("bob", "SCRAM-SHA-256", "pw");
    const ctx = context({ connectionId: 30 });
    expect(
      (await call(saslHandshakeHandler, 1, { mechanism: "PLAIN" }, ctx, broker)).errorCode,
    ).toBe(0);
    const ok = await call(
      saslAuthenticateHandler,
      2,
      { authBytes: Buffer.from("\u0000bob\u0000pw") },
      ctx,
      broker,
    );
    expect(ok.errorCode).toBe(0);
    expect(tenancy.principalOf(30)).toBe("User:bob");
    const ctx2 = context({ connectionId: 31 });
    await call(saslHandshakeHandler, 1, { mechanism: "PLAIN" }, ctx2, broker);
    const bad = await call(
      saslAuthenticateHandler,
      2,
      { authBytes: Buffer.from("admin\u0000bob\u0000pw") },
      ctx2,
      broker,
    );
    expect(bad.errorCode).toBe(ErrorCode.SASL_AUTHENTICATION_FAILED);
  });

  it("rejects unknown mechanisms, authenticate before handshake, and a second handshake", async () => {
    const ctx = context({ connectionId: 40 });
    expect(
      (await call(saslHandshakeHandler, 1, { mechanism: "GSSAPI" }, ctx, broker)).errorCode,
    ).toBe(ErrorCode.UNSUPPORTED_SASL_MECHANISM);
    const early = await call(
      saslAuthenticateHandler,
      1,
      { authBytes: Buffer.from("x") },
      context({ connectionId: 41 }),
      broker,
    );
    expect(early.errorCode).toBe(ErrorCode.ILLEGAL_SASL_STATE);
    const c = context({ connectionId: 42 });
    await call(saslHandshakeHandler, 1, { mechanism: "PLAIN" }, c, broker);
    expect((await call(saslHandshakeHandler, 1, { mechanism: "PLAIN" }, c, broker)).errorCode).toBe(
      ErrorCode.ILLEGAL_SASL_STATE,
    );
  });

  it("enforces the tenant's connection limit at authentication", async () => {
    await setPassword("alice", "SCRAM-SHA-512", "pw");
    expect((await scramLogin(50, 2, "alice", "pw")).errorCode).toBe(0);
    const second = await scramLogin(51, 2, "alice", "pw");
    expect(second.errorCode).toBe(ErrorCode.SASL_AUTHENTICATION_FAILED);
    expect(second.errorMessage).toContain("tenant pay has reached its limit of 1 connections");
    tenancy.connectionClosed(50);
    expect((await scramLogin(52, 2, "alice", "pw")).errorCode).toBe(0);
  });

  it("describes and alters SCRAM credentials with Kafka's per-user errors", async () => {
    await setPassword("bob", "SCRAM-SHA-512", "pw");
    await setPassword("bob", "SCRAM-SHA-256", "pw");
    const all = await call(describeUserScramCredentialsHandler, 0, { users: null }, admin, broker);
    expect(all.results).toEqual([
      {
        user: "bob",
        errorCode: 0,
        errorMessage: null,
        credentialInfos: [
          { mechanism: 2, iterations: 4096 },
          { mechanism: 1, iterations: 4096 },
        ],
      },
    ]);
    const some = await call(
      describeUserScramCredentialsHandler,
      0,
      { users: [{ name: "nobody" }, { name: "bob" }, { name: "bob" }] },
      admin,
      broker,
    );
    expect(some.results.map((r) => [r.user, r.errorCode])).toEqual([
      ["nobody", ErrorCode.RESOURCE_NOT_FOUND],
      ["bob", ErrorCode.DUPLICATE_RESOURCE],
    ]);
    const altered = await call(
      alterUserScramCredentialsHandler,
      0,
      {
        deletions: [
          { name: "bob", mechanism: 1 },
          { name: "ghost", mechanism: 2 },
        ],
        upsertions: [
          {
            name: "carol",
            mechanism: 2,
            iterations: 100,
            salt: Buffer.from("s"),
            saltedPassword: Buffer.alloc(64, 1),
          },
          {
            name: "dave",
            mechanism: 0,
            iterations: 4096,
            salt: Buffer.from("s"),
            saltedPassword: Buffer.alloc(64, 1),
          },
          {
            name: "bob",
            mechanism: 1,
            iterations: 4096,
            salt: Buffer.from("s"),
            saltedPassword: Buffer.alloc(32, 1),
          },
        ],
      },
      admin,
      broker,
    );
    expect(altered.results.map((r) => [r.user, r.errorCode])).toEqual([
      ["bob", ErrorCode.DUPLICATE_RESOURCE],
      ["ghost", ErrorCode.RESOURCE_NOT_FOUND],
      ["carol", ErrorCode.UNACCEPTABLE_CREDENTIAL],
      ["dave", ErrorCode.UNSUPPORTED_SASL_MECHANISM],
    ]);
    // bob's failed request changed nothing
    expect(tenancy.credentials.describe("bob")).toHaveLength(2);
  });

  it("requires cluster DESCRIBE / ALTER for credential APIs", async () => {
    const user = context({ principal: "User:mallory" });
    expect(
      (await call(describeUserScramCredentialsHandler, 0, { users: null }, user, broker)).errorCode,
    ).toBe(ErrorCode.CLUSTER_AUTHORIZATION_FAILED);
    const r = await call(
      alterUserScramCredentialsHandler,
      0,
      { deletions: [{ name: "x", mechanism: 1 }], upsertions: [] },
      user,
      broker,
    );
    expect(r.results).toEqual([
      { user: "x", errorCode: ErrorCode.CLUSTER_AUTHORIZATION_FAILED, errorMessage: null },
    ]);
  });
});
