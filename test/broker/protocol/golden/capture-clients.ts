// Captures request frames sent by real clients installed on the machine (kcat/librdkafka,
// kafka-python, confluent-kafka) into golden fixtures. A minimal in-process fake broker, built on
// our own codec, answers just enough (ApiVersions, Metadata, Produce, ListOffsets, Fetch,
// InitProducerId, CreateTopics, DeleteTopics, FindCoordinator) for the clients to proceed.
// Run by hand (needs those clients):  npx tsx test/broker/protocol/golden/capture-clients.ts
import { execFile } from "node:child_process";
import { writeFileSync } from "node:fs";
import { createServer, type Socket } from "node:net";
import { join } from "node:path";
import {
  ApiKey,
  apiVersionsList,
  concatChunks,
  decodeRequest,
  encodeApiVersionsFallback,
  encodeResponse,
  isSupportedVersion,
  readRequestHeader,
} from "../../../../lib/broker/protocol";

interface Captured {
  name: string;
  apiKey: number;
  version: number;
  hex: string;
}

const captured = new Map<string, Captured[]>();
let current = "none";
let port = 0;

function partitionMeta(name: string) {
  return {
    errorCode: 0,
    name,
    isInternal: false,
    partitions: [
      {
        errorCode: 0,
        partitionIndex: 0,
        leaderId: 1,
        leaderEpoch: 0,
        replicaNodes: [1],
        isrNodes: [1],
        offlineReplicas: [],
      },
    ],
  };
}

function answer(frame: Buffer): Buffer[] | null {
  const h = readRequestHeader(frame);
  const list = captured.get(current) ?? [];
  captured.set(current, list);
  const label = `${ApiKey[h.apiKey] ?? h.apiKey}-v${h.apiVersion}`;
  const size = Buffer.alloc(4);
  size.writeInt32BE(frame.length);
  list.push({
    name: label,
    apiKey: h.apiKey,
    version: h.apiVersion,
    hex: Buffer.concat([size, frame]).toString("hex"),
  });
  if (!isSupportedVersion(h.apiKey, h.apiVersion)) {
    if (h.apiKey === ApiKey.ApiVersions) return encodeApiVersionsFallback(h.correlationId);
    return null;
  }
  const v = h.apiVersion;
  const c = h.correlationId;
  switch (h.apiKey) {
    case ApiKey.ApiVersions:
      return encodeResponse(ApiKey.ApiVersions, v, c, {
        errorCode: 0,
        apiKeys: apiVersionsList(),
        throttleTimeMs: 0,
      });
    case ApiKey.Metadata: {
      const req = decodeRequest(ApiKey.Metadata, v, frame, h.bodyOffset);
      const names =
        req.topics === null || req.topics.length === 0
          ? ["t1"]
          : req.topics.map((t) => t.name ?? "t1");
      return encodeResponse(ApiKey.Metadata, v, c, {
        brokers: [{ nodeId: 1, host: "127.0.0.1", port, rack: null }],
        clusterId: "golden",
        controllerId: 1,
        topics: names.map(partitionMeta),
      });
    }
    case ApiKey.Produce: {
      const req = decodeRequest(ApiKey.Produce, v, frame, h.bodyOffset);
      if (req.acks === 0) return null;
      return encodeResponse(ApiKey.Produce, v, c, {
        responses: req.topicData.map((t) => ({
          name: t.name,
          partitionResponses: t.partitionData.map((p) => ({
            index: p.index,
            errorCode: 0,
            baseOffset: 0n,
          })),
        })),
      });
    }
    case ApiKey.InitProducerId:
      return encodeResponse(ApiKey.InitProducerId, v, c, {
        throttleTimeMs: 0,
        errorCode: 0,
        producerId: 1000n,
        producerEpoch: 0,
      });
    case ApiKey.ListOffsets: {
      const req = decodeRequest(ApiKey.ListOffsets, v, frame, h.bodyOffset);
      return encodeResponse(ApiKey.ListOffsets, v, c, {
        topics: req.topics.map((t) => ({
          name: t.name,
          partitions: t.partitions.map((p) => ({
            partitionIndex: p.partitionIndex,
            errorCode: 0,
            timestamp: -1n,
            offset: 0n,
          })),
        })),
      });
    }
    case ApiKey.Fetch: {
      const req = decodeRequest(ApiKey.Fetch, v, frame, h.bodyOffset);
      return encodeResponse(ApiKey.Fetch, v, c, {
        throttleTimeMs: 0,
        errorCode: 0,
        sessionId: 0,
        responses: req.topics.map((t) => ({
          topic: t.topic,
          partitions: t.partitions.map((p) => ({
            partitionIndex: p.partition,
            errorCode: 0,
            highWatermark: 0n,
            lastStableOffset: 0n,
            logStartOffset: 0n,
            abortedTransactions: null,
            records: Buffer.alloc(0),
          })),
        })),
      });
    }
    case ApiKey.CreateTopics: {
      const req = decodeRequest(ApiKey.CreateTopics, v, frame, h.bodyOffset);
      return encodeResponse(ApiKey.CreateTopics, v, c, {
        throttleTimeMs: 0,
        topics: req.topics.map((t) => ({ name: t.name, errorCode: 0, errorMessage: null })),
      });
    }
    case ApiKey.DeleteTopics: {
      const req = decodeRequest(ApiKey.DeleteTopics, v, frame, h.bodyOffset);
      return encodeResponse(ApiKey.DeleteTopics, v, c, {
        throttleTimeMs: 0,
        responses: [...req.topicNames, ...req.topics.map((t) => t.name ?? "")].map((name) => ({
          name,
          errorCode: 0,
        })),
      });
    }
    case ApiKey.OffsetForLeaderEpoch: {
      const req = decodeRequest(ApiKey.OffsetForLeaderEpoch, v, frame, h.bodyOffset);
      return encodeResponse(ApiKey.OffsetForLeaderEpoch, v, c, {
        throttleTimeMs: 0,
        topics: req.topics.map((t) => ({
          topic: t.topic,
          partitions: t.partitions.map((p) => ({
            errorCode: 0,
            partition: p.partition,
            leaderEpoch: 0,
            endOffset: 0n,
          })),
        })),
      });
    }
    case ApiKey.FindCoordinator:
      return encodeResponse(ApiKey.FindCoordinator, v, c, {
        errorCode: 0,
        errorMessage: null,
        nodeId: 1,
        host: "127.0.0.1",
        port,
        coordinators: [
          { key: "g1", nodeId: 1, host: "127.0.0.1", port, errorCode: 0, errorMessage: null },
        ],
      });
    default:
      return null;
  }
}

