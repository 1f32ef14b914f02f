import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildRecordBatch } from "../../../lib/broker/log";
import {
  ApiKey,
  ErrorCode,
  type RequestInputOf,
  type ResponseOf,
} from "../../../lib/broker/protocol";
import { RawClient } from "./raw-client";
import { startTestBroker, type TestBroker } from "./test-broker";

let tb: TestBroker;
let client: RawClient;
/** Sends one request at `version` and decodes its response (its correlation id checked). */
function call<K extends ApiKey>(
  key: K,
  version: number,
  body: RequestInputOf<K>,
): Promise<ResponseOf<K>> {
  return client.call(key, version, body);
}

function produce(topic: string, partition: number, records: Buffer) {
  return call(ApiKey.Produce, 9, {
    transactionalId: null,
    acks: -1,
    timeoutMs: 5000,
    topicData: [{ name: topic, partitionData: [{ index: partition, records }] }],
  });
}

/** ListOffsets for partition 0 of `topic` at `timestamp`: that partition's answer. */
async function listOffsets(topic: string, timestamp: bigint, version: number) {
  const res = await call(ApiKey.ListOffsets, version, {
    replicaId: -1,
    isolationLevel: 0,
    topics: [{ name: topic, partitions: [{ partitionIndex: 0, timestamp }] }],
  });
  return res.topics[0]?.partitions[0];
}

function createTopic(
  name: string,
  partitions = 1,
  configs: { name: string; value: string }[] = [],
) {
  return call(ApiKey.CreateTopics, 7, {
    topics: [{ name, numPartitions: partitions, replicationFactor: 1, assignments: [], configs }],
    timeoutMs: 5000,
    validateOnly: false,
  });
}

beforeAll(async () => {
  tb = await startTestBroker({ adminListener: "127.0.0.1:0" });
  client = await RawClient.connect(tb.port);
});

afterAll(async () => {
  client?.close();
  await tb?.destroy();
});

describe("CreateTopics / DeleteTopics / CreatePartitions", () => {
  it("validateOnly checks without creating, and reports partitions and configs (v7)", async () => {
    const res = await call(ApiKey.CreateTopics, 7, {
      topics: [
        {
          name: "dry",
          numPartitions: 3,
          replicationFactor: -1,
          assignments: [],
          configs: [{ name: "retention.ms", value: "60000" }],
        },
      ],
      timeoutMs: 5000,
      validateOnly: true,
    });
    const t = res.topics[0];
    expect(t?.errorCode).toBe(ErrorCode.NONE);
    expect(t?.numPartitions).toBe(3);
    expect(t?.replicationFactor).toBe(1);
    expect(t?.configs?.find((c) => c.name === "retention.ms")).toMatchObject({
      value: "60000",
      configSource: 1,
    });
    expect(tb.broker.services.topics.get("dry")).toBeUndefined();
  });

  it("answers Kafka's error codes for bad requests", async () => {
    await createTopic("exists");
    const res = await call(ApiKey.CreateTopics, 7, {
      topics: [
        { name: "exists", numPartitions: 1, replicationFactor: 1, assignments: [], configs: [] },
        { name: "bad name", numPartitions: 1, replicationFactor: 1, assignments: [], configs: [] },
        { name: "rf3", numPartitions: 1, replicationFactor: 3, assignments: [], configs: [] },
        { name: "zero", numPartitions: 0, replicationFactor: 1, assignments: [], configs: [] },
        {
          name: "badcfg",
          numPartitions: 1,
          replicationFactor: 1,
          assignments: [],
          configs: [{ name: "cleanup.policy", value: "shred" }],
        },
      ],
      timeoutMs: 5000,
      validateOnly: false,
    });
    expect(res.topics.map((t) => [t.name, t.errorCode])).toEqual([
      ["exists", ErrorCode.TOPIC_ALREADY_EXISTS],
      ["bad name", ErrorCode.INVALID_TOPIC_EXCEPTION],
      ["rf3", ErrorCode.INVALID_REPLICATION_FACTOR],
      ["zero", ErrorCode.INVALID_PARTITIONS],
      ["badcfg", ErrorCode.INVALID_CONFIG],
    ]);
  });

  it("grows partitions but never shrinks them", async () => {
    await createTopic("parts", 1);
    const grow = await call(ApiKey.CreatePartitions, 3, {
      topics: [{ name: "parts", count: 3, assignments: null }],
      timeoutMs: 5000,
      validateOnly: false,
    });
    expect(grow.results[0]?.errorCode).toBe(ErrorCode.NONE);
    const shrink = await call(ApiKey.CreatePartitions, 3, {
      topics: [{ name: "parts", count: 2, assignments: null }],
      timeoutMs: 5000,
      validateOnly: false,
    });
    expect(shrink.results[0]?.errorCode).toBe(ErrorCode.INVALID_PARTITIONS);
    expect(tb.broker.services.topics.get("parts")?.partitions).toBe(3);
  });

  it("deletes topics by name (v4) and by id (v6)", async () => {
    await createTopic("del-a");
    const b = await createTopic("del-b");
    const byName = await call(ApiKey.DeleteTopics, 4, {
      topicNames: ["del-a", "nope"],
      timeoutMs: 5000,
    });
    expect(byName.responses.map((r) => r.errorCode)).toEqual([
      ErrorCode.NONE,
      ErrorCode.UNKNOWN_TOPIC_OR_PARTITION,
    ]);
    const id = b.topics[0]?.topicId ?? "";
    const byId = await call(ApiKey.DeleteTopics, 6, {
      topics: [{ name: null, topicId: id }],
      timeoutMs: 5000,
    });
    expect(byId.responses[0]).toMatchObject({ name: "del-b", errorCode: ErrorCode.NONE });
    expect(tb.broker.services.topics.get("del-b")).toBeUndefined();
  });
});

