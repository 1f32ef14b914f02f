import { describe, expect, it } from "vitest";
import {
  flush,
  GroupErrorCode,
  isPending,
  joinNew,
  joinParams,
  peek,
  proto,
  setup,
  stableSingle,
} from "./helpers";

const sync = (memberId: string, generationId: number, assignments: [string, string][] = []) => ({
  groupId: "g",
  generationId,
  memberId,
  groupInstanceId: null,
  protocolType: null,
  protocolName: null,
  assignments: assignments.map(([id, a]) => ({ memberId: id, assignment: Buffer.from(a) })),
});

const hb = (memberId: string, generationId: number, groupInstanceId: string | null = null) => ({
  groupId: "g",
  generationId,
  memberId,
  groupInstanceId,
});

describe("GroupCoordinator JoinGroup", () => {
  it("answers a first v4+ join without member id with MEMBER_ID_REQUIRED and a generated id", async () => {
    const { coordinator } = await setup();
    const r = await coordinator.joinGroup(joinParams({ clientId: "app" }));
    expect(r.errorCode).toBe(GroupErrorCode.MEMBER_ID_REQUIRED);
    expect(r.memberId).toMatch(/^app-[0-9a-f-]{36}$/);
    expect(coordinator.groupState("g")).toBe("Empty");
  });

  it("lets a pre-v4 member join directly with a generated id", async () => {
    const { coordinator } = await setup();
    const r = await coordinator.joinGroup(joinParams({ requireKnownMemberId: false }));
    expect(r.errorCode).toBe(GroupErrorCode.NONE);
    expect(r.memberId).not.toBe("");
    expect(r.leader).toBe(r.memberId);
  });

  it("makes a single member the leader of generation 1 and Stable after its SyncGroup", async () => {
    const { coordinator } = await setup();
    const { memberId, join } = await joinNew(coordinator);
    const joined = await join;
    expect(joined).toMatchObject({
      errorCode: 0,
      generationId: 1,
      leader: memberId,
      memberId,
      protocolType: "consumer",
      protocolName: "range",
    });
    expect(joined.members.map((m) => m.memberId)).toEqual([memberId]);
    expect(coordinator.groupState("g")).toBe("CompletingRebalance");
    const s = await coordinator.syncGroup(sync(memberId, 1, [[memberId, "p0"]]));
    expect(s.errorCode).toBe(0);
    expect(s.assignment.toString()).toBe("p0");
    expect(coordinator.groupState("g")).toBe("Stable");
  });

  it("rebalances when a second member joins: both rejoin, only the leader gets the member list", async () => {
    const { coordinator } = await setup();
    const a = await stableSingle(coordinator);
    const b = await joinNew(coordinator);
    expect(coordinator.groupState("g")).toBe("PreparingRebalance");
    expect(await isPending(b.join)).toBe(true);
    expect(coordinator.heartbeat(hb(a.memberId, 1))).toBe(GroupErrorCode.REBALANCE_IN_PROGRESS);
    const aJoin = coordinator.joinGroup(joinParams({ memberId: a.memberId }));
    const [ja, jb] = await Promise.all([aJoin, b.join]);
    expect(ja.generationId).toBe(2);
    expect(jb.generationId).toBe(2);
    expect(ja.leader).toBe(a.memberId);
    expect(jb.leader).toBe(a.memberId);
    expect(ja.members.map((m) => m.memberId).sort()).toEqual([a.memberId, b.memberId].sort());
    expect(jb.members).toEqual([]);

    // The follower's SyncGroup waits for the leader's assignment.
    const followerSync = coordinator.syncGroup(sync(b.memberId, 2));
    expect(await isPending(followerSync)).toBe(true);
    const leaderSync = await coordinator.syncGroup(
      sync(a.memberId, 2, [
        [a.memberId, "pa"],
        [b.memberId, "pb"],
      ]),
    );
    expect(leaderSync.assignment.toString()).toBe("pa");
    expect((await followerSync).assignment.toString()).toBe("pb");
    expect(coordinator.groupState("g")).toBe("Stable");
  });

  it("evicts members that do not rejoin within the rebalance timeout", async () => {
    const { coordinator, clock } = await setup();
    const a = await stableSingle(coordinator, { rebalanceTimeoutMs: 5000 });
    const b = await joinNew(coordinator, { rebalanceTimeoutMs: 5000 });
    clock.advance(4000);
    coordinator.heartbeat(hb(a.memberId, 1)); // alive, but never rejoins
    expect(await isPending(b.join)).toBe(true);
    clock.advance(1000);
    const jb = await b.join;
    expect(jb.generationId).toBe(2);
    expect(jb.leader).toBe(b.memberId);
    expect(jb.members.map((m) => m.memberId)).toEqual([b.memberId]);
    expect(coordinator.heartbeat(hb(a.memberId, 1))).toBe(GroupErrorCode.UNKNOWN_MEMBER_ID);
  });

  it("waits for the initial rebalance delay of an empty group, extended while members arrive", async () => {
    const { coordinator, clock } = await setup({ initialRebalanceDelayMs: 3000 });
    const a = await joinNew(coordinator);
    clock.advance(1000);
    const b = await joinNew(coordinator);
    clock.advance(1999); // t = 2999
    expect(await isPending(a.join)).toBe(true);
    clock.advance(1); // t = 3000: a member arrived during the delay, so it is extended by 3000
    expect(await isPending(a.join)).toBe(true);
    clock.advance(2999);
    expect(await isPending(b.join)).toBe(true);
    clock.advance(1); // t = 6000
    const [ja, jb] = await Promise.all([a.join, b.join]);
    expect(ja.generationId).toBe(1);
    expect(jb.generationId).toBe(1);
    expect(ja.members).toHaveLength(2);
  });

  it("bounds the initial delay by the rebalance timeout", async () => {
    const { coordinator, clock } = await setup({ initialRebalanceDelayMs: 3000 });
    const a = await joinNew(coordinator, { rebalanceTimeoutMs: 4000 });
    clock.advance(2000);
    await joinNew(coordinator, { rebalanceTimeoutMs: 4000 });
    clock.advance(1000); // extended by min(3000, remaining 1000)
    expect(await isPending(a.join)).toBe(true);
    clock.advance(1000);
    expect((await a.join).members).toHaveLength(2);
  });

  it("selects the protocol every member supports, by vote, ties broken by the leader", async () => {
    const { coordinator } = await setup();
    const a = await joinNew(coordinator, {
      protocols: [proto("range"), proto("rr"), proto("sticky")],
    });
    await a.join;
    const b = await joinNew(coordinator, { protocols: [proto("rr"), proto("range")] });
    const c = await joinNew(coordinator, { protocols: [proto("rr"), proto("range")] });
    const ra = coordinator.joinGroup(
      joinParams({
        memberId: a.memberId,
        protocols: [proto("range"), proto("rr"), proto("sticky")],
      }),
    );
    const [ja] = await Promise.all([ra, b.join, c.join]);
    expect(ja.protocolName).toBe("rr");
    expect(ja.members.find((m) => m.memberId === b.memberId)?.metadata.toString()).toBe("rr");
  });

  it("rejects a member with another protocol type or no common protocol (INCONSISTENT_GROUP_PROTOCOL)", async () => {
    const { coordinator } = await setup();
    await stableSingle(coordinator);
    const otherType = await coordinator.joinGroup(joinParams({ protocolType: "connect" }));
    expect(otherType.errorCode).toBe(GroupErrorCode.INCONSISTENT_GROUP_PROTOCOL);
    const noCommon = await coordinator.joinGroup(joinParams({ protocols: [proto("sticky")] }));
    expect(noCommon.errorCode).toBe(GroupErrorCode.INCONSISTENT_GROUP_PROTOCOL);
    const empty = await coordinator.joinGroup(joinParams({ groupId: "h", protocols: [] }));
    expect(empty.errorCode).toBe(GroupErrorCode.INCONSISTENT_GROUP_PROTOCOL);
  });

  it("rejects session timeouts outside the broker's bounds (INVALID_SESSION_TIMEOUT)", async () => {
    const { coordinator } = await setup({ minSessionTimeoutMs: 6000, maxSessionTimeoutMs: 60_000 });
    for (const sessionTimeoutMs of [5999, 60_001]) {
      const r = await coordinator.joinGroup(joinParams({ sessionTimeoutMs }));
      expect(r.errorCode).toBe(GroupErrorCode.INVALID_SESSION_TIMEOUT);
    }
  });

  it("answers UNKNOWN_MEMBER_ID to an unknown member id and INVALID_GROUP_ID to an empty group id", async () => {
    const { coordinator } = await setup();
    expect((await coordinator.joinGroup(joinParams({ memberId: "ghost" }))).errorCode).toBe(
      GroupErrorCode.UNKNOWN_MEMBER_ID,
    );
    await stableSingle(coordinator);
    expect((await coordinator.joinGroup(joinParams({ memberId: "ghost" }))).errorCode).toBe(
      GroupErrorCode.UNKNOWN_MEMBER_ID,
    );
    expect((await coordinator.joinGroup(joinParams({ groupId: "" }))).errorCode).toBe(
      GroupErrorCode.INVALID_GROUP_ID,
    );
  });

  it("answers a follower rejoining a Stable group unchanged with the current generation", async () => {
    const { coordinator } = await setup();
    const a = await stableSingle(coordinator);
    const b = await joinNew(coordinator);
    const ra = coordinator.joinGroup(joinParams({ memberId: a.memberId }));
    await Promise.all([ra, b.join]);
    await Promise.all([
      coordinator.syncGroup(sync(a.memberId, 2, [[b.memberId, "pb"]])),
      coordinator.syncGroup(sync(b.memberId, 2)),
    ]);
    const again = await coordinator.joinGroup(joinParams({ memberId: b.memberId }));
    expect(again).toMatchObject({ errorCode: 0, generationId: 2, leader: a.memberId, members: [] });
    expect(coordinator.groupState("g")).toBe("Stable");
  });

  it("waits for a member that got MEMBER_ID_REQUIRED until its session expires", async () => {
    const { coordinator, clock } = await setup();
    const a = await stableSingle(coordinator, { sessionTimeoutMs: 10_000 });
    const b = await joinNew(coordinator); // B joins: rebalance
    await coordinator.joinGroup(joinParams()); // C got an id but never comes back
    const ra = coordinator.joinGroup(joinParams({ memberId: a.memberId }));
    expect(await isPending(ra)).toBe(true);
    clock.advance(10_000);
    const [ja] = await Promise.all([ra, b.join]);
    expect(ja.members).toHaveLength(2);
  });
});

