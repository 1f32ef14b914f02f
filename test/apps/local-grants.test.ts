import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { Testing } from "cdktf";
import { Kafka, logLevel } from "kafkajs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { LocalStack } from "../../apps/local/local-stack";
import { KafkaClusterAdmin } from "../../lib/admin";
import { applyManifest, parseManifest } from "../../lib/manifest";
import { startTenancyBroker, type TenancyBroker } from "../broker/tenancy/tenancy-broker";

// The default app's manifest, applied by `sluice apply`'s core to a bundled broker with SASL and the
// authorizer on (as the Docker target starts it), then used by kafkajs as each tenant.
const PASSWORDS = { admin: "admin-pw", billing: "billing-pw", analytics: "analytics-pw" };
let tb: TenancyBroker;
let lockDir = "";

const client = (user: "billing" | "analytics" | "admin") =>
  new Kafka({
    clientId: `grants-${user}`,
    brokers: [tb.bootstrap],
    sasl: { mechanism: "scram-sha-512", username: user, password: PASSWORDS[user] },
    logLevel: logLevel.NOTHING,
    retry: { retries: 1, initialRetryTime: 50 },
  });

beforeAll(async () => {
  lockDir = fs.mkdtempSync(path.join(os.tmpdir(), "sluice-grants-"));
  const stack = new LocalStack(Testing.app(), "sluice-local", {
    lockFile: path.join(lockDir, "sluice.lock.json"),
  });
  tb = await startTenancyBroker({ users: { admin: PASSWORDS.admin } });
  const admin = await KafkaClusterAdmin.connect({
    host: "127.0.0.1",
    port: tb.port,
    timeoutMs: 5000,
    sasl: { mechanism: "SCRAM-SHA-512", username: "admin", password: PASSWORDS.admin },
  });
  try {
    const result = await applyManifest(parseManifest(stack.cluster.toManifest()), admin, {
      secrets: {
        env: {
          SLUICE_PASSWORD_BILLING_BILLING: PASSWORDS.billing,
          SLUICE_PASSWORD_ANALYTICS_ANALYTICS: PASSWORDS.analytics,
        },
        readFile: () => {
          throw new Error("no credential files here");
        },
      },
    });
    expect(result.plan.errors).toEqual([]);
  } finally {
    admin.close();
  }
});

afterAll(async () => {
  await tb?.destroy();
  fs.rmSync(lockDir, { recursive: true, force: true });
});

describe("apps/local's grants on the bundled broker (kafkajs)", () => {
  it("lets billing produce to orders and analytics consume it in its group, and nothing more", async () => {
    const billing = client("billing").producer();
    await billing.connect();
    await billing.send({ topic: "orders", messages: [{ key: "o-1", value: "order one" }] });
    await billing.send({ topic: "billing.payments", messages: [{ key: "p-1", value: "paid" }] });
    await billing.disconnect();

    const consumer = client("analytics").consumer({ groupId: "analytics.orders-report" });
    await consumer.connect();
    await consumer.subscribe({ topic: "orders", fromBeginning: true });
    const got = await new Promise<string>((resolve) => {
      void consumer.run({ eachMessage: async ({ message }) => resolve(String(message.value)) });
    });
    await consumer.disconnect();
    expect(got).toBe("order one");

    // analytics may not write orders, nor read billing's own topic
    const analytics = client("analytics").producer();
    await analytics.connect();
    await expect(analytics.send({ topic: "orders", messages: [{ value: "x" }] })).rejects.toThrow(
      /authoriz/i,
    );
    await analytics.disconnect();
    const snoop = client("analytics").consumer({ groupId: "analytics.snoop" });
    await snoop.connect();
    await expect(
      snoop.subscribe({ topic: "billing.payments", fromBeginning: true }),
    ).rejects.toThrow(/authoriz/i);
    await snoop.disconnect();
  });

  it("shows each tenant its own topics and the ones it was granted, and the administrator all", async () => {
    const topics = async (user: "billing" | "analytics" | "admin") => {
      const admin = client(user).admin();
      await admin.connect();
      try {
        return (await admin.listTopics()).sort();
      } finally {
        await admin.disconnect();
      }
    };
    expect(await topics("billing")).toEqual(["billing.payments", "orders"]);
    expect(await topics("analytics")).toEqual(["orders"]);
    expect(await topics("admin")).toEqual(["billing.payments", "orders"]);
  });
});
