import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { CredentialStore } from "../../../lib/broker/tenancy/credential-store";
import { keysFromPassword } from "../../../lib/broker/tenancy/scram-algorithm";

describe("CredentialStore", () => {
  let dir = "";
  beforeEach(async () => {
    dir = await mkdtemp(path.join(tmpdir(), "sluice-cred-"));
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it("persists credentials across reopen without writing the password", async () => {
    const store = await CredentialStore.open(dir);
    const keys = await keysFromPassword("sha512", "hunter2-secret", Buffer.from("salty"), 4096);
    await store.apply([{ kind: "upsert", user: "alice", mechanism: "SCRAM-SHA-512", keys }]);
    const reopened = await CredentialStore.open(dir);
    expect(reopened.get("alice", "SCRAM-SHA-512")?.storedKey.equals(keys.storedKey)).toBe(true);
    expect(reopened.describe("alice")).toEqual([{ mechanism: "SCRAM-SHA-512", iterations: 4096 }]);
    const text = await readFile(path.join(dir, "tenancy", "scram-credentials.json"), "utf8");
    expect(text).not.toContain("hunter2");
    expect(text).not.toContain(Buffer.from("hunter2-secret").toString("base64"));
  });

  it("verifies PLAIN passwords against the stored SCRAM keys", async () => {
    const store = await CredentialStore.open(dir);
    const keys = await keysFromPassword("sha256", "pw", Buffer.from("s"), 4096);
    await store.apply([{ kind: "upsert", user: "bob", mechanism: "SCRAM-SHA-256", keys }]);
    expect(await store.verifyPassword("bob", "pw")).toBe(true);
    expect(await store.verifyPassword("bob", "PW")).toBe(false);
    expect(await store.verifyPassword("carol", "pw")).toBe(false);
  });

  it("deletes one mechanism and forgets users without any", async () => {
    const store = await CredentialStore.open(dir);
    const k = await keysFromPassword("sha256", "pw", Buffer.from("s"), 4096);
    await store.apply([
      { kind: "upsert", user: "u", mechanism: "SCRAM-SHA-256", keys: k },
      { kind: "upsert", user: "u", mechanism: "SCRAM-SHA-512", keys: k },
      { kind: "delete", user: "u", mechanism: "SCRAM-SHA-256" },
    ]);
    expect(store.describe("u").map((c) => c.mechanism)).toEqual(["SCRAM-SHA-512"]);
    await store.apply([{ kind: "delete", user: "u", mechanism: "SCRAM-SHA-512" }]);
    expect((await CredentialStore.open(dir)).userNames()).toEqual([]);
  });
});