describe("GroupCoordinator SyncGroup and Heartbeat", () => {
  it("rejects stale generations (ILLEGAL_GENERATION) and unknown members (UNKNOWN_MEMBER_ID)", async () => {
    const { coordinator } = await setup();
    const a = await stableSingle(coordinator);
    expect((await coordinator.syncGroup(sync(a.memberId, 0))).errorCode).toBe(
      GroupErrorCode.ILLEGAL_GENERATION,
    );
    expect(coordinator.heartbeat(hb(a.memberId, 7))).toBe(GroupErrorCode.ILLEGAL_GENERATION);
    expect((await coordinator.syncGroup(sync("ghost", 1))).errorCode).toBe(
      GroupErrorCode.UNKNOWN_MEMBER_ID,
    );
    expect(coordinator.heartbeat(hb("ghost", 1))).toBe(GroupErrorCode.UNKNOWN_MEMBER_ID);
    expect(coordinator.heartbeat({ ...hb(a.memberId, 1), groupId: "nope" })).toBe(
      GroupErrorCode.UNKNOWN_MEMBER_ID,
    );
    expect(coordinator.heartbeat(hb(a.memberId, 1))).toBe(GroupErrorCode.NONE);
  });

  it("answers SyncGroup during PreparingRebalance with REBALANCE_IN_PROGRESS", async () => {
    const { coordinator } = await setup();
    const a = await stableSingle(coordinator);
    await joinNew(coordinator);
    expect((await coordinator.syncGroup(sync(a.memberId, 1))).errorCode).toBe(
      GroupErrorCode.REBALANCE_IN_PROGRESS,
    );
  });

  it("rejects a SyncGroup whose protocol type or name differs (INCONSISTENT_GROUP_PROTOCOL)", async () => {
    const { coordinator } = await setup();
    const a = await stableSingle(coordinator);
    const r = await coordinator.syncGroup({ ...sync(a.memberId, 1), protocolName: "rr" });
    expect(r.errorCode).toBe(GroupErrorCode.INCONSISTENT_GROUP_PROTOCOL);
    const ok = await coordinator.syncGroup({
      ...sync(a.memberId, 1),
      protocolType: "consumer",
      protocolName: "range",
    });
    expect(ok).toMatchObject({ errorCode: 0, protocolType: "consumer", protocolName: "range" });
  });

  it("accepts heartbeats in CompletingRebalance", async () => {
    const { coordinator } = await setup();
    const { memberId, join } = await joinNew(coordinator);
    await join;
    expect(coordinator.heartbeat(hb(memberId, 1))).toBe(GroupErrorCode.NONE);
  });

  it("removes a member whose session expires and rebalances the rest", async () => {
    const { coordinator, clock } = await setup();
    const a = await stableSingle(coordinator, { sessionTimeoutMs: 1000 });
    const b = await joinNew(coordinator, { sessionTimeoutMs: 1000 });
    const ra = coordinator.joinGroup(joinParams({ memberId: a.memberId, sessionTimeoutMs: 1000 }));
    await Promise.all([ra, b.join]);
    const bSync = coordinator.syncGroup(sync(b.memberId, 2));
    await coordinator.syncGroup(sync(a.memberId, 2, [[b.memberId, "pb"]]));
    await bSync;
    clock.advance(500);
    expect(coordinator.heartbeat(hb(a.memberId, 2))).toBe(GroupErrorCode.NONE);
    clock.advance(499);
    expect(coordinator.heartbeat(hb(a.memberId, 2))).toBe(GroupErrorCode.NONE);
    expect(coordinator.groupState("g")).toBe("Stable");
    clock.advance(1);
    // B has not heartbeated for a whole session: it is gone and A must rejoin.
    expect(coordinator.heartbeat(hb(b.memberId, 2))).toBe(GroupErrorCode.UNKNOWN_MEMBER_ID);
    expect(coordinator.groupState("g")).toBe("PreparingRebalance");
    expect(coordinator.heartbeat(hb(a.memberId, 2))).toBe(GroupErrorCode.REBALANCE_IN_PROGRESS);
    const ja = await coordinator.joinGroup(
      joinParams({ memberId: a.memberId, sessionTimeoutMs: 1000 }),
    );
    expect(ja.generationId).toBe(3);
    expect(ja.members.map((m) => m.memberId)).toEqual([a.memberId]);
  });

  it("empties the group when its only member's session expires", async () => {
    const { coordinator, clock } = await setup();
    await stableSingle(coordinator, { sessionTimeoutMs: 1000 });
    clock.advance(1000);
    expect(coordinator.groupState("g")).toBe("Empty");
    expect(coordinator.describeGroup("g").members).toEqual([]);
  });

  it("does not expire a member while its JoinGroup is parked", async () => {
    const { coordinator, clock } = await setup();
    const a = await stableSingle(coordinator, { sessionTimeoutMs: 1000, rebalanceTimeoutMs: 5000 });
    const b = await joinNew(coordinator, { sessionTimeoutMs: 1000, rebalanceTimeoutMs: 5000 });
    clock.advance(900);
    const ra = coordinator.joinGroup(
      joinParams({ memberId: a.memberId, sessionTimeoutMs: 1000, rebalanceTimeoutMs: 5000 }),
    );
    const [ja, jb] = await Promise.all([ra, b.join]);
    expect(ja.members).toHaveLength(2);
    expect(jb.errorCode).toBe(0);
  });

  it("removes members that do not send SyncGroup within the rebalance timeout", async () => {
    const { coordinator, clock } = await setup();
    const a = await stableSingle(coordinator, { rebalanceTimeoutMs: 2000 });
    const b = await joinNew(coordinator, { rebalanceTimeoutMs: 2000 });
    const ra = coordinator.joinGroup(
      joinParams({ memberId: a.memberId, rebalanceTimeoutMs: 2000 }),
    );
    await Promise.all([ra, b.join]);
    await coordinator.syncGroup(sync(a.memberId, 2, [[a.memberId, "pa"]]));
    // B keeps heartbeating but never syncs.
    clock.advance(1000);
    coordinator.heartbeat(hb(b.memberId, 2));
    coordinator.heartbeat(hb(a.memberId, 2));
    clock.advance(1000);
    expect(coordinator.heartbeat(hb(b.memberId, 2))).toBe(GroupErrorCode.UNKNOWN_MEMBER_ID);
    expect(coordinator.groupState("g")).toBe("PreparingRebalance");
  });

  it("answers parked SyncGroups with REBALANCE_IN_PROGRESS when a new rebalance starts", async () => {
    const { coordinator } = await setup();
    const a = await stableSingle(coordinator);
    const b = await joinNew(coordinator);
    const ra = coordinator.joinGroup(joinParams({ memberId: a.memberId }));
    await Promise.all([ra, b.join]);
    const bSync = coordinator.syncGroup(sync(b.memberId, 2));
    expect(await isPending(bSync)).toBe(true);
    await joinNew(coordinator); // C arrives before the leader synced
    expect((await bSync).errorCode).toBe(GroupErrorCode.REBALANCE_IN_PROGRESS);
  });
});

