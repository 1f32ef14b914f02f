/**
 * Quota acceptance measurement (not a unit test; run by hand, ~35 s):
 *   npx tsx test/broker/tenancy/quota-throughput.ts [capMiBps=1]
 * A client capped at X MiB/s (producer_byte_rate on its client id) offers as much as it can for 20 s;
 * a second, unlimited client measures its solo throughput for 5 s, then again while the capped one
 * runs. Prints the capped client's rate against X and the neighbour's share of its solo rate.
 */
import { mkdtempSync, rmSync } from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { buildRecordBatch } from "../../../lib/broker/log";
import { decodeResponseFrame, encodeRequest, ApiKey as K } from "../../../lib/broker/protocol";
import { Broker } from "../../../lib/broker/server/broker";
import { resolveConfig } from "../../../lib/broker/server/config";
import { tenancyHandlers } from "../../../lib/broker/server/handlers";
import { memoryLogger } from "../../../lib/broker/server/logger";
import { TenancyExtension } from "../../../lib/broker/tenancy/tenancy-extension";
import { RawClient } from "../server/raw-client";

const MiB = 1024 * 1024;

async function producerLoop(
  port: number,
  clientId: string,
  topic: string,
  untilMs: number,
  batch: Buffer,
) {
  const raw = await RawClient.connect(port);
  let id = 0;
  let bytes = 0;
  let maxThrottle = 0;
  const acks: number[] = [];
  while (Date.now() < untilMs) {
    id++;
    raw.send(
      encodeRequest(K.Produce, 9, id, clientId, {
        transactionalId: null,
        acks: 1,
        timeoutMs: 30000,
        topicData: [{ name: topic, partitionData: [{ index: 0, records: batch }] }],
      }),
    );
    const frame = await raw.nextFrame(30_000);
    const r = decodeResponseFrame(K.Produce, 9, frame).body;
    if (r.responses[0]?.partitionResponses[0]?.errorCode !== 0) throw new Error("produce failed");
    // Count only what was acknowledged before the deadline.
    if (Date.now() <= untilMs) {
      bytes += batch.length;
      acks.push(Date.now());
    }
    maxThrottle = Math.max(maxThrottle, r.throttleTimeMs);
  }
  raw.socket.destroy();
  return { bytes, maxThrottle, acks };
}

async function main(): Promise<void> {
  const capMiB = Number(process.argv[2] ?? "1");
  const dataDir = mkdtempSync(path.join(os.tmpdir(), "sluice-quota-bench-"));
  const config = resolveConfig(
    {},
    { dataDir, listeners: "PLAINTEXT://127.0.0.1:0", flushPolicy: "never" },
  );
  const extension = new TenancyExtension({});
  const broker = await Broker.start({
    config,
    logger: memoryLogger(),
    extension,
    handlers: tenancyHandlers(),
  });
  const port = broker.advertised()[0]?.port ?? 0;
  try {
    const t = extension.tenancy;
    await t.quotaConfig.alter([
      {
        entity: { clientId: "capped" },
        ops: [{ key: "producer_byte_rate", value: capMiB * MiB, remove: false }],
      },
    ]);
    const batch = buildRecordBatch({
      records: Array.from({ length: 16 }, () => ({ value: Buffer.alloc(16 * 1024, 7) })),
    });
    // Topics via the wire (auto-create is on by default, but be explicit).
    const admin = await RawClient.connect(port);
    admin.send(
      encodeRequest(K.CreateTopics, 7, 1, "admin", {
        topics: ["capped.t", "free.t"].map((name) => ({
          name,
          numPartitions: 1,
          replicationFactor: 1,
          assignments: [],
          configs: [],
        })),
        timeoutMs: 5000,
        validateOnly: false,
      }),
    );
    await admin.nextFrame();
    admin.socket.destroy();

    const soloStart = Date.now();
    const solo = await producerLoop(port, "free", "free.t", soloStart + 5000, batch);
    const soloRate = solo.bytes / ((Date.now() - soloStart) / 1000);

    const start = Date.now();
    const capped = producerLoop(port, "capped", "capped.t", start + 20_000, batch);
    await new Promise((r) => setTimeout(r, 7_000));
    const nStart = Date.now();
    const neighbour = await producerLoop(port, "free", "free.t", nStart + 5000, batch);
    const neighbourRate = neighbour.bytes / ((Date.now() - nStart) / 1000);
    const c = await capped;
    const cappedRate = c.bytes / 20;
    const cap = capMiB * MiB;
    const lateBytes = c.acks.filter((at) => at >= start + 10_000).length * batch.length;
    const againStart = Date.now();
    const again = await producerLoop(port, "free", "free.t", againStart + 5000, batch);
    const soloAgain = again.bytes / ((Date.now() - againStart) / 1000);
    console.log(
      `capped client: ${(cappedRate / MiB).toFixed(3)} MiB/s over 20 s against a cap of ${capMiB} MiB/s (${((cappedRate / cap - 1) * 100).toFixed(1)} %), max throttle_time_ms ${c.maxThrottle}`,
    );
    console.log(`capped client, last 10 s only: ${(lateBytes / 10 / MiB).toFixed(3)} MiB/s`);
    console.log(`neighbour solo again afterwards: ${(soloAgain / MiB).toFixed(1)} MiB/s`);
    console.log(
      `neighbour: solo ${(soloRate / MiB).toFixed(1)} MiB/s, next to the capped client ${(neighbourRate / MiB).toFixed(1)} MiB/s (${((neighbourRate / soloRate) * 100).toFixed(0)} % of solo)`,
    );
  } finally {
    await broker.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

main().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});
