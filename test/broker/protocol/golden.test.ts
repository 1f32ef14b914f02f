import { describe, expect, it } from "vitest";
import {
  ApiKey,
  compileMessage,
  decodeRequest,
  encodeRequest,
  MESSAGE_SCHEMAS,
  Reader,
  readRequestHeader,
} from "../../../lib/broker/protocol";
import { GOLDEN_SOURCES, type GoldenSource, loadGolden } from "./golden-corpus";

/**
 * Client quirks: bytes these clients write that the version does not define (Kafka ignores what
 * follows the fields it knows). Value = number of extra bytes.
 */
const EXTRA_BYTES: Record<string, number> = {
  // writes include_cluster_authorized_operations, which exists only in v8-10
  "platformatic/metadata-v11": 1,
  // writes include_documentation, which exists only from v3
  "platformatic/describeConfigs-v2": 1,
  // writes the top-level tagged-field section twice
  "platformatic/alterUserScramCredentials-v0": 1,
};

function decodeFrame(hex: string) {
  const frame = Buffer.from(hex, "hex");
  expect(frame.readInt32BE(0)).toBe(frame.length - 4);
  const body = frame.subarray(4);
  const header = readRequestHeader(body);
  const schema = MESSAGE_SCHEMAS[header.apiKey as ApiKey].request;
  const r = new Reader(body, header.bodyOffset);
  const value = compileMessage(schema, header.apiVersion).decode(r);
  return { frame, header, value, remaining: r.remaining };
}

for (const source of GOLDEN_SOURCES) {
  describe(`golden ${source} requests decode and re-encode byte for byte`, () => {
    for (const g of loadGolden(source)) {
      it(g.name, () => {
        const { frame, header, value, remaining } = decodeFrame(g.hex);
        expect(header.apiKey).toBe(g.apiKey);
        expect(header.apiVersion).toBe(g.version);
        expect(header.clientId).toBe("golden");
        const extra = EXTRA_BYTES[`${source}/${g.name}`] ?? 0;
        const again = encodeRequest(
          header.apiKey as ApiKey,
          header.apiVersion,
          header.correlationId,
          header.clientId,
          value as never,
        );
        if (extra === 0) {
          expect(remaining).toBe(0);
          expect(again.toString("hex")).toBe(frame.toString("hex"));
        } else {
          expect(again.length).toBe(frame.length - extra);
        }
      });
    }
  });
}

function golden(source: GoldenSource, name: string) {
  const g = loadGolden(source).find((x) => x.name === name);
  if (g === undefined) throw new Error(`no golden frame ${source}/${name}`);
  const body = Buffer.from(g.hex, "hex").subarray(4);
  return { body, header: readRequestHeader(body) };
}