describe("GroupCoordinator LeaveGroup", () => {
  it("rebalances when a member leaves, and makes the remaining member leader", async () => {
    const { coordinator } = await setup();
    const a = await stableSingle(coordinator);
    const b = await joinNew(coordinator);
    const ra = coordinator.joinGroup(joinParams({ memberId: a.memberId }));
    await Promise.all([ra, b.join]);
    const bSync = coordinator.syncGroup(sync(b.memberId, 2));
    await coordinator.syncGroup(sync(a.memberId, 2, [[b.memberId, "pb"]]));
    await bSync;
    const left = coordinator.leaveGroup("g", [{ memberId: a.memberId, groupInstanceId: null }]);
    expect(left).toEqual({
      errorCode: 0,
      members: [{ memberId: a.memberId, groupInstanceId: null, errorCode: 0 }],
    });
    expect(coordinator.groupState("g")).toBe("PreparingRebalance");
    const jb = await coordinator.joinGroup(joinParams({ memberId: b.memberId }));
    expect(jb).toMatchObject({ generationId: 3, leader: b.memberId });
  });

  it("handles a batch of leaving members with per-member errors", async () => {
    const { coordinator } = await setup();
    const a = await joinNew(coordinator);
    await a.join;
    const b = await joinNew(coordinator);
    const ra = coordinator.joinGroup(joinParams({ memberId: a.memberId }));
    await Promise.all([ra, b.join]);
    const r = coordinator.leaveGroup("g", [
      { memberId: a.memberId, groupInstanceId: null },
      { memberId: b.memberId, groupInstanceId: null },
      { memberId: "ghost", groupInstanceId: null },
    ]);
    expect(r.members.map((m) => m.errorCode)).toEqual([0, 0, GroupErrorCode.UNKNOWN_MEMBER_ID]);
    expect(coordinator.groupState("g")).toBe("Empty");
    expect(coordinator.describeGroup("g").members).toEqual([]);
  });

  it("answers UNKNOWN_MEMBER_ID for every member of an unknown group", async () => {
    const { coordinator } = await setup();
    const r = coordinator.leaveGroup("none", [{ memberId: "m", groupInstanceId: null }]);
    expect(r.members[0]?.errorCode).toBe(GroupErrorCode.UNKNOWN_MEMBER_ID);
  });

  it("completes a pending rebalance when the last missing member leaves", async () => {
    const { coordinator } = await setup();
    const a = await stableSingle(coordinator);
    const b = await joinNew(coordinator);
    expect(await isPending(b.join)).toBe(true);
    coordinator.leaveGroup("g", [{ memberId: a.memberId, groupInstanceId: null }]);
    expect((await b.join).members.map((m) => m.memberId)).toEqual([b.memberId]);
  });
});