describe("configs", () => {
  it("describes every topic config with value, source and synonyms", async () => {
    await createTopic("described", 1, [{ name: "retention.ms", value: "5000" }]);
    const res = await call(ApiKey.DescribeConfigs, 4, {
      resources: [{ resourceType: 2, resourceName: "described", configurationKeys: null }],
      includeSynonyms: true,
      includeDocumentation: true,
    });
    const configs = res.results[0]?.configs ?? [];
    const retention = configs.find((c) => c.name === "retention.ms");
    expect(retention).toMatchObject({ value: "5000", configSource: 1, readOnly: false });
    expect(retention?.synonyms.map((s) => [s.name, s.source])).toEqual([
      ["retention.ms", 1],
      ["log.retention.hours", 5],
    ]);
    const segment = configs.find((c) => c.name === "segment.bytes");
    expect(segment).toMatchObject({ value: "1073741824", configSource: 5, configType: 3 });
    expect(configs.find((c) => c.name === "flush.messages")?.value).toBe("9223372036854775807");
    expect(configs.length).toBeGreaterThanOrEqual(30);
  });

  it("filters by key, reports unknown topics, and describes the broker", async () => {
    const res = await call(ApiKey.DescribeConfigs, 4, {
      resources: [
        { resourceType: 2, resourceName: "described", configurationKeys: ["cleanup.policy"] },
        { resourceType: 2, resourceName: "missing", configurationKeys: null },
        { resourceType: 4, resourceName: "0", configurationKeys: null },
      ],
      includeSynonyms: false,
      includeDocumentation: false,
    });
    expect(res.results[0]?.configs.map((c) => c.name)).toEqual(["cleanup.policy"]);
    expect(res.results[1]?.errorCode).toBe(ErrorCode.UNKNOWN_TOPIC_OR_PARTITION);
    const broker = new Map(res.results[2]?.configs.map((c) => [c.name, c.value]));
    expect(broker.get("auto.create.topics.enable")).toBe("true");
    expect(broker.get("num.partitions")).toBe("1");
    expect(broker.get("log.retention.ms")).toBe("604800000");
  });

  it("IncrementalAlterConfigs sets, appends to lists and deletes overrides", async () => {
    await createTopic("inc");
    const alter = (configs: { name: string; configOperation: number; value: string | null }[]) =>
      call(ApiKey.IncrementalAlterConfigs, 1, {
        resources: [{ resourceType: 2, resourceName: "inc", configs }],
        validateOnly: false,
      });
    expect(
      (
        await alter([
          { name: "retention.ms", configOperation: 0, value: "1000" },
          { name: "cleanup.policy", configOperation: 2, value: "compact" },
        ])
      ).responses[0]?.errorCode,
    ).toBe(ErrorCode.NONE);
    expect(tb.broker.services.topics.get("inc")?.configs).toEqual({
      "retention.ms": "1000",
      "cleanup.policy": "compact,delete",
    });
    expect(tb.broker.services.logs.get("inc", 0)?.config.retentionMs).toBe(1000);
    await alter([{ name: "retention.ms", configOperation: 1, value: null }]);
    expect(tb.broker.services.topics.get("inc")?.configs).toEqual({
      "cleanup.policy": "compact,delete",
    });
    const bad = await alter([{ name: "retention.ms", configOperation: 2, value: "1" }]);
    expect(bad.responses[0]?.errorCode).toBe(ErrorCode.INVALID_CONFIG);
  });

  it("AlterConfigs replaces the whole set; broker configs are refused", async () => {
    await createTopic("full", 1, [{ name: "retention.ms", value: "1000" }]);
    const res = await call(ApiKey.AlterConfigs, 2, {
      resources: [
        {
          resourceType: 2,
          resourceName: "full",
          configs: [{ name: "max.message.bytes", value: "2048" }],
        },
        { resourceType: 4, resourceName: "0", configs: [{ name: "num.partitions", value: "3" }] },
      ],
      validateOnly: false,
    });
    expect(res.responses.map((r) => r.errorCode)).toEqual([
      ErrorCode.NONE,
      ErrorCode.INVALID_REQUEST,
    ]);
    expect(tb.broker.services.topics.get("full")?.configs).toEqual({ "max.message.bytes": "2048" });
  });
});

