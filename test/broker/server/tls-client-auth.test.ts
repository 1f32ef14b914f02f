import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { Kafka, logLevel } from "kafkajs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Broker } from "../../../lib/broker/server/broker";
import { resolveConfig } from "../../../lib/broker/server/config";
import { tenancyHandlers } from "../../../lib/broker/server/handlers";
import { memoryLogger } from "../../../lib/broker/server/logger";
import { TenancyExtension } from "../../../lib/broker/tenancy/tenancy-extension";

const fixtures = path.join(__dirname, "..", "..", "admin", "fixtures");
const serverCa = readFileSync(path.join(fixtures, "test-server.crt"));
const clientCertFile = path.join(__dirname, "fixtures", "test-client.crt");

let broker: Broker;
let dir: string;
let clientCert: Buffer;
let clientKey: Buffer;
let port = 0;

beforeAll(async () => {
  dir = mkdtempSync(path.join(os.tmpdir(), "sluice-mtls-"));
  // A committed, test-only self-signed client certificate, trusted by the broker as its own CA
  // (committed rather than generated so `npm test` needs nothing beyond Node and npm).
  clientCert = readFileSync(clientCertFile);
  clientKey = readFileSync(path.join(__dirname, "fixtures", "test-client.key"));
  const config = resolveConfig(
    {},
    {
      dataDir: path.join(dir, "data"),
      listeners: "SSL://127.0.0.1:0",
      advertisedListeners: "SSL://localhost:0",
      security: { authorizationEnabled: true, superUsers: ["User:CN=client,OU=Test,O=Sluice"] },
      tls: {
        certFile: path.join(fixtures, "test-server.crt"),
        keyFile: path.join(fixtures, "test-server.key"),
        caFile: clientCertFile,
        clientAuth: "required",
      },
    },
  );
  broker = await Broker.start({
    config,
    logger: memoryLogger(),
    extension: new TenancyExtension(config.security),
    handlers: tenancyHandlers(),
  });
  port = broker.advertised()[0]?.port ?? 0;
});

afterAll(async () => {
  await broker?.stop();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe("SSL listener with required client auth", () => {
  it("names the client by its certificate's full DN (a super user here) and lets it produce", async () => {
    const kafka = new Kafka({
      brokers: [`localhost:${port}`],
      ssl: { ca: [serverCa], cert: clientCert, key: clientKey },
      logLevel: logLevel.NOTHING,
      retry: { retries: 1, initialRetryTime: 50 },
    });
    const admin = kafka.admin();
    await admin.connect();
    await admin.createTopics({ topics: [{ topic: "mtls", numPartitions: 1 }] });
    expect(await admin.listTopics()).toContain("mtls");
    await admin.disconnect();
  });

  it("refuses a client without a certificate", async () => {
    const admin = new Kafka({
      brokers: [`localhost:${port}`],
      ssl: { ca: [serverCa] },
      logLevel: logLevel.NOTHING,
      retry: { retries: 0 },
    }).admin();
    await expect(admin.connect()).rejects.toThrow();
  });
});