describe("GroupCoordinator static membership", () => {
  const staticJoin = (instance: string, overrides = {}) =>
    joinParams({ groupInstanceId: instance, ...overrides });

  it("lets a static member join without MEMBER_ID_REQUIRED", async () => {
    const { coordinator } = await setup();
    const r = await coordinator.joinGroup(staticJoin("i1"));
    expect(r.errorCode).toBe(0);
    expect(r.memberId).toMatch(/^i1-/);
  });

  it("replaces a restarted static member without a rebalance and fences the old id", async () => {
    const { coordinator } = await setup();
    const first = await coordinator.joinGroup(staticJoin("i1"));
    await coordinator.syncGroup({
      ...sync(first.memberId, 1, [[first.memberId, "pa"]]),
      groupInstanceId: "i1",
    });
    const again = await coordinator.joinGroup(staticJoin("i1"));
    expect(again.errorCode).toBe(0);
    expect(again.memberId).not.toBe(first.memberId);
    expect(again.generationId).toBe(1);
    expect(again.leader).toBe(again.memberId);
    expect(again.skipAssignment).toBe(true);
    expect(coordinator.groupState("g")).toBe("Stable");
    const s = await coordinator.syncGroup({ ...sync(again.memberId, 1), groupInstanceId: "i1" });
    expect(s.assignment.toString()).toBe("pa");
    expect(coordinator.heartbeat(hb(first.memberId, 1, "i1"))).toBe(
      GroupErrorCode.FENCED_INSTANCE_ID,
    );
    expect(
      (await coordinator.syncGroup({ ...sync(first.memberId, 1), groupInstanceId: "i1" }))
        .errorCode,
    ).toBe(GroupErrorCode.FENCED_INSTANCE_ID);
    expect(
      (await coordinator.joinGroup(staticJoin("i1", { memberId: first.memberId }))).errorCode,
    ).toBe(GroupErrorCode.FENCED_INSTANCE_ID);
  });

  it("rebalances when a restarted static member changes protocols", async () => {
    const { coordinator } = await setup();
    const first = await coordinator.joinGroup(staticJoin("i1"));
    await coordinator.syncGroup({ ...sync(first.memberId, 1), groupInstanceId: "i1" });
    const again = await coordinator.joinGroup(staticJoin("i1", { protocols: [proto("rr")] }));
    expect(again.generationId).toBe(2);
    expect(again.protocolName).toBe("rr");
  });

  it("keeps a static member that misses a rebalance until the sync deadline", async () => {
    const { coordinator, clock } = await setup();
    const s1 = await coordinator.joinGroup(
      staticJoin("i1", { rebalanceTimeoutMs: 1000, sessionTimeoutMs: 5000 }),
    );
    await coordinator.syncGroup({ ...sync(s1.memberId, 1), groupInstanceId: "i1" });
    const b = await joinNew(coordinator, { rebalanceTimeoutMs: 1000 });
    clock.advance(1000);
    const jb = await b.join;
    expect(jb.generationId).toBe(2);
    expect(jb.leader).toBe(b.memberId);
    expect(coordinator.describeGroup("g").members).toHaveLength(2);
    await coordinator.syncGroup(sync(b.memberId, 2, [[b.memberId, "pb"]]));
    clock.advance(999);
    expect(coordinator.describeGroup("g").members).toHaveLength(2);
    clock.advance(1);
    expect(coordinator.describeGroup("g").members.map((m) => m.memberId)).toEqual([b.memberId]);
  });

  it("lets a static member leave by instance id, and fences a mismatched member id", async () => {
    const { coordinator } = await setup();
    const s1 = await coordinator.joinGroup(staticJoin("i1"));
    const fenced = coordinator.leaveGroup("g", [{ memberId: "other", groupInstanceId: "i1" }]);
    expect(fenced.members[0]?.errorCode).toBe(GroupErrorCode.FENCED_INSTANCE_ID);
    const unknown = coordinator.leaveGroup("g", [{ memberId: "", groupInstanceId: "i9" }]);
    expect(unknown.members[0]?.errorCode).toBe(GroupErrorCode.UNKNOWN_MEMBER_ID);
    const ok = coordinator.leaveGroup("g", [{ memberId: "", groupInstanceId: "i1" }]);
    expect(ok.members[0]?.errorCode).toBe(0);
    expect(coordinator.describeGroup("g").members).toEqual([]);
    expect(s1.errorCode).toBe(0);
  });
});

