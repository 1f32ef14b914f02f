import {
  closeSync,
  mkdtempSync,
  openSync,
  readdirSync,
  readSync,
  rmSync,
  writeSync,
} from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { buildRecordBatch } from "../../../lib/broker/log";

/** A fresh temporary directory and its cleanup. */
export function tempDir(prefix = "sluice-log-"): { dir: string; cleanup: () => void } {
  const dir = mkdtempSync(path.join(tmpdir(), prefix));
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

/** A batch of `n` small keyed records. */
export function batchOf(
  n: number,
  opts: { key?: string; ts?: number; value?: string; size?: number } = {},
): Buffer {
  const pad = opts.size ? "p".repeat(opts.size) : "";
  return buildRecordBatch({
    timestamp: opts.ts ?? 1_700_000_000_000,
    records: Array.from({ length: n }, (_, i) => ({
      key: opts.key ?? `k${i}`,
      value: `${opts.value ?? "v"}${i}${pad}`,
    })),
  });
}

/** An idempotent producer's batch. */
export function idempotentBatch(producerId: number, epoch: number, seq: number, n = 1): Buffer {
  return buildRecordBatch({
    producerId,
    producerEpoch: epoch,
    baseSequence: seq,
    timestamp: 1_700_000_000_000,
    records: Array.from({ length: n }, (_, i) => ({ key: `k${i}`, value: `s${seq + i}` })),
  });
}

/** Base offset of a stored batch. */
export function baseOffsetOf(batch: Buffer): number {
  return Number(batch.readBigInt64BE(0));
}

/** Writes `bytes` over `file` at `position`. */
export function overwrite(file: string, position: number, bytes: Buffer): void {
  const fd = openSync(file, "r+");
  try {
    writeSync(fd, bytes, 0, bytes.length, position);
  } finally {
    closeSync(fd);
  }
}

/** Flips one bit of the byte at `position` (disk damage). */
export function flipBit(file: string, position: number): void {
  const fd = openSync(file, "r+");
  try {
    const b = Buffer.alloc(1);
    readSync(fd, b, 0, 1, position);
    b[0] = (b[0] ?? 0) ^ 0x10;
    writeSync(fd, b, 0, 1, position);
  } finally {
    closeSync(fd);
  }
}

/** The segment files (`<base>.log`) of a partition directory, oldest first. */
export function segmentFiles(partitionDir: string): string[] {
  return readdirSync(partitionDir)
    .filter((n) => n.endsWith(".log"))
    .sort()
    .map((n) => path.join(partitionDir, n));
}
