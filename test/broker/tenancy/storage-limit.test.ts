import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildRecordBatch } from "../../../lib/broker/log";
import { ErrorCode as E, ApiKey as K } from "../../../lib/broker/protocol";
import { SaslWireClient } from "./sasl-wire-client";
import { startTenancyBroker, type TenancyBroker } from "./tenancy-broker";

let b: TenancyBroker;
let app: SaslWireClient;
const TOPIC = "logs.app";

beforeAll(async () => {
  b = await startTenancyBroker({
    users: { admin: "admin-pw", "logs-app": "logs-pw" },
    tenants: [
      {
        name: "logs",
        topicPrefix: "logs.",
        groupPrefix: "logs-",
        principals: ["logs-app"],
        limits: { storageBytes: 3000 },
      },
    ],
  });
  app = await SaslWireClient.login(b.port, "logs-app", "logs-pw");
  // Small segments: each ~1 kB batch gets its own, so retention can delete whole ones.
  const created = await app.call(K.CreateTopics, 7, {
    topics: [
      {
        name: TOPIC,
        numPartitions: 1,
        replicationFactor: 1,
        assignments: [],
        configs: [{ name: "segment.bytes", value: "1000" }],
      },
    ],
    timeoutMs: 5000,
    validateOnly: false,
  });
  expect(created.topics[0]?.errorCode).toBe(E.NONE);
});

afterAll(async () => {
  app?.close();
  await b?.destroy();
});

const produce = async () => {
  const r = await app.call(K.Produce, 9, {
    transactionalId: null,
    acks: -1,
    timeoutMs: 5000,
    topicData: [
      {
        name: TOPIC,
        partitionData: [
          { index: 0, records: buildRecordBatch({ records: [{ value: Buffer.alloc(900, 7) }] }) },
        ],
      },
    ],
  });
  const p = r.responses[0]?.partitionResponses[0];
  if (p === undefined) throw new Error("no partition response");
  return p;
};

describe("tenant storage limit", () => {
  it("refuses produce past it with a clear error, and accepts again once retention frees space", async () => {
    for (let i = 0; i < 3; i++) expect((await produce()).errorCode).toBe(E.NONE);
    const refused = await produce();
    expect(refused.errorCode).toBe(E.POLICY_VIOLATION);
    expect(refused.errorMessage).toContain(
      "tenant logs has reached its storage limit of 3000 bytes",
    );

    // The tenant lowers its topic's retention; the broker's background retention deletes old
    // segments (never the active one), and the freed space is usable again.
    const alter = await app.call(K.IncrementalAlterConfigs, 1, {
      resources: [
        {
          resourceType: 2,
          resourceName: TOPIC,
          configs: [{ name: "retention.bytes", configOperation: 0, value: "1000" }],
        },
      ],
      validateOnly: false,
    });
    expect(alter.responses[0]?.errorCode).toBe(E.NONE);

    const deadline = Date.now() + 15_000;
    let accepted = await produce();
    while (accepted.errorCode === E.POLICY_VIOLATION && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 200));
      accepted = await produce();
    }
    expect(accepted.errorCode).toBe(E.NONE);
    // Nothing acknowledged was rewritten: the new record follows the three before it.
    expect(accepted.baseOffset).toBe(3n);
    expect(accepted.logStartOffset).toBeGreaterThan(0n);
  });
});