describe("GroupCoordinator DescribeGroups / ListGroups / DeleteGroups", () => {
  it("describes a Stable group with metadata and assignments, an unknown one as Dead", async () => {
    const { coordinator } = await setup();
    const a = await stableSingle(coordinator, { clientId: "cli" });
    const d = coordinator.describeGroup("g");
    expect(d).toMatchObject({
      groupState: "Stable",
      protocolType: "consumer",
      protocolData: "range",
    });
    expect(d.members[0]).toMatchObject({
      memberId: a.memberId,
      clientId: "cli",
      clientHost: "/127.0.0.1",
    });
    expect(d.members[0]?.memberMetadata.toString()).toBe("range");
    expect(d.members[0]?.memberAssignment.toString()).toBe("a0");
    expect(coordinator.describeGroup("nope")).toMatchObject({ groupState: "Dead", members: [] });
  });

  it("lists groups, filtered by state case-insensitively", async () => {
    const { coordinator } = await setup();
    await stableSingle(coordinator);
    await joinNew(coordinator, { groupId: "h" });
    expect(
      coordinator
        .listGroups()
        .map((g) => g.groupId)
        .sort(),
    ).toEqual(["g", "h"]);
    expect(coordinator.listGroups(["stable"]).map((g) => g.groupId)).toEqual(["g"]);
    expect(coordinator.listGroups(["CompletingRebalance"]).map((g) => g.groupId)).toEqual(["h"]);
    expect(coordinator.listGroups(["Empty"])).toEqual([]);
  });

  it("deletes only Empty groups", async () => {
    const { coordinator, store } = await setup();
    const a = await stableSingle(coordinator);
    expect(await coordinator.deleteGroup("g")).toBe(GroupErrorCode.NON_EMPTY_GROUP);
    expect(await coordinator.deleteGroup("nope")).toBe(GroupErrorCode.GROUP_ID_NOT_FOUND);
    await coordinator.commitOffsets({
      groupId: "g",
      generationId: 1,
      memberId: a.memberId,
      groupInstanceId: null,
      retentionTimeMs: -1,
      topics: [
        {
          name: "t",
          partitions: [
            {
              partitionIndex: 0,
              committedOffset: 5,
              committedLeaderEpoch: -1,
              committedMetadata: null,
            },
          ],
        },
      ],
    });
    coordinator.leaveGroup("g", [{ memberId: a.memberId, groupInstanceId: null }]);
    expect(coordinator.groupState("g")).toBe("Empty");
    expect(await coordinator.deleteGroup("g")).toBe(0);
    expect(coordinator.hasGroup("g")).toBe(false);
    expect(coordinator.fetchOffsets({ groupId: "g", topics: null }).topics).toEqual([]);
    expect(store.records.slice(-2)).toEqual([
      { kind: "offset", groupId: "g", topic: "t", partition: 0, value: null },
      { kind: "group", groupId: "g", value: null },
    ]);
    expect(await coordinator.deleteGroup("g")).toBe(GroupErrorCode.GROUP_ID_NOT_FOUND);
  });

  it("answers COORDINATOR_NOT_AVAILABLE after close and releases every timer", async () => {
    const { coordinator, clock } = await setup();
    const a = await stableSingle(coordinator);
    const b = await joinNew(coordinator);
    await coordinator.close();
    expect((await b.join).errorCode).toBe(GroupErrorCode.COORDINATOR_NOT_AVAILABLE);
    expect(coordinator.heartbeat(hb(a.memberId, 1))).toBe(GroupErrorCode.COORDINATOR_NOT_AVAILABLE);
    clock.advance(60_000);
    await flush();
    expect(await peek(coordinator.joinGroup(joinParams()))).toMatchObject({
      errorCode: GroupErrorCode.COORDINATOR_NOT_AVAILABLE,
    });
  });
});

