import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { buildRecordBatch } from "../../../lib/broker/log";
import { ApiKey as K } from "../../../lib/broker/protocol";
import { ClientQuotaConfig, type QuotaEntity } from "../../../lib/broker/tenancy/client-quotas";
import { QuotaManager } from "../../../lib/broker/tenancy/quota-manager";
import { SaslWireClient } from "./sasl-wire-client";
import { startTenancyBroker } from "./tenancy-broker";

const setQuota = (entity: QuotaEntity, value: number) => ({
  entity,
  ops: [{ key: "request_percentage", value, remove: false }],
});

describe("request_percentage quota (fake clock)", () => {
  let dir = "";
  beforeEach(async () => {
    dir = await mkdtemp(path.join(tmpdir(), "sluice-request-quota-"));
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it("charges request time as a percentage of one thread", async () => {
    const c = await ClientQuotaConfig.open(dir);
    await c.alter([setQuota({ user: "alice" }, 50)]);
    const now = 10_000;
    const q = new QuotaManager(c, { now: () => now });
    // 100 ms of work in a 1 s window = 10 % of a thread: within 50 %.
    expect(q.recordRequestTime("User:alice", "app", 100)).toBe(0);
    expect(q.currentRate("request_percentage", "User:alice", "app")).toBeCloseTo(10);
    // 600 ms = 60 %: 10 points over 50, (60 − 50) / 50 × 1000 ms = 200 ms to get back.
    expect(q.recordRequestTime("User:alice", "app", 500)).toBe(200);
    expect(q.recordRequestTime("User:bob", "app", 5000)).toBe(0); // no quota for bob
  });

  it("caps a request throttle at one sample window (Kafka: quota.window.size.seconds)", async () => {
    const c = await ClientQuotaConfig.open(dir);
    await c.alter([setQuota({ user: "alice" }, 10)]);
    const q = new QuotaManager(c, { now: () => 0 });
    // 5 s of work against 10 %: the byte-rate formula would say 11 s (its cap).
    expect(q.recordRequestTime("User:alice", null, 5000)).toBe(1000);
  });

  it("counts response time without throttling the response it belongs to", async () => {
    const c = await ClientQuotaConfig.open(dir);
    await c.alter([setQuota({ user: "alice" }, 10)]);
    const q = new QuotaManager(c, { now: () => 0 });
    q.recordRequestTimeNoThrottle("User:alice", null, 300);
    expect(q.currentRate("request_percentage", "User:alice", null)).toBeCloseTo(30);
    expect(q.recordRequestTime("User:alice", null, 0)).toBeGreaterThan(0);
  });

  it("tells a client's current request throttle without recording (for empty Fetch answers)", async () => {
    const c = await ClientQuotaConfig.open(dir);
    await c.alter([setQuota({ user: "alice" }, 10)]);
    const q = new QuotaManager(c, { now: () => 0 });
    expect(q.requestThrottleMs("User:alice", null)).toBe(0);
    q.recordRequestTimeNoThrottle("User:alice", null, 300);
    const peek = q.requestThrottleMs("User:alice", null);
    expect(peek).toBeGreaterThan(0);
    expect(q.requestThrottleMs("User:alice", null)).toBe(peek); // nothing recorded
    expect(q.requestThrottleMs("User:bob", null)).toBe(0);
  });

  it("holds a client that ignores throttling to its percentage over 20 s", async () => {
    const c = await ClientQuotaConfig.open(dir);
    await c.alter([setQuota({ clientId: "busy" }, 20)]);
    let now = 0;
    const q = new QuotaManager(c, { now: () => now });
    let busy = 0;
    // Each request costs 3 ms of broker time; the client sends again 1 ms after each response,
    // unless the broker mutes it.
    while (now < 20_000) {
      busy += 3;
      now += 3;
      now += Math.max(q.recordRequestTime("User:x", "busy", 3), 1);
    }
    const percent = (busy / 20_000) * 100;
    expect(percent).toBeGreaterThan(19);
    expect(percent).toBeLessThan(21);
  });

  it("tells whether any entity sets request_percentage (the dispatcher's gate)", async () => {
    const c = await ClientQuotaConfig.open(dir);
    expect(c.hasQuota("request_percentage")).toBe(false);
    await c.alter([
      { entity: { user: "a" }, ops: [{ key: "producer_byte_rate", value: 1, remove: false }] },
    ]);
    expect(c.hasQuota("request_percentage")).toBe(false);
    expect(c.resolve("request_percentage", "a", "x")).toBeNull();
    await c.alter([setQuota({ user: null }, 5)]);
    expect(c.hasQuota("request_percentage")).toBe(true);
    expect((await ClientQuotaConfig.open(dir)).hasQuota("request_percentage")).toBe(true);
    await c.alter([
      { entity: { user: null }, ops: [{ key: "request_percentage", value: 0, remove: true }] },
    ]);
    expect(c.hasQuota("request_percentage")).toBe(false);
    expect(c.hasQuota("producer_byte_rate")).toBe(true);
  });
});

describe("request_percentage quota on a broker (SASL)", () => {
  it("throttles and mutes an authenticated user, exempts the SASL exchange, spares others", async () => {
    const b = await startTenancyBroker({ users: { alice: "alice-pw", bob: "bob-pw" } });
    try {
      // Everyone (the default user, hence also ANONYMOUS before authentication) gets a tiny share,
      // so any measured time throttles; bob's own quota is generous.
      await b.tenancy.quotaConfig.alter([
        setQuota({ user: null }, 0.0001),
        setQuota({ user: "bob" }, 1e6),
      ]);
      const loginStarted = Date.now();
      const alice = await SaslWireClient.login(b.port, "alice", "alice-pw");
      // Exempt: charged to ANONYMOUS's default quota, the handshake would mute for 1 s.
      expect(Date.now() - loginStarted).toBeLessThan(700);
      const meta = {
        topics: [],
        allowAutoTopicCreation: false,
        includeTopicAuthorizedOperations: false,
      };
      const first = await alice.call(K.Metadata, 12, meta);
      expect(first.throttleTimeMs).toBeGreaterThan(0);
      expect(first.throttleTimeMs).toBeLessThanOrEqual(1000);
      // The connection is muted: the next request is read only after the throttle time.
      const sent = Date.now();
      await alice.call(K.Metadata, 12, meta);
      expect(Date.now() - sent).toBeGreaterThanOrEqual(first.throttleTimeMs - 50);
      alice.close();

      const bob = await SaslWireClient.login(b.port, "bob", "bob-pw");
      const r = await bob.call(K.Metadata, 12, meta);
      expect(r.throttleTimeMs).toBe(0);
      bob.close();
    } finally {
      await b.destroy();
    }
  });

  it("answers a Fetch without records while the client is over its request quota, as Kafka", async () => {
    const b = await startTenancyBroker({
      users: { admin: "admin-pw", alice: "alice-pw" },
      security: { superUsers: ["User:admin", "User:alice"] },
    });
    try {
      const admin = await SaslWireClient.login(b.port, "admin", "admin-pw");
      await admin.call(K.CreateTopics, 7, {
        topics: [
          { name: "t", numPartitions: 1, replicationFactor: 1, assignments: [], configs: [] },
        ],
        timeoutMs: 5000,
        validateOnly: false,
      });
      const produced = await admin.call(K.Produce, 9, {
        transactionalId: null,
        acks: -1,
        timeoutMs: 5000,
        topicData: [
          {
            name: "t",
            partitionData: [
              { index: 0, records: buildRecordBatch({ records: [{ value: Buffer.from("v") }] }) },
            ],
          },
        ],
      });
      expect(produced.responses[0]?.partitionResponses[0]?.errorCode).toBe(0);
      const fetch = (c: SaslWireClient) =>
        c.call(K.Fetch, 12, {
          replicaId: -1,
          maxWaitMs: 0,
          minBytes: 1,
          maxBytes: 1 << 20,
          isolationLevel: 0,
          sessionId: 0,
          sessionEpoch: -1,
          topics: [
            {
              topic: "t",
              partitions: [
                {
                  partition: 0,
                  currentLeaderEpoch: -1,
                  fetchOffset: 0n,
                  lastFetchedEpoch: -1,
                  logStartOffset: -1n,
                  partitionMaxBytes: 1 << 20,
                },
              ],
            },
          ],
          forgottenTopicsData: [],
          rackId: "",
        });
      const recordsOf = (r: Awaited<ReturnType<typeof fetch>>) =>
        r.responses[0]?.partitions[0]?.records?.length ?? 0;
      // Unthrottled control: the record is there.
      expect(recordsOf(await fetch(admin))).toBeGreaterThan(0);
      admin.close();

      await b.tenancy.quotaConfig.alter([setQuota({ user: "alice" }, 0.0001)]);
      const alice = await SaslWireClient.login(b.port, "alice", "alice-pw");
      // Any request puts alice over a 0.0001 % share; the next Fetch comes back empty.
      await alice.call(K.Metadata, 12, {
        topics: [],
        allowAutoTopicCreation: false,
        includeTopicAuthorizedOperations: false,
      });
      const throttled = await fetch(alice);
      expect(throttled.throttleTimeMs).toBeGreaterThan(0);
      expect(throttled.responses[0]?.partitions[0]?.errorCode).toBe(0);
      expect(recordsOf(throttled)).toBe(0);
      alice.close();
    } finally {
      await b.destroy();
    }
  });
});
