/**
 * A failing disk under the log: fdatasync of segment files fails (an injected EIO, since nothing
 * here can make a real file system fail fsync on demand, and root ignores permissions). The
 * failure is logged once per file, counted, and takes the partition offline for writes instead of
 * acknowledging data it could not make durable; a restart recovers from disk.
 */
import { existsSync } from "node:fs";
import * as path from "node:path";
import { Kafka, logLevel } from "kafkajs";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { LogError, LogManager } from "../../../lib/broker/log";
import type * as FsIo from "../../../lib/broker/log/fs-io";
import { CLEAN_SHUTDOWN_MARKER } from "../../../lib/broker/log/log-manager";
import { startTestBroker, type TestBroker } from "../server/test-broker";
import { batchOf, tempDir } from "./helpers";

const fault = vi.hoisted(() => ({ failing: false, attempts: 0 }));

vi.mock("../../../lib/broker/log/fs-io", async (importOriginal) => {
  const real = await importOriginal<typeof FsIo>();
  return {
    ...real,
    fdatasync: (fd: number): Promise<void> => {
      if (!fault.failing) return real.fdatasync(fd);
      fault.attempts++;
      const err: NodeJS.ErrnoException = new Error("EIO: i/o error, fdatasync");
      err.code = "EIO";
      return Promise.reject(err);
    },
  };
});

beforeEach(() => {
  fault.failing = false;
  fault.attempts = 0;
});

describe("fsync failures in the log engine", () => {
  let dir: { dir: string; cleanup: () => void };
  let warnings: string[];
  const open = () =>
    LogManager.open({
      dataDir: dir.dir,
      maintenanceIntervalMs: 0,
      onWarning: (m) => warnings.push(m),
    });

  beforeEach(() => {
    dir = tempDir();
    warnings = [];
  });
  afterEach(() => dir.cleanup());

  it("takes the partition offline for writes after a failed background fsync, logs it once per file and counts each", async () => {
    const logs = await open();
    // flush.ms 0: every maintenance round fsyncs what acks=1 appends left unflushed.
    const log = await logs.create("orders", 0, { flushMs: 0 });
    const other = await logs.create("orders", 1, { flushMs: 0 });
    await log.append(batchOf(3), { requireFsync: false });
    fault.failing = true;
    await log.maintain();
    expect(fault.attempts).toBe(1);
    expect(log.offlineForWrites).toMatch(/fsync of .*00000000000000000000\.log failed: EIO/);

    const refused = log.append(batchOf(1), { requireFsync: true });
    await expect(refused).rejects.toBeInstanceOf(LogError);
    await expect(refused).rejects.toMatchObject({ errorCode: 56 });
    await expect(refused).rejects.toThrow(
      /orders-0 takes no writes until the broker restarts: fsync of .* failed: EIO/,
    );
    await expect(log.append(batchOf(1), { requireFsync: false })).rejects.toMatchObject({
      errorCode: 56,
    });
    // No retry of a pointless fsync, no second log line; the count is what was attempted.
    await log.maintain();
    await log.maintain();
    expect(fault.attempts).toBe(1);
    expect(logs.failedFsyncs).toBe(1);
    expect(warnings.filter((w) => w.includes("fsync of"))).toHaveLength(1);
    expect(logs.partitionsOfflineForWrites).toBe(1);
    // What was acknowledged before is still served; the neighbour partition still writes.
    const read = await log.read(0, 1 << 20);
    expect(read.records.length).toBeGreaterThan(0);
    fault.failing = false;
    await other.append(batchOf(2), { requireFsync: true });
    expect(other.offlineForWrites).toBeUndefined();
    expect(log.highWatermark).toBe(3);
  });

  it("fails an acks=all append whose fsync fails, counts every failed fsync, logs each file once", async () => {
    const logs = await open();
    const a = await logs.create("pay", 0);
    const b = await logs.create("pay", 1);
    fault.failing = true;
    await expect(a.append(batchOf(1), { requireFsync: true })).rejects.toThrow(
      /fsync failed: .*EIO/,
    );
    await expect(b.append(batchOf(1), { requireFsync: true })).rejects.toMatchObject({
      errorCode: 56,
    });
    // Refused before any write: nothing more reaches the disk, no more fsyncs are tried.
    const attempts = fault.attempts;
    await expect(a.append(batchOf(1), { requireFsync: true })).rejects.toThrow(/takes no writes/);
    expect(fault.attempts).toBe(attempts);
    expect(a.highWatermark).toBe(1);
    expect(logs.failedFsyncs).toBe(2);
    expect(logs.partitionsOfflineForWrites).toBe(2);
    const logged = warnings.filter((w) => w.includes("fsync of"));
    expect(logged).toHaveLength(2);
    expect(logged.some((w) => w.startsWith("pay-0:"))).toBe(true);
    expect(logged.some((w) => w.startsWith("pay-1:"))).toBe(true);
  });

  it("shuts down without the clean marker after a failed fsync; the next start recovers and takes writes", async () => {
    const logs = await open();
    const log = await logs.create("orders", 0);
    await log.append(batchOf(2), { requireFsync: true });
    fault.failing = true;
    await expect(log.append(batchOf(1), { requireFsync: true })).rejects.toMatchObject({
      errorCode: 56,
    });
    await logs.close();
    expect(existsSync(path.join(dir.dir, CLEAN_SHUTDOWN_MARKER))).toBe(false);
    expect(warnings.some((w) => /log shutdown not clean .*1 offline/.test(w))).toBe(true);

    fault.failing = false;
    const again = await open();
    expect(again.openReport.clean).toBe(false);
    const reopened = again.get("orders", 0);
    expect(reopened?.offlineForWrites).toBeUndefined();
    await reopened?.append(batchOf(1), { requireFsync: true });
    // The two durable records, the one whose fsync failed (it reached the file), and the new one.
    expect(reopened?.highWatermark).toBe(4);
    await again.close();
    expect(existsSync(path.join(dir.dir, CLEAN_SHUTDOWN_MARKER))).toBe(true);
  });
});