describe("records and offsets", () => {
  it("maps log errors to per-partition codes: too large, corrupt, keyless on compacted", async () => {
    await createTopic("small", 1, [{ name: "max.message.bytes", value: "200" }]);
    const big = await produce(
      "small",
      0,
      buildRecordBatch({ records: [{ value: "x".repeat(500) }] }),
    );
    expect(big.responses[0]?.partitionResponses[0]?.errorCode).toBe(ErrorCode.MESSAGE_TOO_LARGE);

    const corrupt = buildRecordBatch({ records: [{ value: "v" }] });
    corrupt[corrupt.length - 1] = (corrupt[corrupt.length - 1] ?? 0) ^ 0xff;
    const c = await produce("small", 0, corrupt);
    expect(c.responses[0]?.partitionResponses[0]?.errorCode).toBe(ErrorCode.CORRUPT_MESSAGE);

    await createTopic("compacted", 1, [{ name: "cleanup.policy", value: "compact" }]);
    const keyless = await produce("compacted", 0, buildRecordBatch({ records: [{ value: "v" }] }));
    expect(keyless.responses[0]?.partitionResponses[0]?.errorCode).toBe(ErrorCode.INVALID_RECORD);
  });

  it("lists offsets, deletes records and answers OffsetForLeaderEpoch", async () => {
    await createTopic("offs");
    const t0 = Date.now();
    for (let i = 0; i < 5; i++) {
      await produce(
        "offs",
        0,
        buildRecordBatch({ timestamp: t0 + i * 1000, records: [{ value: `r${i}` }] }),
      );
    }
    const list = (timestamp: bigint) => listOffsets("offs", timestamp, 7);
    expect((await list(-1n))?.offset).toBe(5n);
    expect((await list(-2n))?.offset).toBe(0n);
    expect((await list(BigInt(t0 + 2500)))?.offset).toBe(3n);
    expect((await list(BigInt(t0 + 99_000)))?.offset).toBe(-1n);

    const del = await call(ApiKey.DeleteRecords, 2, {
      topics: [{ name: "offs", partitions: [{ partitionIndex: 0, offset: 3n }] }],
      timeoutMs: 5000,
    });
    expect(del.topics[0]?.partitions[0]).toMatchObject({ lowWatermark: 3n, errorCode: 0 });
    expect((await list(-2n))?.offset).toBe(3n);

    const fetchOld = await call(ApiKey.Fetch, 11, {
      maxWaitMs: 0,
      minBytes: 0,
      maxBytes: 1 << 20,
      topics: [
        {
          topic: "offs",
          partitions: [{ partition: 0, fetchOffset: 1n, partitionMaxBytes: 1 << 20 }],
        },
      ],
    });
    expect(fetchOld.responses[0]?.partitions[0]?.errorCode).toBe(ErrorCode.OFFSET_OUT_OF_RANGE);

    const epoch = await call(ApiKey.OffsetForLeaderEpoch, 4, {
      topics: [
        { topic: "offs", partitions: [{ partition: 0, currentLeaderEpoch: 0, leaderEpoch: 0 }] },
      ],
    });
    expect(epoch.topics[0]?.partitions[0]).toMatchObject({ leaderEpoch: 0, endOffset: 5n });
  });

  it("ListOffsets v9 answers records for -3 and timestamps, the log start for -4, -1 for -5", async () => {
    await createTopic("stamps");
    const t0 = Date.now() - 60_000;
    // One batch with create times out of order: offsets 0-3 at t0 + 10, 40, 20, 30.
    await produce(
      "stamps",
      0,
      buildRecordBatch({
        records: [10, 40, 20, 30].map((d, i) => ({ value: `s${i}`, timestamp: t0 + d })),
      }),
    );
    const list = (timestamp: bigint) => listOffsets("stamps", timestamp, 9);
    expect(await list(-3n)).toMatchObject({ errorCode: 0, offset: 1n, timestamp: BigInt(t0 + 40) });
    expect(await list(BigInt(t0 + 15))).toMatchObject({ offset: 1n, timestamp: BigInt(t0 + 40) });
    expect(await list(-4n)).toMatchObject({ errorCode: 0, offset: 0n, timestamp: -1n });
    expect(await list(-5n)).toMatchObject({ errorCode: 0, offset: -1n, timestamp: -1n });
  });

  it("DeleteRecords on a compact-only topic is POLICY_VIOLATION and deletes nothing", async () => {
    await createTopic("compact-only", 1, [{ name: "cleanup.policy", value: "compact" }]);
    await produce("compact-only", 0, buildRecordBatch({ records: [{ key: "k", value: "v" }] }));
    const del = await call(ApiKey.DeleteRecords, 2, {
      topics: [{ name: "compact-only", partitions: [{ partitionIndex: 0, offset: 1n }] }],
      timeoutMs: 5000,
    });
    expect(del.topics[0]?.partitions[0]).toMatchObject({
      lowWatermark: -1n,
      errorCode: ErrorCode.POLICY_VIOLATION,
    });
    expect((await listOffsets("compact-only", -2n, 7))?.offset).toBe(0n);
  });

  it("hands out distinct producer ids and refuses transactional ones", async () => {
    const a = await call(ApiKey.InitProducerId, 4, {
      transactionalId: null,
      transactionTimeoutMs: 1000,
    });
    const b = await call(ApiKey.InitProducerId, 4, {
      transactionalId: null,
      transactionTimeoutMs: 1000,
    });
    expect(a.errorCode).toBe(ErrorCode.NONE);
    expect(a.producerId).not.toBe(b.producerId);
    const tx = await call(ApiKey.InitProducerId, 4, {
      transactionalId: "tx",
      transactionTimeoutMs: 1000,
    });
    expect(tx.errorCode).not.toBe(ErrorCode.NONE);
  });
});

