import { afterEach, describe, expect, it } from "vitest";
import {
  KafkaAdminClient,
  KafkaConnectionError,
  KafkaResponseError,
  KafkaTimeoutError,
  negotiateVersions,
  newScramSalt,
  SaslAuthenticationError,
  SCRAM_MECHANISM,
  scramSaltedPassword,
  UnsupportedApiError,
} from "../../lib/admin";
import { ApiKey, SUPPORTED_APIS } from "../../lib/broker/protocol";
import { FakeKafkaServer } from "./fake-kafka-server";

let server: FakeKafkaServer;
let clients: KafkaAdminClient[] = [];

async function start(configure: (s: FakeKafkaServer) => void = () => {}): Promise<number> {
  server = new FakeKafkaServer();
  configure(server);
  return server.listen();
}

async function connect(
  port: number,
  extra: Partial<Parameters<typeof KafkaAdminClient.connect>[0]> = {},
) {
  const c = await KafkaAdminClient.connect({ host: "127.0.0.1", port, timeoutMs: 5000, ...extra });
  clients.push(c);
  return c;
}

afterEach(async () => {
  for (const c of clients) c.close();
  clients = [];
  await server?.close();
});

describe("negotiateVersions", () => {
  it("picks the highest version both sides support and drops APIs without overlap", () => {
    const v = negotiateVersions([
      { apiKey: ApiKey.Metadata, minVersion: 0, maxVersion: 99 },
      { apiKey: ApiKey.CreateTopics, minVersion: 0, maxVersion: 3 },
      { apiKey: ApiKey.DescribeAcls, minVersion: 50, maxVersion: 60 },
      { apiKey: 999, minVersion: 0, maxVersion: 1 },
    ]);
    expect(v.get(ApiKey.Metadata)).toBe(SUPPORTED_APIS[ApiKey.Metadata].max);
    expect(v.get(ApiKey.CreateTopics)).toBe(3);
    expect(v.has(ApiKey.DescribeAcls)).toBe(false);
    expect(v.size).toBe(2);
  });
});

describe("KafkaAdminClient", () => {
  it("uses the negotiated version of each API", async () => {
    const port = await start((s) => s.maxVersions.set(ApiKey.Metadata, 4));
    const c = await connect(port);
    await c.metadata();
    expect(c.version(ApiKey.Metadata)).toBe(4);
    expect(server.requests.filter((r) => r.apiKey === ApiKey.Metadata)).toEqual([
      { apiKey: 3, version: 4 },
    ]);
  });

  it("falls back when the broker answers ApiVersions with UNSUPPORTED_VERSION (KIP-511)", async () => {
    const port = await start((s) => s.maxVersions.set(ApiKey.ApiVersions, 2));
    const c = await connect(port);
    expect(c.version(ApiKey.ApiVersions)).toBe(2);
    expect(
      server.requests.filter((r) => r.apiKey === ApiKey.ApiVersions).map((r) => r.version),
    ).toEqual([SUPPORTED_APIS[ApiKey.ApiVersions].max, 2]);
  });

  it("creates, grows, describes, alters and deletes topics", async () => {
    const port = await start();
    const c = await connect(port);
    await c.createTopics([{ name: "t", partitions: 2, configs: { "retention.ms": "1000" } }]);
    await c.createPartitions("t", 5);
    expect(await c.metadata()).toEqual([
      { name: "t", errorCode: 0, internal: false, partitions: 5, replicationFactor: 1 },
    ]);
    await c.incrementalAlterConfigs(2, "t", [
      { name: "retention.ms", value: null },
      { name: "cleanup.policy", value: "compact" },
    ]);
    const configs = (await c.describeConfigs([{ type: 2, name: "t" }])).get("2:t") ?? [];
    expect(configs.find((e) => e.name === "cleanup.policy")).toMatchObject({
      value: "compact",
      source: 1,
    });
    expect(configs.find((e) => e.name === "retention.ms")).toMatchObject({
      value: "604800000",
      source: 5,
    });
    await c.deleteTopics(["t"]);
    expect(await c.metadata()).toEqual([]);
  });

  it("turns Kafka error codes into typed errors", async () => {
    const port = await start();
    const c = await connect(port);
    await c.createTopics([{ name: "t", partitions: 1, configs: {} }]);
    const err = await c
      .createTopics([{ name: "t", partitions: 1, configs: {} }])
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(KafkaResponseError);
    expect(err).toMatchObject({ errorCode: 36, errorName: "TOPIC_ALREADY_EXISTS" });
    expect((err as Error).message).toBe(
      "CreateTopics t: TOPIC_ALREADY_EXISTS (36): Topic 't' already exists.",
    );
  });

  it("pipelines requests on one connection", async () => {
    const port = await start();
    const c = await connect(port);
    await Promise.all(
      ["a", "b", "c", "d", "e"].map((name) =>
        c.createTopics([{ name, partitions: 1, configs: {} }]),
      ),
    );
    const names = (await c.metadata()).map((t) => t.name).sort();
    expect(names).toEqual(["a", "b", "c", "d", "e"]);
  });

  it("reads ACLs, or undefined without an authorizer", async () => {
    const port = await start();
    const c = await connect(port);
    const acl = {
      resourceType: 2,
      resourceName: "t",
      patternType: 3,
      principal: "User:a",
      host: "*",
      operation: 3,
      permissionType: 3,
    };
    await c.createAcls([acl]);
    expect(await c.describeAcls()).toEqual([acl]);
    await c.deleteAcls([acl]);
    expect(await c.describeAcls()).toEqual([]);
    server.authorizer = false;
    expect(await c.describeAcls()).toBeUndefined();
  });

  it("sets, reads and removes client quotas, including default entities", async () => {
    const port = await start();
    const c = await connect(port);
    await c.alterClientQuotas(
      [{ entityType: "user", entityName: null }],
      { producer_byte_rate: 1024 },
      [],
    );
    expect(await c.describeClientQuotas()).toEqual([
      { entity: [{ entityType: "user", entityName: null }], values: { producer_byte_rate: 1024 } },
    ]);
    await c.alterClientQuotas([{ entityType: "user", entityName: null }], {}, [
      "producer_byte_rate",
    ]);
    expect(await c.describeClientQuotas()).toEqual([]);
  });

  it("reports an API the broker lacks", async () => {
    const port = await start((s) => s.disabled.add(ApiKey.DescribeClientQuotas));
    const c = await connect(port);
    expect(c.supports(ApiKey.DescribeClientQuotas)).toBe(false);
    await expect(c.describeClientQuotas()).rejects.toBeInstanceOf(UnsupportedApiError);
  });

  it("times out a request that gets no answer and fails the connection", async () => {
    const port = await start((s) => s.silent.add(ApiKey.Metadata));
    const c = await connect(port, { timeoutMs: 300 });
    await expect(c.metadata()).rejects.toBeInstanceOf(KafkaTimeoutError);
    await expect(
      c.createTopics([{ name: "x", partitions: 1, configs: {} }]),
    ).rejects.toBeInstanceOf(KafkaConnectionError);
  });

  it("fails on a response with the wrong correlation id", async () => {
    const port = await start();
    const c = await connect(port);
    server.corruptCorrelation = true;
    await expect(c.metadata()).rejects.toThrow(/unexpected response with correlation id/);
  });

  it("reports a refused connection", async () => {
    const port = await start();
    await server.close();
    await expect(
      KafkaAdminClient.connect({ host: "127.0.0.1", port, timeoutMs: 2000 }),
    ).rejects.toThrow(/cannot connect to 127\.0\.0\.1:\d+: connect ECONNREFUSED/);
    server = new FakeKafkaServer();
    await server.listen();
  });
});