function serve(socket: Socket): void {
  let pending = Buffer.alloc(0);
  socket.on("data", (data) => {
    pending = Buffer.concat([pending, data]);
    while (pending.length >= 4) {
      const n = pending.readInt32BE(0);
      if (pending.length < 4 + n) break;
      const frame = Buffer.from(pending.subarray(4, 4 + n));
      pending = pending.subarray(4 + n);
      try {
        const out = answer(frame);
        if (out) socket.write(concatChunks(out));
      } catch (e) {
        console.error(`${current}: ${(e as Error).message}`);
        socket.destroy();
        return;
      }
    }
  });
  socket.on("error", () => undefined);
}

/** Runs one client to completion (asynchronously: the fake broker lives in this process). */
async function run(source: string, cmd: string, args: string[], input?: string): Promise<void> {
  current = source;
  await new Promise<void>((resolve) => {
    const child = execFile(
      cmd,
      args,
      { timeout: 60_000, maxBuffer: 1 << 24 },
      (err, _out, stderr) => {
        if (err)
          console.error(
            `${source}: ${cmd} ended with ${err.message.split("\n")[0]}\n${stderr.slice(0, 2000)}`,
          );
        resolve();
      },
    );
    child.stdin?.end(input ?? "");
  });
}

async function main(): Promise<void> {
  const server = createServer(serve);
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const address = server.address();
  port = typeof address === "object" && address ? address.port : 0;
  const broker = `127.0.0.1:${port}`;
  const rd = ["-b", broker, "-X", "client.id=golden"];

  // librdkafka through kcat, and through confluent-kafka's admin client
  await run("librdkafka", "kcat", [...rd, "-L"]);
  for (const codec of ["none", "gzip", "snappy", "lz4", "zstd"]) {
    await run(
      `librdkafka-produce-${codec}`,
      "kcat",
      [...rd, "-P", "-t", "t1", "-z", codec, "-X", "enable.idempotence=true"],
      // compressible, so librdkafka keeps the compressed batch (it sends small batches uncompressed)
      `${"compressible record ".repeat(20)}\n`.repeat(5),
    );
  }
  await run("librdkafka-consume", "kcat", [...rd, "-C", "-t", "t1", "-o", "beginning", "-e"]);
  const confluent = `
from confluent_kafka.admin import AdminClient, NewTopic
a = AdminClient({"bootstrap.servers": "${broker}", "client.id": "golden"})
for f in a.create_topics([NewTopic("t2", 3, 1, config={"cleanup.policy": "compact"})]).values(): f.result(10)
for f in a.delete_topics(["t2"]).values(): f.result(10)
`;
  await run("librdkafka-admin", "/usr/bin/python3", ["-c", confluent]);
  const kafkaPython = `
from kafka import KafkaProducer
from kafka.admin import KafkaAdminClient, NewTopic
p = KafkaProducer(bootstrap_servers="${broker}", client_id="golden", linger_ms=0)
p.send("t1", key=b"k", value=b'{"a": 1}').get(timeout=10)
p.close()
a = KafkaAdminClient(bootstrap_servers="${broker}", client_id="golden")
a.create_topics([NewTopic("t2", 3, 1)])
a.delete_topics(["t2"])
a.close()
`;
  await run("kafka-python", "/usr/bin/python3", ["-c", kafkaPython]);
  // The Java client (strictest parser), if a kafka-clients classpath is available.
  const javaLibs =
    process.env["SLUICE_JAVA_CLIENT_LIBS"] ?? "/root/.cache/sluice/java-client-4.3.1/libs";
  for (const step of ["producer", "consumer", "admin"]) {
    await run(`java-${step}`, "java", [
      "-cp",
      `${javaLibs}/*`,
      join(__dirname, "CaptureJava.java"),
      broker,
      step,
    ]);
  }
  server.close();

  // One fixture file per client library; the first frame of each (API, version) per run.
  const byFile: Record<string, Captured[]> = { librdkafka: [], "kafka-python": [], java: [] };
  for (const [source, frames] of captured) {
    const file = source.startsWith("librdkafka")
      ? "librdkafka"
      : source.startsWith("java")
        ? "java"
        : "kafka-python";
    const seen = new Set<string>();
    for (const f of frames) {
      if (seen.has(f.name)) continue;
      seen.add(f.name);
      byFile[file]?.push({ ...f, name: `${source}/${f.name}` });
    }
  }
  for (const [file, frames] of Object.entries(byFile)) {
    const out = { source: `${file} (captured by capture-clients.ts)`, frames };
    writeFileSync(join(__dirname, `${file}.json`), `${JSON.stringify(out, null, 1)}\n`);
    console.log(`${file}: ${frames.length} frames`);
  }
}

void main();