describe("Metadata and DescribeCluster", () => {
  it("auto-creates requested topics unless the request forbids it", async () => {
    const auto = await call(ApiKey.Metadata, 12, {
      topics: [{ topicId: "00000000-0000-0000-0000-000000000000", name: "auto-made" }],
      allowAutoTopicCreation: true,
      includeTopicAuthorizedOperations: false,
    });
    expect(auto.topics[0]).toMatchObject({ errorCode: ErrorCode.NONE, name: "auto-made" });
    expect(auto.topics[0]?.partitions).toHaveLength(1);
    const no = await call(ApiKey.Metadata, 12, {
      topics: [{ topicId: "00000000-0000-0000-0000-000000000000", name: "not-made" }],
      allowAutoTopicCreation: false,
      includeTopicAuthorizedOperations: false,
    });
    expect(no.topics[0]?.errorCode).toBe(ErrorCode.UNKNOWN_TOPIC_OR_PARTITION);
    const internal = await call(ApiKey.Metadata, 12, {
      topics: [{ topicId: "00000000-0000-0000-0000-000000000000", name: "__internal" }],
      allowAutoTopicCreation: true,
      includeTopicAuthorizedOperations: false,
    });
    expect(internal.topics[0]?.errorCode).toBe(ErrorCode.UNKNOWN_TOPIC_OR_PARTITION);
  });

  it("lists every topic for v0's empty list and v1+'s null, with this broker as leader", async () => {
    const v0 = await call(ApiKey.Metadata, 0, { topics: [] });
    expect(v0.topics.map((t) => t.name)).toContain("auto-made");
    const v12 = await call(ApiKey.Metadata, 12, {
      topics: null,
      allowAutoTopicCreation: false,
      includeTopicAuthorizedOperations: false,
    });
    expect(v12.brokers).toEqual([{ nodeId: 0, host: "127.0.0.1", port: tb.port, rack: null }]);
    expect(v12.controllerId).toBe(0);
    const t = v12.topics.find((x) => x.name === "auto-made");
    expect(t?.partitions[0]).toMatchObject({ leaderId: 0, replicaNodes: [0], isrNodes: [0] });
    const byId = await call(ApiKey.Metadata, 12, {
      topics: [{ topicId: t?.topicId ?? "", name: null }],
      allowAutoTopicCreation: false,
      includeTopicAuthorizedOperations: false,
    });
    expect(byId.topics[0]?.name).toBe("auto-made");
  });

  it("describes the cluster", async () => {
    const res = await call(ApiKey.DescribeCluster, 1, {
      includeClusterAuthorizedOperations: false,
      endpointType: 1,
    });
    expect(res.clusterId).toBe(tb.broker.services.clusterId);
    expect(res.brokers).toEqual([{ brokerId: 0, host: "127.0.0.1", port: tb.port, rack: null }]);
  });
});