describe("fsync failures seen by a client and in /metrics", () => {
  let tb: TestBroker;

  beforeEach(async () => {
    // flushPolicy never: acks=all does not wait for fsync, so only the background flush meets
    // the fault — the case that was swallowed before.
    tb = await startTestBroker({
      adminListener: "127.0.0.1:0",
      flushPolicy: "never",
      log: { flushMs: 0 },
    });
  });
  afterEach(async () => {
    fault.failing = false;
    await tb.destroy();
  });

  it("answers KAFKA_STORAGE_ERROR to acks=all producers of the partition and counts the failure", async () => {
    const kafka = new Kafka({
      clientId: "fsync-failure",
      brokers: [tb.bootstrap],
      logLevel: logLevel.NOTHING,
      retry: { retries: 0 },
    });
    const admin = kafka.admin();
    const producer = kafka.producer({ retry: { retries: 0 } });
    await admin.connect();
    await producer.connect();
    try {
      await admin.createTopics({ topics: [{ topic: "disk", numPartitions: 2 }] });
      await producer.send({ topic: "disk", acks: -1, messages: [{ value: "ok", partition: 0 }] });
      fault.failing = true;
      await producer.send({
        topic: "disk",
        acks: -1,
        messages: [{ value: "lost?", partition: 0 }],
      });
      // The broker's maintenance round (every second) meets the fault in the background.
      await vi.waitFor(() => expect(fault.attempts).toBeGreaterThan(0), { timeout: 10_000 });
      await expect(
        producer.send({ topic: "disk", acks: -1, messages: [{ value: "x", partition: 0 }] }),
      ).rejects.toMatchObject({ cause: { type: "KAFKA_STORAGE_ERROR", code: 56 } });
      fault.failing = false;
      // The other partition still takes writes.
      await producer.send({ topic: "disk", acks: -1, messages: [{ value: "y", partition: 1 }] });

      const http = tb.broker.adminAddress();
      const text = await (await fetch(`http://127.0.0.1:${http?.port}/metrics`)).text();
      expect(text).toMatch(/^sluice_log_fsync_failures_total [1-9]\d*$/m);
      expect(text).toMatch(/^sluice_log_partitions_offline_for_writes 1$/m);
      const logged = tb.logLines.filter((l) => l.includes("fsync of"));
      expect(logged).toHaveLength(1);
      expect(logged[0]).toMatch(/disk-0: fsync of .* failed: EIO/);
    } finally {
      await producer.disconnect();
      await admin.disconnect();
    }
  });
});
