import { mkdtempSync, rmSync } from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildRecordBatch } from "../../../lib/broker/log";
import {
  decodeResponseFrame,
  ErrorCode as E,
  encodeRequest,
  ApiKey as K,
} from "../../../lib/broker/protocol";
import { Broker } from "../../../lib/broker/server/broker";
import { resolveConfig } from "../../../lib/broker/server/config";
import { tenancyHandlers } from "../../../lib/broker/server/handlers";
import { memoryLogger } from "../../../lib/broker/server/logger";
import {
  TenancyConfigError,
  TenancyExtension,
} from "../../../lib/broker/tenancy/tenancy-extension";
import { RawClient } from "../server/raw-client";
import { SaslWireClient } from "./sasl-wire-client";

let broker: Broker;
let port = 0;
let dataDir = "";
const security = {
  superUsers: ["User:root"],
  authorizationEnabled: true,
  bootstrapUsers: [
    { user: "root", passwordEnv: "ROOT_PW" },
    { user: "shop-app", passwordEnv: "SHOP_PW" },
  ],
  tenants: [
    {
      name: "shop",
      topicPrefix: "shop.",
      groupPrefix: "shop-",
      principals: ["shop-app"],
      limits: { maxTopics: 2, maxPartitions: 4, storageBytes: 2000 },
    },
  ],
};

beforeAll(async () => {
  dataDir = mkdtempSync(path.join(os.tmpdir(), "sluice-bt-"));
  const config = resolveConfig(
    {},
    { dataDir, listeners: "SASL_PLAINTEXT://127.0.0.1:0", security },
  );
  const extension = new TenancyExtension(config.security, {
    ROOT_PW: "root-pw",
    SHOP_PW: "shop-pw",
  });
  broker = await Broker.start({
    config,
    logger: memoryLogger(),
    extension,
    handlers: tenancyHandlers(),
  });
  port = broker.advertised()[0]?.port ?? 0;
});

afterAll(async () => {
  await broker?.stop();
  rmSync(dataDir, { recursive: true, force: true });
});

const createTopic = (c: SaslWireClient, name: string, numPartitions: number) =>
  c.call(K.CreateTopics, 7, {
    topics: [{ name, numPartitions, replicationFactor: 1, assignments: [], configs: [] }],
    timeoutMs: 5000,
    validateOnly: false,
  });

