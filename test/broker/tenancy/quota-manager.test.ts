import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { ErrorCode } from "../../../lib/broker/protocol";
import {
  ClientQuotaConfig,
  InvalidQuotaError,
  type QuotaEntity,
} from "../../../lib/broker/tenancy/client-quotas";
import { QuotaManager } from "../../../lib/broker/tenancy/quota-manager";

describe("client quotas", () => {
  let dir = "";
  beforeEach(async () => {
    dir = await mkdtemp(path.join(tmpdir(), "sluice-quota-"));
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });
  const set = (entity: QuotaEntity, key: string, value: number) => ({
    entity,
    ops: [{ key, value, remove: false }],
  });

  it("resolves in Kafka's precedence order, most specific first", async () => {
    const c = await ClientQuotaConfig.open(dir);
    const levels: Array<[QuotaEntity, number]> = [
      [{ clientId: null }, 8],
      [{ clientId: "app" }, 7],
      [{ user: null }, 6],
      [{ user: null, clientId: null }, 5],
      [{ user: null, clientId: "app" }, 4],
      [{ user: "alice" }, 3],
      [{ user: "alice", clientId: null }, 2],
      [{ user: "alice", clientId: "app" }, 1],
    ];
    // Add from least to most specific; each addition must win from then on.
    for (const [entity, v] of levels) {
      await c.alter([set(entity, "producer_byte_rate", v)]);
      expect(c.resolve("producer_byte_rate", "alice", "app")?.bound).toBe(v);
    }
    expect(c.resolve("consumer_byte_rate", "alice", "app")).toBeNull();
    // Default-user quotas are per user: alice and bob get separate sensors.
    const a = c.resolve("producer_byte_rate", "alice", "other");
    const b = c.resolve("producer_byte_rate", "bob", "other");
    expect(a?.bound).toBe(2);
    expect(b?.bound).toBe(5);
    expect(a?.sensorKey).not.toBe(b?.sensorKey);
  });

  it("persists, removes keys and validates values", async () => {
    const c = await ClientQuotaConfig.open(dir);
    await c.alter([
      {
        entity: { user: "u" },
        ops: [
          { key: "producer_byte_rate", value: 1024, remove: false },
          { key: "request_percentage", value: 50.5, remove: false },
        ],
      },
    ]);
    await c.alter([
      { entity: { user: "u" }, ops: [{ key: "request_percentage", value: 0, remove: true }] },
    ]);
    expect((await ClientQuotaConfig.open(dir)).get({ user: "u" })).toEqual({
      producer_byte_rate: 1024,
    });
    expect(() => ClientQuotaConfig.validate(set({ user: "u" }, "producer_byte_rate", 1.5))).toThrow(
      InvalidQuotaError,
    );
    expect(() => ClientQuotaConfig.validate(set({ user: "u" }, "bogus", 1))).toThrow(
      /Invalid configuration key/,
    );
    expect(() => ClientQuotaConfig.validate(set({ user: "u" }, "consumer_byte_rate", -1))).toThrow(
      InvalidQuotaError,
    );
  });

  it("throttles produce above the quota with a fake clock and recovers after the throttle time", async () => {
    const c = await ClientQuotaConfig.open(dir);
    await c.alter([set({ user: "alice" }, "producer_byte_rate", 1000)]);
    let now = 1_000_000;
    const q = new QuotaManager(c, { now: () => now });
    // 500 B every 100 ms = 5000 B/s, 5× the quota, for 15 s (a client ignoring the throttle).
    let throttle = 0;
    let firstThrottledAt = -1;
    for (let i = 0; i < 150; i++, now += 100) {
      throttle = q.recordProduce("User:alice", "p", 500);
      if (throttle > 0 && firstThrottledAt < 0) firstThrottledAt = i;
    }
    expect(firstThrottledAt).toBeGreaterThan(0);
    expect(throttle).toBeGreaterThan(0);
    expect(q.recordProduce("User:bob", "p", 1e9)).toBe(0); // no quota for bob
    now += throttle;
    // Back near the bound after the throttle time (samples expire whole, hence the 10 % slack).
    expect(q.currentRate("producer_byte_rate", "User:alice", "p")).toBeLessThanOrEqual(1100);
    now += 11_000;
    expect(q.recordProduce("User:alice", "p", 0)).toBe(0);
  });

  it("holds a saturating producer to its quota over 20 s (fake clock, 256 KiB requests)", async () => {
    const c = await ClientQuotaConfig.open(dir);
    const cap = 1024 * 1024;
    await c.alter([set({ user: "sat" }, "producer_byte_rate", cap)]);
    let now = 0;
    const q = new QuotaManager(c, { now: () => now });
    let total = 0;
    // The client sends whenever it is not muted; each round trip takes 2 ms.
    while (now < 20_000) {
      total += 256 * 1024;
      now += Math.max(q.recordProduce("User:sat", "p", 256 * 1024), 2);
    }
    const ratio = total / 20 / cap;
    expect(ratio).toBeGreaterThan(0.95);
    expect(ratio).toBeLessThan(1.05);
  });

  it("un-records throttled fetch bytes (the throttled response carries none)", async () => {
    const c = await ClientQuotaConfig.open(dir);
    await c.alter([set({ clientId: null }, "consumer_byte_rate", 100)]);
    const now = 5000;
    const q = new QuotaManager(c, { now: () => now });
    expect(q.recordFetch("User:x", "c", 50)).toBe(0); // 50 B/s over the 1 s minimum window
    const before = q.currentRate("consumer_byte_rate", "User:x", "c");
    expect(q.recordFetch("User:x", "c", 5000)).toBeGreaterThan(0);
    expect(q.currentRate("consumer_byte_rate", "User:x", "c")).toBe(before);
  });

  it("accepts mutations until the rate is exceeded, then answers THROTTLING_QUOTA_EXCEEDED", async () => {
    const c = await ClientQuotaConfig.open(dir);
    await c.alter([set({ user: "t" }, "controller_mutation_rate", 1)]);
    const q = new QuotaManager(c, { now: () => 0 });
    const first = q.checkMutations("User:t", null, 50); // accepted although it exceeds
    expect(first.errorCode).toBe(ErrorCode.NONE);
    expect(first.throttleTimeMs).toBeGreaterThan(0);
    const second = q.checkMutations("User:t", null, 1);
    expect(second.errorCode).toBe(ErrorCode.THROTTLING_QUOTA_EXCEEDED);
  });
});