describe("golden requests decode to the values the client sent", () => {
  it("kafkajs Produce v7: one partition with a magic-2 record batch, untouched", () => {
    const { body, header } = golden("kafkajs", "produce-v7");
    const req = decodeRequest(ApiKey.Produce, 7, body, header.bodyOffset);
    expect(req).toMatchObject({ transactionalId: null, acks: -1, timeoutMs: 30000 });
    const records = req.topicData[0]?.partitionData[0]?.records;
    expect(req.topicData[0]?.name).toBe("t1");
    expect(records).toBeInstanceOf(Buffer);
    expect(records?.readBigInt64BE(0)).toBe(0n); // baseOffset
    expect(records?.readInt32BE(8)).toBe((records?.length ?? 0) - 12); // batchLength
    expect(records?.[16]).toBe(2); // magic
    expect(records?.readInt32BE(57)).toBe(2); // record count
  });

  it("kafkajs Produce v5 carries the transactional id", () => {
    const { body, header } = golden("kafkajs", "produce-v5");
    expect(decodeRequest(ApiKey.Produce, 5, body, header.bodyOffset).transactionalId).toBe("tx");
  });

  it("kafkajs Fetch v11: offsets, sizes, isolation level and rack", () => {
    const { body, header } = golden("kafkajs", "fetch-v11");
    const req = decodeRequest(ApiKey.Fetch, 11, body, header.bodyOffset);
    expect(req).toMatchObject({
      replicaId: -1,
      maxWaitMs: 500,
      minBytes: 1,
      maxBytes: 10485760,
      isolationLevel: 1,
      sessionId: 0,
      sessionEpoch: -1,
      rackId: "r1",
    });
    expect(req.topics[0]?.topic).toBe("t1");
    expect(req.topics[0]?.partitions[0]).toMatchObject({
      partition: 0,
      currentLeaderEpoch: -1,
      fetchOffset: 42n,
      logStartOffset: -1n,
      partitionMaxBytes: 1048576,
    });
  });

  it("platformatic Fetch v12 (flexible)", () => {
    const { body, header } = golden("platformatic", "fetch-v12");
    const req = decodeRequest(ApiKey.Fetch, 12, body, header.bodyOffset);
    expect(req.topics[0]?.topic).toBe("t1");
    expect(req.topics[0]?.partitions[0]?.fetchOffset).toBe(42n);
    expect(req.topics[0]?.partitions[0]?.lastFetchedEpoch).toBe(-1);
  });

  it("kafkajs Metadata v0 and v4 list topics; v4 allows auto-creation", () => {
    const v0 = golden("kafkajs", "metadata-v0");
    expect(decodeRequest(ApiKey.Metadata, 0, v0.body, v0.header.bodyOffset).topics).toEqual([
      { topicId: "00000000-0000-0000-0000-000000000000", name: "t1" },
      { topicId: "00000000-0000-0000-0000-000000000000", name: "t2" },
    ]);
    const v4 = golden("kafkajs", "metadata-v4");
    const req = decodeRequest(ApiKey.Metadata, 4, v4.body, v4.header.bodyOffset);
    expect(req.allowAutoTopicCreation).toBe(true);
    expect(req.topics?.map((t) => t.name)).toEqual(["t1", "t2"]);
  });

  it("kafkajs Metadata v1 with no topics asks for all topics (null)", () => {
    const { body, header } = golden("kafkajs", "metadata-v1-all");
    expect(decodeRequest(ApiKey.Metadata, 1, body, header.bodyOffset).topics).toBeNull();
  });

  it("platformatic ApiVersions v3 names the client software", () => {
    const { body, header } = golden("platformatic", "apiVersions-v3");
    expect(header.bodyOffset).toBeGreaterThan(0);
    expect(decodeRequest(ApiKey.ApiVersions, 3, body, header.bodyOffset)).toEqual({
      clientSoftwareName: "golden",
      clientSoftwareVersion: "1.0.0",
    });
  });

  it("kafkajs JoinGroup v5 and SyncGroup v3 carry protocol metadata and assignments as bytes", () => {
    const j = golden("kafkajs", "joinGroup-v5");
    const join = decodeRequest(ApiKey.JoinGroup, 5, j.body, j.header.bodyOffset);
    expect(join).toMatchObject({
      groupId: "g1",
      sessionTimeoutMs: 30000,
      rebalanceTimeoutMs: 60000,
      memberId: "",
      groupInstanceId: null,
      protocolType: "consumer",
    });
    expect(join.protocols[0]?.name).toBe("RoundRobinAssigner");
    expect(join.protocols[0]?.metadata).toEqual(Buffer.from([0, 1, 0, 0]));
    const s = golden("kafkajs", "syncGroup-v3");
    const sync = decodeRequest(ApiKey.SyncGroup, 3, s.body, s.header.bodyOffset);
    expect(sync.assignments).toEqual([{ memberId: "m1", assignment: Buffer.from([0, 1, 2]) }]);
  });

  it("kafkajs OffsetCommit v2 and platformatic OffsetCommit v8 carry offset and metadata", () => {
    const a = golden("kafkajs", "offsetCommit-v2");
    const v2 = decodeRequest(ApiKey.OffsetCommit, 2, a.body, a.header.bodyOffset);
    expect(v2).toMatchObject({ groupId: "g1", generationIdOrMemberEpoch: 3, memberId: "m1" });
    expect(v2.retentionTimeMs).toBe(-1n);
    expect(v2.topics[0]?.partitions[0]).toMatchObject({
      partitionIndex: 0,
      committedOffset: 17n,
      committedMetadata: "meta",
    });
    const b = golden("platformatic", "offsetCommit-v8");
    const v8 = decodeRequest(ApiKey.OffsetCommit, 8, b.body, b.header.bodyOffset);
    expect(v8.topics[0]?.partitions[0]?.committedOffset).toBe(17n);
  });

  it("platformatic OffsetFetch v8 batches groups", () => {
    const { body, header } = golden("platformatic", "offsetFetch-v8");
    const req = decodeRequest(ApiKey.OffsetFetch, 8, body, header.bodyOffset);
    expect(req.groups[0]?.groupId).toBe("g1");
    expect(req.groups[0]?.topics?.[0]?.partitionIndexes).toEqual([0, 1]);
  });

  it("kafkajs CreateTopics v3 and platformatic v7 carry partitions and configs", () => {
    for (const [source, name, v] of [
      ["kafkajs", "createTopics-v3", 3],
      ["platformatic", "createTopics-v7", 7],
    ] as const) {
      const { body, header } = golden(source, name);
      const req = decodeRequest(ApiKey.CreateTopics, v, body, header.bodyOffset);
      expect(req.topics[0]).toMatchObject({ name: "t1", numPartitions: 3, replicationFactor: 1 });
      expect(req.topics[0]?.configs).toEqual([{ name: "cleanup.policy", value: "compact" }]);
      expect(req.validateOnly).toBe(false);
    }
  });

  it("kafkajs SaslAuthenticate v1 carries the token", () => {
    const { body, header } = golden("kafkajs", "saslAuthenticate-v1");
    const req = decodeRequest(ApiKey.SaslAuthenticate, 1, body, header.bodyOffset);
    expect(req.authBytes.toString("latin1")).toBe("\0user\0pass");
  });

  it("platformatic AlterClientQuotas v1 carries a float64 quota", () => {
    const { body, header } = golden("platformatic", "alterClientQuotas-v1");
    const req = decodeRequest(ApiKey.AlterClientQuotas, 1, body, header.bodyOffset);
    expect(req.entries[0]?.entity).toEqual([{ entityType: "user", entityName: "alice" }]);
    expect(req.entries[0]?.ops).toEqual([
      { key: "producer_byte_rate", value: 1024, remove: false },
    ]);
  });

  it("librdkafka (kcat) Produce v7 batches carry each compression codec and the idempotent producer id", () => {
    const codecs = ["none", "gzip", "snappy", "lz4", "zstd"];
    codecs.forEach((codec, id) => {
      const { body, header } = golden("librdkafka", `librdkafka-produce-${codec}/Produce-v7`);
      const req = decodeRequest(ApiKey.Produce, 7, body, header.bodyOffset);
      expect(req.acks).toBe(-1);
      const batch = req.topicData[0]?.partitionData[0]?.records;
      expect(req.topicData[0]?.name).toBe("t1");
      expect(batch?.[16]).toBe(2); // magic
      expect((batch?.readInt16BE(21) ?? -1) & 0x07).toBe(id); // attributes: compression codec
      expect(batch?.readBigInt64BE(43)).toBe(1000n); // producerId from our InitProducerId answer
    });
  });

  it("librdkafka InitProducerId v4, ListOffsets v2 and Fetch v11", () => {
    const i = golden("librdkafka", "librdkafka-produce-gzip/InitProducerId-v4");
    const init = decodeRequest(ApiKey.InitProducerId, 4, i.body, i.header.bodyOffset);
    expect(init).toMatchObject({ transactionalId: null, producerId: -1n, producerEpoch: -1 });
    const l = golden("librdkafka", "librdkafka-consume/ListOffsets-v2");
    const list = decodeRequest(ApiKey.ListOffsets, 2, l.body, l.header.bodyOffset);
    expect(list.topics[0]?.partitions[0]?.timestamp).toBe(-2n); // earliest ("-o beginning")
    const f = golden("librdkafka", "librdkafka-consume/Fetch-v11");
    const fetch = decodeRequest(ApiKey.Fetch, 11, f.body, f.header.bodyOffset);
    expect(fetch.topics[0]?.topic).toBe("t1");
    expect(fetch.topics[0]?.partitions[0]?.fetchOffset).toBe(0n);
  });

  it("confluent-kafka CreateTopics v4 carries partitions and configs", () => {
    const { body, header } = golden("librdkafka", "librdkafka-admin/CreateTopics-v4");
    const req = decodeRequest(ApiKey.CreateTopics, 4, body, header.bodyOffset);
    expect(req.topics[0]).toMatchObject({ name: "t2", numPartitions: 3, replicationFactor: 1 });
    expect(req.topics[0]?.configs).toEqual([{ name: "cleanup.policy", value: "compact" }]);
  });

  it("kafka-python starts with ApiVersions v0 and Metadata v0, then produces with v7", () => {
    const frames = loadGolden("kafka-python").map((g) => g.name);
    expect(frames.slice(0, 2)).toEqual(["kafka-python/ApiVersions-v0", "kafka-python/Metadata-v0"]);
    const { body, header } = golden("kafka-python", "kafka-python/Produce-v7");
    const req = decodeRequest(ApiKey.Produce, 7, body, header.bodyOffset);
    expect(req.topicData[0]?.partitionData[0]?.records?.[16]).toBe(2);
  });

  it("Java producer (defaults: idempotent, acks=all) sends Produce v11 with a zstd batch", () => {
    const { body, header } = golden("java", "java-producer/Produce-v11");
    const req = decodeRequest(ApiKey.Produce, 11, body, header.bodyOffset);
    expect(req).toMatchObject({ transactionalId: null, acks: -1 });
    const batch = req.topicData[0]?.partitionData[0]?.records;
    expect((batch?.readInt16BE(21) ?? -1) & 0x07).toBe(4); // zstd
    expect(batch?.readBigInt64BE(43)).toBe(1000n); // producerId from InitProducerId
    const i = golden("java", "java-producer/InitProducerId-v5");
    expect(decodeRequest(ApiKey.InitProducerId, 5, i.body, i.header.bodyOffset)).toMatchObject({
      transactionalId: null,
      producerId: -1n,
      producerEpoch: -1,
    });
  });

  it("Java consumer: Metadata v12, ListOffsets v9 (earliest) and Fetch v12", () => {
    const m = golden("java", "java-consumer/Metadata-v12");
    const meta = decodeRequest(ApiKey.Metadata, 12, m.body, m.header.bodyOffset);
    expect(meta.topics?.map((t) => t.name)).toEqual(["t1"]);
    const l = golden("java", "java-consumer/ListOffsets-v9");
    const list = decodeRequest(ApiKey.ListOffsets, 9, l.body, l.header.bodyOffset);
    expect(list.topics[0]?.partitions[0]?.timestamp).toBe(-2n);
    const f = golden("java", "java-consumer/Fetch-v12");
    const fetch = decodeRequest(ApiKey.Fetch, 12, f.body, f.header.bodyOffset);
    expect(fetch.topics[0]?.topic).toBe("t1");
    expect(fetch.topics[0]?.partitions[0]?.fetchOffset).toBe(0n);
  });

  it("Java AdminClient CreateTopics v7 carries configs", () => {
    const { body, header } = golden("java", "java-admin/CreateTopics-v7");
    const req = decodeRequest(ApiKey.CreateTopics, 7, body, header.bodyOffset);
    expect(req.topics[0]).toMatchObject({ name: "t2", numPartitions: 3, replicationFactor: 1 });
    expect(req.topics[0]?.configs).toEqual([{ name: "cleanup.policy", value: "compact" }]);
  });
});