describe("admin HTTP listener", () => {
  it("serves healthz, readyz and Prometheus metrics", async () => {
    const admin = tb.broker.adminAddress();
    const base = `http://127.0.0.1:${admin?.port}`;
    expect((await fetch(`${base}/healthz`)).status).toBe(200);
    expect((await fetch(`${base}/readyz`)).status).toBe(200);
    const text = await (await fetch(`${base}/metrics`)).text();
    expect(text).toMatch(/sluice_requests_total\{api="Metadata"\} \d+/);
    expect(text).toMatch(/sluice_request_duration_seconds_count\{api="CreateTopics"\} \d+/);
    expect(text).toMatch(/sluice_bytes_in_total [1-9]/);
    expect(text).toMatch(/sluice_connections [1-9]/);
    expect(text).toMatch(/sluice_partitions [1-9]/);
    expect((await fetch(`${base}/nope`)).status).toBe(404);
  });
});

describe("log directories", () => {
  it("DescribeLogDirs lists the data dir with each partition's bytes, all or as asked", async () => {
    await createTopic("dirs", 2);
    await produce("dirs", 1, buildRecordBatch({ records: [{ value: "x".repeat(100) }] }));
    const all = await call(ApiKey.DescribeLogDirs, 4, { topics: null });
    expect(all.errorCode).toBe(0);
    expect(all.results).toHaveLength(1);
    const dir = all.results[0];
    expect(dir?.errorCode).toBe(0);
    expect(dir?.logDir.startsWith("/")).toBe(true);
    expect(dir?.totalBytes).toBeGreaterThan(0n);
    expect(dir?.usableBytes).toBeGreaterThan(0n);
    const dirs = dir?.topics.find((t) => t.name === "dirs");
    expect(dirs?.partitions.map((p) => p.partitionIndex)).toEqual([0, 1]);
    expect(dirs?.partitions[0]?.partitionSize).toBe(0n);
    expect(dirs?.partitions[1]?.partitionSize).toBeGreaterThan(100n);
    expect(dirs?.partitions[1]).toMatchObject({ offsetLag: 0n, isFutureKey: false });

    const some = await call(ApiKey.DescribeLogDirs, 1, {
      topics: [
        { topic: "dirs", partitions: [1, 7] },
        { topic: "no-such-topic", partitions: [0] },
      ],
    });
    // Partitions that do not exist are left out, as Kafka leaves them out.
    expect(some.results[0]?.topics).toEqual([
      { name: "dirs", partitions: [expect.objectContaining({ partitionIndex: 1 })] },
    ]);
  });

  it("AlterReplicaLogDirs: the data dir is where partitions are; other paths are not found", async () => {
    await createTopic("moves");
    const described = await call(ApiKey.DescribeLogDirs, 2, { topics: null });
    const logDir = described.results[0]?.logDir ?? "";
    const res = await call(ApiKey.AlterReplicaLogDirs, 2, {
      dirs: [
        { path: logDir, topics: [{ name: "moves", partitions: [0, 3] }] },
        { path: "/elsewhere", topics: [{ name: "moves", partitions: [0] }] },
      ],
    });
    expect(res.results).toEqual([
      {
        topicName: "moves",
        partitions: [
          { partitionIndex: 0, errorCode: ErrorCode.NONE },
          { partitionIndex: 3, errorCode: ErrorCode.REPLICA_NOT_AVAILABLE },
          { partitionIndex: 0, errorCode: ErrorCode.LOG_DIR_NOT_FOUND },
        ],
      },
    ]);
  });
});
