import { type ChildProcess, spawn } from "node:child_process";
import { rmSync, writeFileSync } from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { Kafka, logLevel } from "kafkajs";
import { afterAll, describe, expect, it } from "vitest";
import { tempDir } from "./test-broker";

const BIN = path.resolve(__dirname, "../../../bin/sluice-broker");

interface Running {
  child: ChildProcess;
  port: number;
  adminPort: number;
  pidLogged: number;
  stderr: () => string;
}

/** Starts bin/sluice-broker and waits for its "started" line. */
function startBin(args: string[]): Promise<Running> {
  // From another directory: the wrapper must not depend on the working directory (e.g. tsx).
  const child = spawn(BIN, args, { stdio: ["ignore", "pipe", "pipe"], cwd: os.tmpdir() });
  let err = "";
  child.stderr?.on("data", (d: Buffer) => {
    err += d.toString();
  });
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`broker did not start:\n${err}`)), 25_000);
    child.once("exit", (code) => {
      clearTimeout(timer);
      reject(new Error(`broker exited with ${code}:\n${err}`));
    });
    const check = () => {
      const started = /started \(node \d+, pid (\d+)/.exec(err);
      if (!started) return;
      child.stderr?.off("data", check);
      clearTimeout(timer);
      child.removeAllListeners("exit");
      resolve({
        child,
        port: Number(/PLAINTEXT:\/\/127\.0\.0\.1:(\d+)/.exec(err)?.[1]),
        adminPort: Number(/admin endpoints on http:\/\/[^:]+:(\d+)/.exec(err)?.[1] ?? 0),
        pidLogged: Number(started[1]),
        stderr: () => err,
      });
    };
    child.stderr?.on("data", check);
  });
}

/** Sends SIGTERM; resolves with the exit code and how long the exit took. */
function terminate(r: Running): Promise<{ code: number | null; ms: number }> {
  const t0 = Date.now();
  return new Promise((resolve) => {
    r.child.once("exit", (code) => resolve({ code, ms: Date.now() - t0 }));
    r.child.kill("SIGTERM");
  });
}

const dirs: string[] = [];
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

describe("bin/sluice-broker", () => {
  it("survives a restart without losing acknowledged records or committed offsets", async () => {
    const dataDir = tempDir();
    dirs.push(dataDir);
    const configFile = path.join(dataDir, "..", `${path.basename(dataDir)}.json`);
    dirs.push(configFile);
    writeFileSync(
      configFile,
      JSON.stringify({ numPartitions: 2, groups: { initialRebalanceDelayMs: 0 } }),
    );
    const args = [
      "--config",
      configFile,
      "--data-dir",
      dataDir,
      "--listeners",
      "PLAINTEXT://127.0.0.1:0",
      "--admin-listener",
      "127.0.0.1:0",
    ];
    const first = await startBin(args);
    // exec in the wrapper script: the PID we spawned is the broker's own.
    expect(first.pidLogged).toBe(first.child.pid);
    const ready = await fetch(`http://127.0.0.1:${first.adminPort}/readyz`);
    expect(ready.status).toBe(200);

    const total = 40;
    const kafka1 = new Kafka({ brokers: [`127.0.0.1:${first.port}`], logLevel: logLevel.NOTHING });
    const producer = kafka1.producer();
    await producer.connect();
    await producer.send({
      topic: "restart",
      acks: -1,
      messages: Array.from({ length: total }, (_, i) => ({ key: `k${i}`, value: `m${i}` })),
    });
    await producer.disconnect();
    // Consume and commit part of it.
    const admin1 = kafka1.admin();
    await admin1.connect();
    await admin1.setOffsets({
      groupId: "restart-group",
      topic: "restart",
      partitions: [
        { partition: 0, offset: "5" },
        { partition: 1, offset: "3" },
      ],
    });
    await admin1.disconnect();
    const metrics = await (await fetch(`http://127.0.0.1:${first.adminPort}/metrics`)).text();
    expect(metrics).toMatch(/sluice_requests_total\{api="Produce"\} [1-9]/);

    const stopped = await terminate(first);
    expect(stopped.code).toBe(0);
    expect(first.stderr()).toContain("broker stopped cleanly");

    const second = await startBin(args);
    try {
      const kafka2 = new Kafka({
        brokers: [`127.0.0.1:${second.port}`],
        logLevel: logLevel.NOTHING,
      });
      const admin2 = kafka2.admin();
      await admin2.connect();
      const committed = await admin2.fetchOffsets({
        groupId: "restart-group",
        topics: ["restart"],
      });
      const ends = await admin2.fetchTopicOffsets("restart");
      await admin2.disconnect();
      const byPartition = new Map(
        (committed[0]?.partitions ?? []).map((p) => [p.partition, p.offset]),
      );
      expect(byPartition.get(0)).toBe("5");
      expect(byPartition.get(1)).toBe("3");
      expect(ends.reduce((n, p) => n + Number(p.high), 0)).toBe(total);

      const consumer = kafka2.consumer({ groupId: "all-after-restart", maxWaitTimeInMs: 100 });
      await consumer.connect();
      await consumer.subscribe({ topic: "restart", fromBeginning: true });
      const seen = new Set<string>();
      await new Promise<void>((resolve) => {
        void consumer.run({
          eachMessage: async ({ message }) => {
            seen.add(message.value?.toString() ?? "");
            if (seen.size === total) resolve();
          },
        });
      });
      await consumer.disconnect();
      expect(seen.size).toBe(total);
    } finally {
      const s = await terminate(second);
      expect(s.code).toBe(0);
    }
  }, 90_000);
});
