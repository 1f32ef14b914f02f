import { describe, expect, it } from "vitest";
import type { OffsetCommitParams } from "../../../lib/broker/groups/group-api";
import { GroupCoordinator } from "../../../lib/broker/groups/group-coordinator";
import { GroupErrorCode, joinNew, joinParams, setup, stableSingle, TEST_CONFIG } from "./helpers";

const DAY = 24 * 60 * 60 * 1000;

function commit(overrides: Partial<OffsetCommitParams> & { offsets?: [string, number, number][] }) {
  const { offsets = [["t", 0, 10]], ...rest } = overrides;
  const topics = new Map<
    string,
    {
      partitionIndex: number;
      committedOffset: number;
      committedLeaderEpoch: number;
      committedMetadata: string | null;
    }[]
  >();
  for (const [topic, partitionIndex, committedOffset] of offsets) {
    const list = topics.get(topic) ?? [];
    list.push({
      partitionIndex,
      committedOffset,
      committedLeaderEpoch: 3,
      committedMetadata: `m${committedOffset}`,
    });
    topics.set(topic, list);
  }
  return {
    groupId: "g",
    generationId: -1,
    memberId: "",
    groupInstanceId: null,
    retentionTimeMs: -1,
    topics: [...topics].map(([name, partitions]) => ({ name, partitions })),
    ...rest,
  };
}

const errors = (r: readonly { readonly partitions: readonly { readonly errorCode: number }[] }[]) =>
  r.flatMap((t) => t.partitions.map((p) => p.errorCode));