describe("SASL", () => {
  it("authenticates with PLAIN", async () => {
    const port = await start((s) => {
      s.saslMechanisms = ["PLAIN"];
      s.plainUsers.set("admin", "pw");
    });
    const c = await connect(port, {
      sasl: { mechanism: "PLAIN", username: "admin", password: "pw" },
    });
    expect(await c.metadata()).toEqual([]);
    await expect(
      connect(port, { sasl: { mechanism: "PLAIN", username: "admin", password: "nope" } }),
    ).rejects.toThrow("SASL authentication failed: Invalid username or password");
  });

  it.each(["SCRAM-SHA-256", "SCRAM-SHA-512"] as const)(
    "authenticates with %s after an upsert",
    async (mechanism) => {
      const port = await start((s) => {
        s.saslMechanisms = ["PLAIN", mechanism];
        s.plainUsers.set("admin", "pw");
      });
      const admin = await connect(port, {
        sasl: { mechanism: "PLAIN", username: "admin", password: "pw" },
      });
      const salt = newScramSalt();
      await admin.alterUserScramCredentials([
        {
          name: "alice",
          mechanism: SCRAM_MECHANISM[mechanism],
          iterations: 4096,
          salt,
          saltedPassword: scramSaltedPassword(mechanism, "secret", salt, 4096),
        },
      ]);
      expect(await admin.describeUserScramCredentials()).toEqual(
        new Map([["alice", [{ mechanism: SCRAM_MECHANISM[mechanism], iterations: 4096 }]]]),
      );
      const alice = await connect(port, {
        sasl: { mechanism, username: "alice", password: "secret" },
      });
      expect(await alice.metadata()).toEqual([]);
      const wrong = await connect(port, {
        sasl: { mechanism, username: "alice", password: "wrong" },
      }).catch((e: unknown) => e);
      expect(wrong).toBeInstanceOf(SaslAuthenticationError);
      expect(wrong).toMatchObject({ errorCode: 58 });
    },
  );

  it("names the mechanisms a broker offers when ours is not enabled", async () => {
    const port = await start((s) => {
      s.saslMechanisms = ["SCRAM-SHA-512"];
    });
    await expect(
      connect(port, { sasl: { mechanism: "PLAIN", username: "a", password: "b" } }),
    ).rejects.toThrow("the broker does not enable SASL PLAIN; it offers: SCRAM-SHA-512");
  });
});