describe("broker with the tenancy layer", () => {
  it("creates bootstrap users from environment variables and refuses a missing one", async () => {
    const root = await SaslWireClient.login(port, "root", "root-pw");
    const users = await root.call(K.DescribeUserScramCredentials, 0, { users: null });
    expect(users.results.map((r) => r.user)).toEqual(["root", "shop-app"]);
    root.close();
    const d2 = mkdtempSync(path.join(os.tmpdir(), "sluice-bt2-"));
    const config = resolveConfig(
      {},
      { dataDir: d2, listeners: "SASL_PLAINTEXT://127.0.0.1:0", security },
    );
    await expect(
      Broker.start({
        config,
        logger: memoryLogger(),
        extension: new TenancyExtension(config.security, {}),
      }),
    ).rejects.toThrow(TenancyConfigError);
    rmSync(d2, { recursive: true, force: true });
  });

  it("closes a SASL connection that sends other APIs before authenticating", async () => {
    const raw = await RawClient.connect(port);
    raw.send(
      encodeRequest(K.Metadata, 12, 1, "t", {
        topics: null,
        allowAutoTopicCreation: false,
        includeTopicAuthorizedOperations: false,
      }),
    );
    expect(await raw.waitClosed()).toBe(true);
  });

  it("answers a wrong password with SASL_AUTHENTICATION_FAILED, then closes the connection", async () => {
    await expect(SaslWireClient.login(port, "root", "nope")).rejects.toThrow(
      /Invalid username or password/,
    );
    const raw = await RawClient.connect(port);
    raw.send(encodeRequest(K.SaslHandshake, 1, 1, "t", { mechanism: "PLAIN" }));
    await raw.nextFrame();
    raw.send(
      encodeRequest(K.SaslAuthenticate, 2, 2, "t", {
        authBytes: Buffer.from("\u0000root\u0000nope"),
      }),
    );
    const res = decodeResponseFrame(K.SaslAuthenticate, 2, await raw.nextFrame()).body;
    expect(res.errorCode).toBe(E.SASL_AUTHENTICATION_FAILED);
    expect(await raw.waitClosed()).toBe(true);
  });

  it("enforces the tenant's topic and partition limits with POLICY_VIOLATION naming the tenant", async () => {
    const shop = await SaslWireClient.login(port, "shop-app", "shop-pw");
    expect((await createTopic(shop, "shop.a", 3)).topics[0]?.errorCode).toBe(0);
    const tooMany = (await createTopic(shop, "shop.b", 2)).topics[0];
    expect(tooMany?.errorCode).toBe(E.POLICY_VIOLATION);
    expect(tooMany?.errorMessage).toContain("tenant shop is limited to 4 partitions");
    const grow = await shop.call(K.CreatePartitions, 3, {
      topics: [{ name: "shop.a", count: 5, assignments: null }],
      timeoutMs: 5000,
      validateOnly: false,
    });
    expect(grow.results[0]?.errorCode).toBe(E.POLICY_VIOLATION);
    expect((await createTopic(shop, "shop.b", 1)).topics[0]?.errorCode).toBe(0);
    const third = (await createTopic(shop, "shop.c", 1)).topics[0];
    expect(third?.errorMessage).toContain("tenant shop has reached its limit of 2 topics");
    shop.close();
  });

  it("refuses produce past the tenant's storage limit with a clear message and keeps what was written", async () => {
    const shop = await SaslWireClient.login(port, "shop-app", "shop-pw");
    const big = buildRecordBatch({ records: [{ value: Buffer.alloc(900, 1) }] });
    const produce = () =>
      shop.call(K.Produce, 9, {
        transactionalId: null,
        acks: -1,
        timeoutMs: 5000,
        topicData: [{ name: "shop.b", partitionData: [{ index: 0, records: big }] }],
      });
    expect((await produce()).responses[0]?.partitionResponses[0]?.errorCode).toBe(0);
    expect((await produce()).responses[0]?.partitionResponses[0]?.errorCode).toBe(0);
    const refused = (await produce()).responses[0]?.partitionResponses[0];
    expect(refused?.errorCode).toBe(E.POLICY_VIOLATION);
    expect(refused?.errorMessage).toContain(
      "tenant shop has reached its storage limit of 2000 bytes",
    );
    const lo = await shop.call(K.ListOffsets, 7, {
      replicaId: -1,
      isolationLevel: 0,
      topics: [
        {
          name: "shop.b",
          partitions: [{ partitionIndex: 0, currentLeaderEpoch: -1, timestamp: -1n }],
        },
      ],
    });
    expect(lo.topics[0]?.partitions[0]?.offset).toBe(2n);
    shop.close();
  });

  it("throttles a producer above its byte-rate quota (throttle_time_ms in the response)", async () => {
    const root = await SaslWireClient.login(port, "root", "root-pw");
    const set = await root.call(K.AlterClientQuotas, 1, {
      entries: [
        {
          entity: [{ entityType: "user", entityName: "root" }],
          ops: [{ key: "producer_byte_rate", value: 100, remove: false }],
        },
      ],
      validateOnly: false,
    });
    expect(set.entries[0]?.errorCode).toBe(0);
    expect((await createTopic(root, "free", 1)).topics[0]?.errorCode).toBe(0);
    const batch = buildRecordBatch({ records: [{ value: Buffer.alloc(5000, 2) }] });
    const r = await root.call(K.Produce, 9, {
      transactionalId: null,
      acks: -1,
      timeoutMs: 5000,
      topicData: [{ name: "free", partitionData: [{ index: 0, records: batch }] }],
    });
    expect(r.responses[0]?.partitionResponses[0]?.errorCode).toBe(0);
    // ~5 kB over the 10 s minimum window = ~500 B/s against 100 B/s: (500-100)/100 × 10 s, capped at 11 s.
    expect(r.throttleTimeMs).toBeGreaterThan(10_000);
    root.close();
  });
});