describe("GroupCoordinator housekeeping", () => {
  it("does not keep a group whose first join was rejected", async () => {
    const { coordinator } = await setup();
    const r = await coordinator.joinGroup(joinParams({ protocols: [] }));
    expect(r.errorCode).toBe(GroupErrorCode.INCONSISTENT_GROUP_PROTOCOL);
    expect(coordinator.hasGroup("g")).toBe(false);
    expect(coordinator.listGroups()).toEqual([]);
  });

  it("forgets a member id handed out with MEMBER_ID_REQUIRED when it leaves or expires", async () => {
    const { coordinator, clock } = await setup();
    const first = await coordinator.joinGroup(joinParams());
    const left = coordinator.leaveGroup("g", [{ memberId: first.memberId, groupInstanceId: null }]);
    expect(left.members[0]?.errorCode).toBe(0);
    expect(coordinator.hasGroup("g")).toBe(false);
    await coordinator.joinGroup(joinParams({ sessionTimeoutMs: 1000 }));
    expect(coordinator.hasGroup("g")).toBe(true);
    clock.advance(1000);
    expect(coordinator.hasGroup("g")).toBe(false);
  });

  it("hides metadata and assignments while a group rebalances", async () => {
    const { coordinator } = await setup();
    await stableSingle(coordinator);
    await joinNew(coordinator);
    const d = coordinator.describeGroup("g");
    expect(d.groupState).toBe("PreparingRebalance");
    expect(d.protocolData).toBe("");
    expect(
      d.members.every((m) => m.memberMetadata.length === 0 && m.memberAssignment.length === 0),
    ).toBe(true);
  });
});