describe("GroupCoordinator offsets", () => {
  it("accepts standalone commits (generation -1) for an unknown group and returns them with metadata", async () => {
    const { coordinator } = await setup();
    const r = await coordinator.commitOffsets(
      commit({
        offsets: [
          ["t", 0, 10],
          ["t", 1, 20],
          ["u", 0, 5],
        ],
      }),
    );
    expect(errors(r)).toEqual([0, 0, 0]);
    expect(coordinator.groupState("g")).toBe("Empty");
    const f = coordinator.fetchOffsets({
      groupId: "g",
      topics: [{ name: "t", partitionIndexes: [1, 0, 7] }],
    });
    expect(f.errorCode).toBe(0);
    expect(f.topics[0]?.partitions).toEqual([
      {
        partitionIndex: 1,
        committedOffset: 20,
        committedLeaderEpoch: -1,
        metadata: "m20",
        errorCode: 0,
      },
      {
        partitionIndex: 0,
        committedOffset: 10,
        committedLeaderEpoch: -1,
        metadata: "m10",
        errorCode: 0,
      },
      {
        partitionIndex: 7,
        committedOffset: -1,
        committedLeaderEpoch: -1,
        metadata: "",
        errorCode: 0,
      },
    ]);
  });

  it("returns every committed partition when topics is null", async () => {
    const { coordinator } = await setup();
    await coordinator.commitOffsets(
      commit({
        offsets: [
          ["t", 1, 20],
          ["t", 0, 10],
          ["u", 0, 5],
        ],
      }),
    );
    const f = coordinator.fetchOffsets({ groupId: "g", topics: null });
    expect(
      f.topics.map((t) => [t.name, t.partitions.map((p) => [p.partitionIndex, p.committedOffset])]),
    ).toEqual([
      [
        "t",
        [
          [0, 10],
          [1, 20],
        ],
      ],
      ["u", [[0, 5]]],
    ]);
    expect(coordinator.fetchOffsets({ groupId: "other", topics: null }).topics).toEqual([]);
  });

  it("checks member and generation for group-managed commits", async () => {
    const { coordinator } = await setup();
    const a = await stableSingle(coordinator);
    expect(
      errors(await coordinator.commitOffsets(commit({ generationId: 1, memberId: a.memberId }))),
    ).toEqual([0]);
    expect(
      errors(await coordinator.commitOffsets(commit({ generationId: 0, memberId: a.memberId }))),
    ).toEqual([GroupErrorCode.ILLEGAL_GENERATION]);
    expect(
      errors(await coordinator.commitOffsets(commit({ generationId: 1, memberId: "ghost" }))),
    ).toEqual([GroupErrorCode.UNKNOWN_MEMBER_ID]);
    // A standalone commit into a group with members is refused.
    expect(errors(await coordinator.commitOffsets(commit({})))).toEqual([
      GroupErrorCode.UNKNOWN_MEMBER_ID,
    ]);
    expect(
      errors(
        await coordinator.commitOffsets(commit({ groupId: "new", generationId: 3, memberId: "m" })),
      ),
    ).toEqual([GroupErrorCode.ILLEGAL_GENERATION]);
    expect(coordinator.hasGroup("new")).toBe(false);
  });

  it("answers REBALANCE_IN_PROGRESS in CompletingRebalance but accepts commits while preparing one", async () => {
    const { coordinator } = await setup();
    const a = await stableSingle(coordinator);
    const b = await joinNew(coordinator);
    expect(coordinator.groupState("g")).toBe("PreparingRebalance");
    expect(
      errors(await coordinator.commitOffsets(commit({ generationId: 1, memberId: a.memberId }))),
    ).toEqual([0]);
    const ra = coordinator.joinGroup(joinParams({ memberId: a.memberId }));
    await Promise.all([ra, b.join]);
    expect(coordinator.groupState("g")).toBe("CompletingRebalance");
    expect(
      errors(await coordinator.commitOffsets(commit({ generationId: 2, memberId: a.memberId }))),
    ).toEqual([GroupErrorCode.REBALANCE_IN_PROGRESS]);
  });

  it("rejects metadata above offset.metadata.max.bytes per partition", async () => {
    const { coordinator } = await setup({ offsetMetadataMaxBytes: 4 });
    const r = await coordinator.commitOffsets({
      ...commit({}),
      topics: [
        {
          name: "t",
          partitions: [
            {
              partitionIndex: 0,
              committedOffset: 1,
              committedLeaderEpoch: -1,
              committedMetadata: "12345",
            },
            {
              partitionIndex: 1,
              committedOffset: 1,
              committedLeaderEpoch: -1,
              committedMetadata: "1234",
            },
          ],
        },
      ],
    });
    expect(errors(r)).toEqual([GroupErrorCode.OFFSET_METADATA_TOO_LARGE, 0]);
  });

  it("does not acknowledge or expose an offset the store could not persist", async () => {
    const { coordinator, store } = await setup();
    store.failNextAppend = new Error("disk full");
    expect(errors(await coordinator.commitOffsets(commit({})))).toEqual([
      GroupErrorCode.COORDINATOR_NOT_AVAILABLE,
    ]);
    expect(coordinator.fetchOffsets({ groupId: "g", topics: null }).topics).toEqual([]);
  });

  it("keeps the latest of two concurrent commits", async () => {
    const { coordinator } = await setup();
    const first = coordinator.commitOffsets(commit({ offsets: [["t", 0, 1]] }));
    const second = coordinator.commitOffsets(commit({ offsets: [["t", 0, 2]] }));
    await Promise.all([second, first]);
    expect(
      coordinator.fetchOffsets({ groupId: "g", topics: null }).topics[0]?.partitions[0]
        ?.committedOffset,
    ).toBe(2);
  });

  it("restores offsets and a Stable group after a restart", async () => {
    const { coordinator, store, clock } = await setup();
    const a = await stableSingle(coordinator);
    await coordinator.commitOffsets(
      commit({ generationId: 1, memberId: a.memberId, offsets: [["t", 0, 42]] }),
    );
    await coordinator.commitOffsets(commit({ groupId: "solo", offsets: [["t", 3, 7]] }));
    await coordinator.close();

    const reopened = await GroupCoordinator.start({ store, clock, config: TEST_CONFIG });
    expect(
      reopened.fetchOffsets({ groupId: "g", topics: [{ name: "t", partitionIndexes: [0] }] })
        .topics[0]?.partitions[0],
    ).toMatchObject({
      committedOffset: 42,
      metadata: "m42",
    });
    expect(
      reopened.fetchOffsets({ groupId: "solo", topics: null }).topics[0]?.partitions[0]
        ?.committedOffset,
    ).toBe(7);
    expect(reopened.groupState("g")).toBe("Stable");
    expect(
      reopened.heartbeat({
        groupId: "g",
        generationId: 1,
        memberId: a.memberId,
        groupInstanceId: null,
      }),
    ).toBe(0);
    const s = await reopened.syncGroup({
      groupId: "g",
      generationId: 1,
      memberId: a.memberId,
      groupInstanceId: null,
      protocolType: "consumer",
      protocolName: "range",
      assignments: [],
    });
    expect(s.assignment.toString()).toBe("a0");
    expect(reopened.describeGroup("g").members[0]?.memberMetadata.toString()).toBe("range");
    await reopened.close();
  });

  it("expires standalone offsets after the retention and group offsets only once the group is Empty", async () => {
    const { coordinator, clock } = await setup({
      offsetsRetentionMs: DAY,
      offsetsRetentionCheckIntervalMs: 60_000,
      maxSessionTimeoutMs: 3 * DAY,
    });
    await coordinator.commitOffsets(commit({ groupId: "solo" }));
    const a = await stableSingle(coordinator, { sessionTimeoutMs: 2 * DAY });
    expect(a.sync.errorCode).toBe(0);
    await coordinator.commitOffsets(commit({ generationId: 1, memberId: a.memberId }));
    clock.advance(DAY + 60_000);
    await new Promise((r) => setImmediate(r));
    expect(coordinator.hasGroup("solo")).toBe(false);
    expect(coordinator.fetchOffsets({ groupId: "g", topics: null }).topics).toHaveLength(1);
    coordinator.leaveGroup("g", [{ memberId: a.memberId, groupInstanceId: null }]);
    clock.advance(DAY - 120_000);
    await new Promise((r) => setImmediate(r));
    expect(coordinator.fetchOffsets({ groupId: "g", topics: null }).topics).toHaveLength(1);
    clock.advance(120_000);
    await new Promise((r) => setImmediate(r));
    expect(coordinator.fetchOffsets({ groupId: "g", topics: null }).topics).toEqual([]);
    expect(coordinator.hasGroup("g")).toBe(false);
  });

  it("expires an offset committed with an explicit retention (v2-4) at its own deadline", async () => {
    const { coordinator, clock } = await setup();
    await coordinator.commitOffsets(commit({ retentionTimeMs: 1000, offsets: [["t", 0, 1]] }));
    await coordinator.commitOffsets(commit({ offsets: [["t", 1, 1]] }));
    clock.advance(999);
    expect(await coordinator.expireOffsets()).toBe(0);
    clock.advance(1);
    expect(await coordinator.expireOffsets()).toBe(1);
    const left = coordinator.fetchOffsets({ groupId: "g", topics: null }).topics[0]?.partitions;
    expect(left?.map((p) => p.partitionIndex)).toEqual([1]);
  });
});
