import { writeFileSync } from "node:fs";
import * as path from "node:path";
import { describe, expect, it } from "vitest";
import { configFromArgs } from "../../../lib/broker/server/cli";
import { parseArgs } from "../../../lib/broker/server/cli-args";
import { ConfigError, parseListeners, resolveConfig } from "../../../lib/broker/server/config";
import { tempDir } from "./test-broker";

describe("flags", () => {
  it("parses every documented flag, in both --flag value and --flag=value forms", () => {
    const { flags } = parseArgs([
      "--data-dir",
      "/d",
      "--listeners=PLAINTEXT://127.0.0.1:9092",
      "--advertised-listeners",
      "PLAINTEXT://kafka.example:19092",
      "--node-id",
      "3",
      "--auto-create-topics",
      "false",
      "--num-partitions",
      "6",
      "--admin-listener",
      "0.0.0.0:9644",
      "--log-retention-ms",
      "1000",
      "--log-cleanup-policy",
      "compact",
      "--group-initial-rebalance-delay-ms",
      "0",
    ]);
    const c = resolveConfig({}, flags);
    expect(c).toMatchObject({
      dataDir: "/d",
      nodeId: 3,
      autoCreateTopics: false,
      numPartitions: 6,
      adminListener: { host: "0.0.0.0", port: 9644 },
      logDefaults: { retentionMs: 1000, cleanupPolicy: "compact" },
      groups: { initialRebalanceDelayMs: 0 },
    });
    expect(c.advertisedListeners).toEqual([
      { name: "PLAINTEXT", host: "kafka.example", port: 19092 },
    ]);
  });

  it("takes the security section as flags, over the config file's keys", () => {
    const { flags } = parseArgs([
      "--data-dir",
      "/d",
      "--listeners",
      "SASL_PLAINTEXT://0.0.0.0:9092",
      "--sasl-mechanisms",
      "SCRAM-SHA-512, PLAIN",
      "--super-users=User:admin,User:ops",
      "--authorizer",
      "true",
      "--bootstrap-users",
      "admin:SLUICE_ADMIN_PASSWORD,svc:user:SVC_PW",
    ]);
    const c = resolveConfig(
      { security: { allowEveryoneIfNoAclFound: true, superUsers: ["User:file"] } },
      flags,
    );
    expect(c.security).toEqual({
      saslMechanisms: ["SCRAM-SHA-512", "PLAIN"],
      superUsers: ["User:admin", "User:ops"],
      authorizationEnabled: true,
      allowEveryoneIfNoAclFound: true,
      bootstrapUsers: [
        { user: "admin", passwordEnv: "SLUICE_ADMIN_PASSWORD" },
        // The last colon separates the variable: user names may contain colons.
        { user: "svc:user", passwordEnv: "SVC_PW" },
      ],
    });
    expect(() => parseArgs(["--bootstrap-users", "admin"])).toThrow(/not USER:ENV_VAR/);
    expect(() =>
      resolveConfig({}, parseArgs(["--data-dir", "/d", "--sasl-mechanisms", "GSSAPI"]).flags),
    ).toThrow(/saslMechanisms/);
  });

  it("defaults: auto-create on, one partition, 100 MiB requests, advertised = listeners", () => {
    const c = resolveConfig({}, { dataDir: "/d", listeners: "PLAINTEXT://127.0.0.1:9092" });
    expect(c.autoCreateTopics).toBe(true);
    expect(c.numPartitions).toBe(1);
    expect(c.maxRequestBytes).toBe(100 * 1024 * 1024);
    expect(c.advertisedListeners).toEqual(c.listeners);
    expect(c.adminListener).toBeNull();
  });

  it.each([
    [["--bogus", "1"], /unknown flag --bogus/],
    [["--node-id", "x"], /--node-id: "x" is not an integer/],
    [["--auto-create-topics", "yes"], /not true or false/],
    [["--data-dir"], /--data-dir needs a value/],
    [["positional"], /unexpected argument/],
  ])("rejects %j with a clear message", (argv, message) => {
    expect(() => parseArgs(argv)).toThrow(message);
  });

  it("accepts the flush policies and rejects others", () => {
    const ok = resolveConfig(
      {},
      parseArgs(["--data-dir", "/d", "--log-flush-policy", "always"]).flags,
    );
    expect(ok.flushPolicy).toBe("always");
    expect(resolveConfig({}, { dataDir: "/d" }).flushPolicy).toBe("acks-all");
    expect(() =>
      resolveConfig({}, parseArgs(["--data-dir", "/d", "--log-flush-policy", "sometimes"]).flags),
    ).toThrow(/flushPolicy/);
  });

  it("requires a data directory", () => {
    expect(() => resolveConfig({}, {})).toThrow(/--data-dir is required/);
  });

  it.each([
    ["PLAINTEXT://host", /not NAME:\/\/HOST:PORT/],
    ["PLAINTEXT://h:99999", /above 65535/],
    ["PLAINTEXT://a:1,PLAINTEXT://b:2", /appears twice/],
  ])("rejects listeners %s", (value, message) => {
    expect(() => parseListeners(value, "listeners")).toThrow(message);
  });

  it("rejects listener protocols it cannot serve and advertised names without a listener", () => {
    expect(() => resolveConfig({}, { dataDir: "/d", listeners: "KERBEROS://h:1" })).toThrow(
      /KERBEROS is not supported/,
    );
    expect(() => resolveConfig({}, { dataDir: "/d", listeners: "SSL://h:1" })).toThrow(
      /need tls\.certFile/,
    );
    expect(() =>
      resolveConfig(
        {},
        { dataDir: "/d", listeners: "PLAINTEXT://h:1", advertisedListeners: "X://h:1" },
      ),
    ).toThrow(/X has no matching listener/);
  });

  it("parses bracketed IPv6 hosts", () => {
    expect(parseListeners("PLAINTEXT://[::1]:9092", "l")).toEqual([
      { name: "PLAINTEXT", host: "::1", port: 9092 },
    ]);
  });
});

describe("config file", () => {
  function file(content: unknown): string {
    const p = path.join(tempDir(), "broker.json");
    writeFileSync(p, typeof content === "string" ? content : JSON.stringify(content));
    return p;
  }

  it("is read, and flags override it", async () => {
    const p = file({ dataDir: "/from-file", numPartitions: 4, log: { segmentBytes: 1048576 } });
    const { config } = await configFromArgs(["--config", p, "--num-partitions", "8"]);
    expect(config?.dataDir).toBe("/from-file");
    expect(config?.numPartitions).toBe(8);
    expect(config?.logDefaults.segmentBytes).toBe(1048576);
  });

  it("rejects unknown keys, naming them", async () => {
    const p = file({ dataDir: "/d", numPartition: 4 });
    await expect(configFromArgs(["--config", p])).rejects.toThrow(/numPartition/);
    const q = file({ dataDir: "/d", log: { retentionHours: 1 } });
    await expect(configFromArgs(["--config", q])).rejects.toThrow(/retentionHours/);
  });

  it("rejects values of the wrong type and invalid JSON", async () => {
    await expect(configFromArgs(["--config", file({ nodeId: "1" })])).rejects.toThrow(/nodeId/);
    await expect(configFromArgs(["--config", file("{ not json")])).rejects.toThrow(
      /not valid JSON/,
    );
    await expect(configFromArgs(["--config", "/nonexistent/x.json"])).rejects.toBeInstanceOf(
      ConfigError,
    );
  });

  it("prints usage for --help", async () => {
    const r = await configFromArgs(["--help"]);
    expect(r.config).toBeNull();
    expect(r.text).toContain("--advertised-listeners");
  });
});
