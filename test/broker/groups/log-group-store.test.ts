import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { GroupCoordinator } from "../../../lib/broker/groups/group-coordinator";
import { CONSUMER_OFFSETS_TOPIC, LogGroupStore } from "../../../lib/broker/groups/log-group-store";
import { LogManager } from "../../../lib/broker/log";
import { FakeClock } from "./fake-clock";
import { stableSingle, TEST_CONFIG } from "./helpers";

const dirs: string[] = [];
afterEach(async () => {
  for (const d of dirs.splice(0)) await rm(d, { recursive: true, force: true });
});

async function tempDir(): Promise<string> {
  const d = await mkdtemp(path.join(tmpdir(), "sluice-groups-"));
  dirs.push(d);
  return d;
}

const commitOne = (groupId: string, topic: string, partition: number, offset: number) => ({
  groupId,
  generationId: -1,
  memberId: "",
  groupInstanceId: null,
  retentionTimeMs: -1,
  topics: [
    {
      name: topic,
      partitions: [
        {
          partitionIndex: partition,
          committedOffset: offset,
          committedLeaderEpoch: 0,
          committedMetadata: `meta-${offset}`,
        },
      ],
    },
  ],
});

describe("LogGroupStore", () => {
  it("creates __consumer_offsets partition 0 as a compacted topic", async () => {
    const dataDir = await tempDir();
    const logs = await LogManager.open({ dataDir });
    await LogGroupStore.open(logs);
    expect(logs.get(CONSUMER_OFFSETS_TOPIC, 0)?.config).toMatchObject({
      cleanupPolicy: "compact",
      segmentBytes: 100 * 1024 * 1024,
    });
    await logs.close();
  });

  it("turns an existing __consumer_offsets back to compaction", async () => {
    const dataDir = await tempDir();
    const logs = await LogManager.open({ dataDir });
    await logs.create(CONSUMER_OFFSETS_TOPIC, 0, { cleanupPolicy: "delete" });
    await LogGroupStore.open(logs);
    expect(logs.get(CONSUMER_OFFSETS_TOPIC, 0)?.config.cleanupPolicy).toBe("compact");
    await logs.close();
  });

  it("keeps committed offsets, deletions and group membership across close and reopen", async () => {
    const dataDir = await tempDir();
    const clock = new FakeClock();
    let logs = await LogManager.open({ dataDir });
    let coordinator = await GroupCoordinator.open({ logs, dataDir, clock, config: TEST_CONFIG });
    for (let i = 0; i < 50; i++) await coordinator.commitOffsets(commitOne("g1", "t", i % 5, i));
    await coordinator.commitOffsets(commitOne("gone", "t", 0, 1));
    expect(await coordinator.deleteGroup("gone")).toBe(0);
    const member = await stableSingle(coordinator, { groupId: "live" });
    await coordinator.close();
    await logs.close();

    logs = await LogManager.open({ dataDir });
    coordinator = await GroupCoordinator.open({ logs, dataDir, clock, config: TEST_CONFIG });
    const fetched = coordinator.fetchOffsets({ groupId: "g1", topics: null });
    expect(
      fetched.topics[0]?.partitions.map((p) => [p.partitionIndex, p.committedOffset, p.metadata]),
    ).toEqual([
      [0, 45, "meta-45"],
      [1, 46, "meta-46"],
      [2, 47, "meta-47"],
      [3, 48, "meta-48"],
      [4, 49, "meta-49"],
    ]);
    expect(coordinator.hasGroup("gone")).toBe(false);
    expect(coordinator.groupState("live")).toBe("Stable");
    expect(
      coordinator.heartbeat({
        groupId: "live",
        generationId: 1,
        memberId: member.memberId,
        groupInstanceId: null,
      }),
    ).toBe(0);
    await coordinator.close();
    await logs.close();
  });
});
