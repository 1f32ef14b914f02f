import { mkdtempSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { segmentFileName } from "../../../lib/broker/log/log-segment";
import {
  restoreProducerState,
  writeProducerSnapshot,
} from "../../../lib/broker/log/producer-snapshots";
import { ProducerState } from "../../../lib/broker/log/producer-state";

let dir: string;

afterEach(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

/** Producer 7 (epoch 0) wrote one batch covering `offset`. */
function stateAt(offset: number): ProducerState {
  const s = new ProducerState();
  s.record(7, 0, { firstSeq: offset, lastSeq: offset, firstOffset: offset, lastOffset: offset });
  return s;
}

function restore(producers: ProducerState, endOffset: number, warnings: string[] = []) {
  return restoreProducerState({
    dir,
    producers,
    startOffset: 0,
    endOffset,
    segments: [],
    seen: new Map(),
    onWarning: (m) => warnings.push(m),
  });
}

describe("producer snapshots", () => {
  it("keeps the two newest snapshots and restores from the newest at or below the log end", async () => {
    dir = mkdtempSync(path.join(os.tmpdir(), "sluice-snapshots-"));
    for (const at of [10, 20, 30]) await writeProducerSnapshot(dir, stateAt(at - 1), at);
    expect(readdirSync(dir).sort()).toEqual([
      segmentFileName(20, ".snapshot"),
      segmentFileName(30, ".snapshot"),
    ]);
    // The log was truncated to 25: snapshot 30 describes offsets that no longer exist.
    const producers = new ProducerState();
    expect(await restore(producers, 25)).toBe(0);
    expect(producers.get(7)?.batches.map((b) => b.lastOffset)).toEqual([19]);
    expect(readdirSync(dir)).toEqual([segmentFileName(20, ".snapshot")]);
  });

  it("warns about an unreadable snapshot and falls back to an older one", async () => {
    dir = mkdtempSync(path.join(os.tmpdir(), "sluice-snapshots-"));
    await writeProducerSnapshot(dir, stateAt(9), 10);
    await writeProducerSnapshot(dir, stateAt(19), 20);
    writeFileSync(path.join(dir, segmentFileName(20, ".snapshot")), "{damaged");
    const warnings: string[] = [];
    const producers = new ProducerState();
    await restore(producers, 20, warnings);
    expect(producers.get(7)?.batches.map((b) => b.lastOffset)).toEqual([9]);
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatch(/00000000000000000020\.snapshot is unreadable/);
  });
});