describe("GroupCoordinator limits and fencing", () => {
  it("refuses members beyond group.max.size (GROUP_MAX_SIZE_REACHED)", async () => {
    const { coordinator } = await setup({ maxGroupSize: 1 });
    await stableSingle(coordinator);
    const r = await coordinator.joinGroup(joinParams());
    expect(r.errorCode).toBe(GroupErrorCode.GROUP_MAX_SIZE_REACHED);
  });

  it("fences offset commits of a replaced static member (FENCED_INSTANCE_ID)", async () => {
    const { coordinator } = await setup();
    const old = await coordinator.joinGroup(joinParams({ groupInstanceId: "i1" }));
    await coordinator.syncGroup({ ...sync(old.memberId, 1), groupInstanceId: "i1" });
    const fresh = await coordinator.joinGroup(joinParams({ groupInstanceId: "i1" }));
    const commit = (memberId: string) =>
      coordinator.commitOffsets({
        groupId: "g",
        generationId: 1,
        memberId,
        groupInstanceId: "i1",
        retentionTimeMs: -1,
        topics: [
          {
            name: "t",
            partitions: [
              {
                partitionIndex: 0,
                committedOffset: 1,
                committedLeaderEpoch: -1,
                committedMetadata: null,
              },
            ],
          },
        ],
      });
    expect((await commit(old.memberId))[0]?.partitions[0]?.errorCode).toBe(
      GroupErrorCode.FENCED_INSTANCE_ID,
    );
    expect((await commit(fresh.memberId))[0]?.partitions[0]?.errorCode).toBe(0);
  });

  it("lets a restarted static member take its place while the group rebalances", async () => {
    const { coordinator } = await setup();
    const s1 = await coordinator.joinGroup(joinParams({ groupInstanceId: "i1" }));
    await coordinator.syncGroup({ ...sync(s1.memberId, 1), groupInstanceId: "i1" });
    const b = await joinNew(coordinator);
    expect(coordinator.groupState("g")).toBe("PreparingRebalance");
    // The restarted instance (same instance id, no member id) joins instead of the old one.
    const fresh = coordinator.joinGroup(joinParams({ groupInstanceId: "i1" }));
    const [jf, jb] = await Promise.all([fresh, b.join]);
    expect(jf.generationId).toBe(2);
    expect(jb.generationId).toBe(2);
    expect(
      coordinator
        .describeGroup("g")
        .members.map((m) => m.groupInstanceId)
        .sort(),
    ).toEqual(["i1", null]);
  });
  it("fences the parked JoinGroup of a static member's old incarnation", async () => {
    const { coordinator } = await setup();
    const s1 = await coordinator.joinGroup(joinParams({ groupInstanceId: "i1" }));
    await coordinator.syncGroup({ ...sync(s1.memberId, 1), groupInstanceId: "i1" });
    const b = await joinNew(coordinator);
    const s1Again = coordinator.joinGroup(
      joinParams({ memberId: s1.memberId, groupInstanceId: "i1" }),
    );
    const [, jb] = await Promise.all([s1Again, b.join]);
    await Promise.all([
      coordinator.syncGroup({ ...sync(s1.memberId, 2), groupInstanceId: "i1" }),
      coordinator.syncGroup(sync(b.memberId, 2)),
    ]);
    expect(jb.generationId).toBe(2);
    await joinNew(coordinator); // C: rebalance to generation 3
    const parkedOld = coordinator.joinGroup(
      joinParams({ memberId: s1.memberId, groupInstanceId: "i1" }),
    );
    expect(await isPending(parkedOld)).toBe(true); // B has not rejoined yet
    const fresh = coordinator.joinGroup(joinParams({ groupInstanceId: "i1" }));
    expect((await parkedOld).errorCode).toBe(GroupErrorCode.FENCED_INSTANCE_ID);
    const rb = coordinator.joinGroup(joinParams({ memberId: b.memberId }));
    const [jf, jb3] = await Promise.all([fresh, rb]);
    expect(jf.generationId).toBe(3);
    expect(jb3.generationId).toBe(3);
  });
});
