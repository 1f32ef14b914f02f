import { describe, expect, it } from "vitest";
import { ErrorCode } from "../../../lib/broker/protocol";
import { InvalidTenantError, TenantDirectory } from "../../../lib/broker/tenancy/tenant";
import { TenantLimits, type TenantUsage } from "../../../lib/broker/tenancy/tenant-limits";

const dir = TenantDirectory.of([
  {
    name: "pay",
    topicPrefix: "pay.",
    groupPrefix: "pay-",
    principals: ["alice"],
    limits: { maxTopics: 2, maxPartitions: 6, storageBytes: 1000, maxConnections: 2 },
  },
  { name: "pay-eu", topicPrefix: "pay.eu.", groupPrefix: "payeu-", principals: ["User:eve"] },
  {
    name: "ads",
    topicPrefix: "ads.",
    groupPrefix: "ads-",
    transactionalIdPrefix: "ads-tx-",
    principals: ["bob"],
  },
]);
const usage = (u: Partial<TenantUsage> = {}): TenantUsage => ({
  topics: 0,
  partitions: 0,
  storageBytes: 0,
  connections: 0,
  ...u,
});
const pay = dir.tenantOfPrincipal("User:alice");

describe("TenantDirectory", () => {
  it("maps principals and resources to tenants by longest prefix", () => {
    expect(pay?.name).toBe("pay");
    expect(dir.tenantOfPrincipal("User:nobody")).toBeNull();
    expect(dir.ownerOf("topic", "pay.orders")?.name).toBe("pay");
    expect(dir.ownerOf("topic", "pay.eu.orders")?.name).toBe("pay-eu");
    expect(dir.ownerOf("group", "ads-1")?.name).toBe("ads");
    expect(dir.ownerOf("transactionalId", "ads-tx-1")?.name).toBe("ads");
    expect(dir.ownerOf("transactionalId", "pay.tx")?.name).toBe("pay"); // defaults to the topic prefix
    expect(dir.ownerOf("topic", "shared")).toBeNull();
  });

  it("finds the tenant boundaries: other tenants' resources, and unowned ones for a tenant", () => {
    expect(dir.crossesBoundary("User:alice", "topic", "pay.orders")).toBe(false);
    expect(dir.crossesBoundary("User:alice", "topic", "pay.eu.orders")).toBe(true);
    expect(dir.crossesBoundary("User:alice", "topic", "ads.clicks")).toBe(true);
    expect(dir.crossesBoundary("User:alice", "topic", "shared")).toBe(true);
    expect(dir.crossesBoundary("User:bob", "group", "pay-g")).toBe(true);
    expect(dir.crossesBoundary("User:other", "topic", "shared")).toBe(false);
    expect(dir.crossesBoundary("User:other", "topic", "ads.clicks")).toBe(true);
  });

  it("refuses a principal in two tenants", () => {
    expect(() =>
      TenantDirectory.of([
        { name: "a", topicPrefix: "a.", groupPrefix: "a-", principals: ["x"] },
        { name: "b", topicPrefix: "b.", groupPrefix: "b-", principals: ["User:x"] },
      ]),
    ).toThrow(InvalidTenantError);
  });
});

describe("TenantLimits", () => {
  it("counts earlier topics of the same CreateTopics batch against the topic and partition limits", () => {
    const d = TenantLimits.createTopics(pay, usage({ topics: 1, partitions: 3 }), [
      { name: "pay.a", addPartitions: 3 },
      { name: "pay.b", addPartitions: 1 },
    ]);
    expect(d[0]).toEqual({ allowed: true });
    expect(d[1]).toMatchObject({ allowed: false, errorCode: ErrorCode.POLICY_VIOLATION });
    expect(d[1]?.allowed === false && d[1].errorMessage).toContain(
      "tenant pay has reached its limit of 2 topics",
    );
    const p = TenantLimits.createTopics(pay, usage({ partitions: 5 }), [
      { name: "pay.c", addPartitions: 2 },
    ]);
    expect(p[0]?.allowed === false && p[0].errorMessage).toContain("limited to 6 partitions");
    expect(
      TenantLimits.createTopics(null, usage({ topics: 1e6 }), [{ name: "x", addPartitions: 1 }]),
    ).toEqual([{ allowed: true }]);
  });

  it("limits partition increases", () => {
    const d = TenantLimits.createPartitions(pay, usage({ partitions: 4 }), [
      { name: "pay.a", addPartitions: 2 },
      { name: "pay.b", addPartitions: 1 },
    ]);
    expect(d.map((x) => x.allowed)).toEqual([true, false]);
  });

  it("refuses produce past the storage limit and allows it again once space is freed", () => {
    expect(TenantLimits.produce(pay, usage({ storageBytes: 900 }), 100).allowed).toBe(true);
    const full = TenantLimits.produce(pay, usage({ storageBytes: 900 }), 101);
    expect(full).toMatchObject({ allowed: false, errorCode: ErrorCode.POLICY_VIOLATION });
    expect(full.allowed === false && full.errorMessage).toContain("storage limit of 1000 bytes");
    expect(TenantLimits.produce(pay, usage({ storageBytes: 100 }), 101).allowed).toBe(true);
    expect(
      TenantLimits.produce(dir.tenantOfPrincipal("User:bob"), usage({ storageBytes: 1e12 }), 1)
        .allowed,
    ).toBe(true);
  });

  it("limits concurrent connections", () => {
    expect(TenantLimits.connection(pay, usage({ connections: 1 })).allowed).toBe(true);
    expect(TenantLimits.connection(pay, usage({ connections: 2 }))).toMatchObject({
      allowed: false,
      errorCode: ErrorCode.SASL_AUTHENTICATION_FAILED,
    });
  });
});
