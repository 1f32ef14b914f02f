import { readFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { KafkaAdminClient, KafkaConnectionError } from "../../lib/admin";
import { FakeKafkaServer } from "./fake-kafka-server";

const fixture = (name: string) => readFileSync(join(__dirname, "fixtures", name));

describe("KafkaAdminClient over TLS", () => {
  let server: FakeKafkaServer;
  let port: number;

  beforeAll(async () => {
    server = new FakeKafkaServer({
      key: fixture("test-server.key"),
      cert: fixture("test-server.crt"),
    });
    port = await server.listen();
  });

  afterAll(async () => {
    await server.close();
  });

  it("connects when the server certificate chains to the given CA", async () => {
    const c = await KafkaAdminClient.connect({
      host: "127.0.0.1",
      port,
      timeoutMs: 5000,
      tls: { ca: fixture("test-server.crt") },
    });
    await c.createTopics([{ name: "secure", partitions: 1, configs: {} }]);
    expect((await c.metadata()).map((t) => t.name)).toEqual(["secure"]);
    c.close();
  });

  it("refuses an untrusted certificate", async () => {
    const err = await KafkaAdminClient.connect({
      host: "127.0.0.1",
      port,
      timeoutMs: 5000,
      tls: {},
    }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(KafkaConnectionError);
    expect((err as Error).message).toMatch(/self[- ]signed certificate/);
  });

  it("connects without verification only when told to", async () => {
    const c = await KafkaAdminClient.connect({
      host: "127.0.0.1",
      port,
      timeoutMs: 5000,
      tls: { insecure: true },
    });
    expect(c.supports(18)).toBe(true);
    c.close();
  });
});
