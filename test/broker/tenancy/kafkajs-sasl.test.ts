import { Kafka, logLevel, type SASLOptions } from "kafkajs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTenancyBroker, type TenancyBroker } from "./tenancy-broker";

let tb: TenancyBroker;

const client = (sasl: SASLOptions) =>
  new Kafka({
    clientId: "kafkajs-sasl",
    brokers: [tb.bootstrap],
    sasl,
    logLevel: logLevel.NOTHING,
    retry: { retries: 1, initialRetryTime: 50 },
  });

beforeAll(async () => {
  tb = await startTenancyBroker({
    users: { admin: "admin-secret", alice: "alice-secret", bob: "bob-secret" },
    tenants: [
      { name: "pay", topicPrefix: "pay.", groupPrefix: "pay-", principals: ["alice"] },
      { name: "ads", topicPrefix: "ads.", groupPrefix: "ads-", principals: ["bob"] },
    ],
  });
});

afterAll(async () => {
  await tb?.destroy();
});

describe("kafkajs over SASL_PLAINTEXT", () => {
  it("authenticates with SCRAM-SHA-512, produces and consumes in its tenant", async () => {
    const kafka = client({
      mechanism: "scram-sha-512",
      username: "alice",
      password: "alice-secret",
    });
    const admin = kafka.admin();
    await admin.connect();
    await admin.createTopics({ topics: [{ topic: "pay.orders", numPartitions: 1 }] });
    expect(await admin.listTopics()).toEqual(["pay.orders"]);
    await admin.disconnect();
    const producer = kafka.producer();
    await producer.connect();
    await producer.send({ topic: "pay.orders", messages: [{ key: "k", value: "v1" }] });
    await producer.disconnect();
    const consumer = kafka.consumer({ groupId: "pay-readers" });
    await consumer.connect();
    await consumer.subscribe({ topic: "pay.orders", fromBeginning: true });
    const got = await new Promise<string>((resolve) => {
      void consumer.run({
        eachMessage: async ({ message }) => resolve(message.value?.toString() ?? ""),
      });
    });
    await consumer.disconnect();
    expect(got).toBe("v1");
  });

  it("authenticates with PLAIN and cannot see or write another tenant's topic", async () => {
    const kafka = client({ mechanism: "plain", username: "bob", password: "bob-secret" });
    const admin = kafka.admin();
    await admin.connect();
    expect(await admin.listTopics()).toEqual([]);
    await admin.disconnect();
    const producer = kafka.producer();
    await producer.connect();
    await expect(
      producer.send({ topic: "pay.orders", messages: [{ value: "x" }] }),
    ).rejects.toThrow(/authoriz/i);
    await producer.disconnect();
  });

  it("lets a super user see every tenant's topics with SCRAM-SHA-256", async () => {
    const admin = client({
      mechanism: "scram-sha-256",
      username: "admin",
      password: "admin-secret",
    }).admin();
    await admin.connect();
    expect(await admin.listTopics()).toContain("pay.orders");
    await admin.disconnect();
  });

  it("rejects a wrong password for SCRAM-SHA-512 and PLAIN", async () => {
    for (const mechanism of ["scram-sha-512", "plain"] as const) {
      const admin = client({
        mechanism,
        username: "alice",
        password: "wrong",
      } as SASLOptions).admin();
      await expect(admin.connect()).rejects.toThrow(/SASL|authenticat/i);
      await admin.disconnect();
    }
  });
});
