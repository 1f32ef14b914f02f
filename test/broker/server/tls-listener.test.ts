import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import * as net from "node:net";
import * as os from "node:os";
import * as path from "node:path";
import { Kafka, type KafkaConfig, logLevel } from "kafkajs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Broker } from "../../../lib/broker/server/broker";
import { resolveConfig } from "../../../lib/broker/server/config";
import { tenancyHandlers } from "../../../lib/broker/server/handlers";
import { memoryLogger } from "../../../lib/broker/server/logger";
import {
  keysFromPassword,
  type ScramMechanismName,
  scramDigest,
} from "../../../lib/broker/tenancy/scram-algorithm";
import { TenancyExtension } from "../../../lib/broker/tenancy/tenancy-extension";

const fixtures = path.join(__dirname, "..", "..", "admin", "fixtures");
const certFile = path.join(fixtures, "test-server.crt");
const ca = readFileSync(certFile);

let broker: Broker;
let dataDir: string;
const portOf = (name: string): number =>
  broker.advertised().find((l) => l.name === name)?.port ?? 0;

beforeAll(async () => {
  dataDir = mkdtempSync(path.join(os.tmpdir(), "sluice-tls-"));
  const config = resolveConfig(
    {},
    {
      dataDir,
      listeners: "SSL://127.0.0.1:0,SASL_SSL://127.0.0.1:0",
      advertisedListeners: "SSL://localhost:0,SASL_SSL://localhost:0",
      groups: { initialRebalanceDelayMs: 0 },
      security: { authorizationEnabled: false },
      tls: { certFile, keyFile: path.join(fixtures, "test-server.key") },
    },
  );
  const extension = new TenancyExtension(config.security);
  broker = await Broker.start({
    config,
    logger: memoryLogger(),
    extension,
    handlers: tenancyHandlers(),
  });
  const mechanisms: ScramMechanismName[] = ["SCRAM-SHA-256", "SCRAM-SHA-512"];
  for (const mechanism of mechanisms) {
    const keys = await keysFromPassword(
      scramDigest(mechanism),
      "alice-secret",
      Buffer.from("salt"),
      4096,
    );
    await extension.tenancy.credentials.apply([{ kind: "upsert", user: "alice", mechanism, keys }]);
  }
});

afterAll(async () => {
  await broker?.stop();
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
});

async function roundTrip(config: Omit<KafkaConfig, "logLevel">, topic: string): Promise<string> {
  const kafka = new Kafka({
    ...config,
    logLevel: logLevel.NOTHING,
    retry: { retries: 1, initialRetryTime: 50 },
  });
  const producer = kafka.producer({ allowAutoTopicCreation: true });
  await producer.connect();
  await producer.send({ topic, messages: [{ key: "k", value: `hello ${topic}` }] });
  await producer.disconnect();
  const consumer = kafka.consumer({ groupId: `g-${topic}` });
  await consumer.connect();
  await consumer.subscribe({ topic, fromBeginning: true });
  const got = await new Promise<string>((resolve) => {
    void consumer.run({
      eachMessage: async ({ message }) => resolve(message.value?.toString() ?? ""),
    });
  });
  await consumer.disconnect();
  return got;
}

describe("TLS listeners", () => {
  it("kafkajs produces and consumes over SSL", async () => {
    const got = await roundTrip(
      { brokers: [`localhost:${portOf("SSL")}`], ssl: { ca: [ca] } },
      "tls-plain",
    );
    expect(got).toBe("hello tls-plain");
  });

  it("kafkajs authenticates with SCRAM-SHA-512 over SASL_SSL", async () => {
    const got = await roundTrip(
      {
        brokers: [`localhost:${portOf("SASL_SSL")}`],
        ssl: { ca: [ca] },
        sasl: { mechanism: "scram-sha-512", username: "alice", password: "alice-secret" },
      },
      "tls-scram",
    );
    expect(got).toBe("hello tls-scram");
  });

  it("kafkajs authenticates with PLAIN over SASL_SSL and a wrong password is refused", async () => {
    const brokers = [`localhost:${portOf("SASL_SSL")}`];
    const got = await roundTrip(
      {
        brokers,
        ssl: { ca: [ca] },
        sasl: { mechanism: "plain", username: "alice", password: "alice-secret" },
      },
      "tls-sasl-plain",
    );
    expect(got).toBe("hello tls-sasl-plain");
    const bad = new Kafka({
      brokers,
      ssl: { ca: [ca] },
      sasl: { mechanism: "plain", username: "alice", password: "wrong" },
      logLevel: logLevel.NOTHING,
      retry: { retries: 0 },
    }).admin();
    await expect(bad.connect()).rejects.toThrow();
  });

  it("a plaintext client on the TLS port is dropped and the broker keeps serving", async () => {
    const closed = await new Promise<boolean>((resolve) => {
      const s = net.connect(portOf("SSL"), "127.0.0.1", () => {
        // An ApiVersions request header in the clear: not a TLS ClientHello.
        s.write(Buffer.from([0, 0, 0, 10, 0, 18, 0, 0, 0, 0, 0, 1, 0, 0]));
      });
      s.on("error", () => undefined);
      s.on("close", () => resolve(true));
    });
    expect(closed).toBe(true);
    const got = await roundTrip(
      { brokers: [`localhost:${portOf("SSL")}`], ssl: { ca: [ca] } },
      "tls-after",
    );
    expect(got).toBe("hello tls-after");
  });
});
