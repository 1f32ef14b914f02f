import { describe, expect, it } from "vitest";
import { GroupCoordinator } from "../../../lib/broker/groups/group-coordinator";
import { MemoryGroupStore } from "../../../lib/broker/groups/group-store";
import {
  ApiKey,
  concatChunks,
  decodeRequest,
  decodeResponseFrame,
  ErrorCode,
  encodeRequest,
  encodeResponse,
  type RequestInputOf,
  type ResponseOf,
  readRequestHeader,
} from "../../../lib/broker/protocol";
import type { BrokerServices } from "../../../lib/broker/server/broker-services";
import type { ApiHandler, RequestContext } from "../../../lib/broker/server/handler";
import { offsetCommitHandler } from "../../../lib/broker/server/handlers/08-offset-commit";
import { offsetFetchHandler } from "../../../lib/broker/server/handlers/09-offset-fetch";
import { findCoordinatorHandler } from "../../../lib/broker/server/handlers/10-find-coordinator";
import { joinGroupHandler } from "../../../lib/broker/server/handlers/11-join-group";
import { heartbeatHandler } from "../../../lib/broker/server/handlers/12-heartbeat";
import { leaveGroupHandler } from "../../../lib/broker/server/handlers/13-leave-group";
import { syncGroupHandler } from "../../../lib/broker/server/handlers/14-sync-group";
import { describeGroupsHandler } from "../../../lib/broker/server/handlers/15-describe-groups";
import { listGroupsHandler } from "../../../lib/broker/server/handlers/16-list-groups";
import { deleteGroupsHandler } from "../../../lib/broker/server/handlers/42-delete-groups";
import { FakeClock } from "./fake-clock";
import { TEST_CONFIG } from "./helpers";

/** Just what the group handlers use of the broker's services. */
function services(groups: unknown) {
  const fake = {
    groups,
    topics: {
      get: (name: string) =>
        name.startsWith("missing") ? undefined : { name, topicId: "", partitions: 2, configs: {} },
    },
    config: { nodeId: 7 },
    advertisedListeners: () => [{ name: "PLAINTEXT", host: "broker.test", port: 19092 }],
  };
  return fake as unknown as BrokerServices;
}

let correlationId = 0;

/** Sends `body` through the real codec at `version`, as a client would, and decodes the answer. */
async function call<K extends ApiKey>(
  handler: ApiHandler,
  apiKey: K,
  version: number,
  body: RequestInputOf<K>,
  broker: BrokerServices,
): Promise<ResponseOf<K>> {
  const frame = encodeRequest(apiKey, version, ++correlationId, "test-client", body).subarray(4);
  const header = readRequestHeader(frame);
  const req = decodeRequest(apiKey, version, frame, header.bodyOffset);
  const ctx: RequestContext = {
    apiKey,
    apiVersion: version,
    correlationId: header.correlationId,
    clientId: header.clientId,
    connectionId: 1,
    clientHost: "127.0.0.1",
    listenerName: "PLAINTEXT",
    principal: "User:ANONYMOUS",
  };
  const res = await handler.handle(req, ctx, broker);
  const out = concatChunks(
    encodeResponse(apiKey, version, header.correlationId, res as never),
  ).subarray(4);
  const decoded = decodeResponseFrame(apiKey, version, out);
  expect(decoded.correlationId).toBe(header.correlationId);
  return decoded.body;
}

const VERSION_SETS = Array.from({ length: 10 }, (_, i) => ({
  join: i,
  sync: Math.min(i, 5),
  heartbeat: Math.min(i, 4),
  leave: Math.min(i, 5),
  commit: Math.max(2, i),
  fetch: Math.max(1, i),
  describe: Math.min(i, 5),
  list: Math.min(i, 5),
  del: Math.min(i, 2),
  find: Math.min(i, 6),
}));

describe("group API handlers over the wire codec", () => {
  it.each(VERSION_SETS)("serve a whole group lifecycle (JoinGroup v$join)", async (v) => {
    const coordinator = await GroupCoordinator.start({
      store: new MemoryGroupStore(),
      clock: new FakeClock(),
      config: TEST_CONFIG,
    });
    const broker = services(coordinator);
    const groupId = `group-${v.join}`;

    const find = await call(
      findCoordinatorHandler,
      ApiKey.FindCoordinator,
      v.find,
      {
        key: groupId,
        keyType: 0,
        coordinatorKeys: [groupId],
      },
      broker,
    );
    const coordinatorAddress = v.find >= 4 ? find.coordinators[0] : find;
    expect(coordinatorAddress).toMatchObject({
      nodeId: 7,
      host: "broker.test",
      port: 19092,
      errorCode: 0,
    });

    const joinBody = {
      groupId,
      sessionTimeoutMs: 10_000,
      rebalanceTimeoutMs: 20_000,
      memberId: "",
      protocolType: "consumer",
      protocols: [{ name: "range", metadata: Buffer.from("subscription") }],
    };
    let joined = await call(joinGroupHandler, ApiKey.JoinGroup, v.join, joinBody, broker);
    if (v.join >= 4) {
      expect(joined.errorCode).toBe(ErrorCode.MEMBER_ID_REQUIRED);
      joined = await call(
        joinGroupHandler,
        ApiKey.JoinGroup,
        v.join,
        { ...joinBody, memberId: joined.memberId },
        broker,
      );
    }
    expect(joined).toMatchObject({
      errorCode: 0,
      generationId: 1,
      leader: joined.memberId,
      protocolName: "range",
    });
    expect(joined.memberId).toMatch(/^test-client-/);
    expect(joined.members.map((m) => m.metadata.toString())).toEqual(["subscription"]);
    const memberId = joined.memberId;

    const synced = await call(
      syncGroupHandler,
      ApiKey.SyncGroup,
      v.sync,
      {
        groupId,
        generationId: 1,
        memberId,
        protocolType: "consumer",
        protocolName: "range",
        assignments: [{ memberId, assignment: Buffer.from("partitions") }],
      },
      broker,
    );
    expect(synced.errorCode).toBe(0);
    expect(synced.assignment.toString()).toBe("partitions");

    const beat = await call(
      heartbeatHandler,
      ApiKey.Heartbeat,
      v.heartbeat,
      { groupId, generationId: 1, memberId },
      broker,
    );
    expect(beat.errorCode).toBe(0);

    const committed = await call(
      offsetCommitHandler,
      ApiKey.OffsetCommit,
      v.commit,
      {
        groupId,
        generationIdOrMemberEpoch: 1,
        memberId,
        topics: [
          {
            name: "t",
            partitions: [
              { partitionIndex: 0, committedOffset: 42n, committedMetadata: "meta" },
              { partitionIndex: 5, committedOffset: 1n, committedMetadata: null },
            ],
          },
          {
            name: "missing",
            partitions: [{ partitionIndex: 0, committedOffset: 1n, committedMetadata: "" }],
          },
        ],
      },
      broker,
    );
    expect(committed.topics.map((t) => t.partitions.map((p) => p.errorCode))).toEqual([
      [0, ErrorCode.UNKNOWN_TOPIC_OR_PARTITION],
      [ErrorCode.UNKNOWN_TOPIC_OR_PARTITION],
    ]);

    const wanted = [{ name: "t", partitionIndexes: [0, 1] }];
    const fetched = await call(
      offsetFetchHandler,
      ApiKey.OffsetFetch,
      v.fetch,
      {
        groupId,
        topics: wanted,
        groups: [{ groupId, topics: wanted }],
      },
      broker,
    );
    const fetchedTopics = v.fetch >= 8 ? fetched.groups[0]?.topics : fetched.topics;
    expect(
      fetchedTopics?.[0]?.partitions.map((p) => [p.partitionIndex, p.committedOffset, p.metadata]),
    ).toEqual([
      [0, 42n, "meta"],
      [1, -1n, ""],
    ]);

    const described = await call(
      describeGroupsHandler,
      ApiKey.DescribeGroups,
      v.describe,
      { groups: [groupId, "nope"] },
      broker,
    );
    expect(described.groups.map((g) => [g.groupState, g.protocolData, g.members.length])).toEqual([
      ["Stable", "range", 1],
      ["Dead", "", 0],
    ]);
    expect(described.groups[0]?.members[0]).toMatchObject({
      clientId: "test-client",
      clientHost: "/127.0.0.1",
    });

    const listed = await call(
      listGroupsHandler,
      ApiKey.ListGroups,
      v.list,
      { statesFilter: ["Stable"] },
      broker,
    );
    expect(listed.groups.map((g) => [g.groupId, g.protocolType])).toEqual([[groupId, "consumer"]]);

    const notEmpty = await call(
      deleteGroupsHandler,
      ApiKey.DeleteGroups,
      v.del,
      { groupsNames: [groupId] },
      broker,
    );
    expect(notEmpty.results[0]?.errorCode).toBe(ErrorCode.NON_EMPTY_GROUP);

    const left = await call(
      leaveGroupHandler,
      ApiKey.LeaveGroup,
      v.leave,
      {
        groupId,
        memberId,
        members: [{ memberId, groupInstanceId: null }],
      },
      broker,
    );
    expect(left.errorCode).toBe(0);
    if (v.leave >= 3)
      expect(left.members).toEqual([{ memberId, groupInstanceId: null, errorCode: 0 }]);

    const deleted = await call(
      deleteGroupsHandler,
      ApiKey.DeleteGroups,
      v.del,
      { groupsNames: [groupId, "nope"] },
      broker,
    );
    expect(deleted.results.map((r) => r.errorCode)).toEqual([0, ErrorCode.GROUP_ID_NOT_FOUND]);
    await coordinator.close();
  });

  it("answers COORDINATOR_NOT_AVAILABLE when the broker runs without a coordinator", async () => {
    const broker = services({ close: async () => {} });
    const joined = await call(
      joinGroupHandler,
      ApiKey.JoinGroup,
      5,
      {
        groupId: "g",
        sessionTimeoutMs: 10_000,
        memberId: "",
        protocolType: "consumer",
        protocols: [],
      },
      broker,
    );
    expect(joined.errorCode).toBe(ErrorCode.COORDINATOR_NOT_AVAILABLE);
    const beat = await call(
      heartbeatHandler,
      ApiKey.Heartbeat,
      4,
      { groupId: "g", generationId: 1, memberId: "m" },
      broker,
    );
    expect(beat.errorCode).toBe(ErrorCode.COORDINATOR_NOT_AVAILABLE);
  });

  it("answers the leave of a v0-2 single member with its error at the top level", async () => {
    const coordinator = await GroupCoordinator.start({
      store: new MemoryGroupStore(),
      clock: new FakeClock(),
      config: TEST_CONFIG,
    });
    const left = await call(
      leaveGroupHandler,
      ApiKey.LeaveGroup,
      1,
      { groupId: "g", memberId: "ghost" },
      services(coordinator),
    );
    expect(left.errorCode).toBe(ErrorCode.UNKNOWN_MEMBER_ID);
    await coordinator.close();
  });

  it("rejects unknown FindCoordinator key types and lists nothing for a non-classic types filter", async () => {
    const coordinator = await GroupCoordinator.start({
      store: new MemoryGroupStore(),
      clock: new FakeClock(),
      config: TEST_CONFIG,
    });
    const broker = services(coordinator);
    const find = await call(
      findCoordinatorHandler,
      ApiKey.FindCoordinator,
      4,
      { keyType: 5, coordinatorKeys: ["a", "b"] },
      broker,
    );
    expect(find.coordinators.map((c) => c.errorCode)).toEqual([
      ErrorCode.INVALID_REQUEST,
      ErrorCode.INVALID_REQUEST,
    ]);
    await coordinator.commitOffsets({
      groupId: "solo",
      generationId: -1,
      memberId: "",
      groupInstanceId: null,
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
    const consumerOnly = await call(
      listGroupsHandler,
      ApiKey.ListGroups,
      5,
      { typesFilter: ["consumer"] },
      broker,
    );
    expect(consumerOnly.groups).toEqual([]);
    const classic = await call(
      listGroupsHandler,
      ApiKey.ListGroups,
      5,
      { typesFilter: ["Classic"] },
      broker,
    );
    expect(classic.groups.map((g) => [g.groupId, g.groupState, g.groupType])).toEqual([
      ["solo", "Empty", "classic"],
    ]);
    await coordinator.close();
  });
  it("re-admits a restarted static member at JoinGroup v9 with skipAssignment and no rebalance", async () => {
    const coordinator = await GroupCoordinator.start({
      store: new MemoryGroupStore(),
      clock: new FakeClock(),
      config: TEST_CONFIG,
    });
    const broker = services(coordinator);
    const join = {
      groupId: "static",
      sessionTimeoutMs: 10_000,
      rebalanceTimeoutMs: 20_000,
      memberId: "",
      groupInstanceId: "pod-0",
      protocolType: "consumer",
      protocols: [{ name: "range", metadata: Buffer.from("sub") }],
    };
    const first = await call(joinGroupHandler, ApiKey.JoinGroup, 9, join, broker);
    expect(first).toMatchObject({ errorCode: 0, generationId: 1, skipAssignment: false });
    await call(
      syncGroupHandler,
      ApiKey.SyncGroup,
      5,
      {
        groupId: "static",
        generationId: 1,
        memberId: first.memberId,
        groupInstanceId: "pod-0",
        assignments: [{ memberId: first.memberId, assignment: Buffer.from("p0") }],
      },
      broker,
    );
    const again = await call(joinGroupHandler, ApiKey.JoinGroup, 9, join, broker);
    expect(again).toMatchObject({ errorCode: 0, generationId: 1, skipAssignment: true });
    expect(again.memberId).not.toBe(first.memberId);
    const fenced = await call(
      heartbeatHandler,
      ApiKey.Heartbeat,
      4,
      {
        groupId: "static",
        generationId: 1,
        memberId: first.memberId,
        groupInstanceId: "pod-0",
      },
      broker,
    );
    expect(fenced.errorCode).toBe(ErrorCode.FENCED_INSTANCE_ID);
    const left = await call(
      leaveGroupHandler,
      ApiKey.LeaveGroup,
      5,
      {
        groupId: "static",
        members: [
          { memberId: "", groupInstanceId: "pod-0" },
          { memberId: "ghost", groupInstanceId: null },
        ],
      },
      broker,
    );
    expect(left.members.map((m) => m.errorCode)).toEqual([0, ErrorCode.UNKNOWN_MEMBER_ID]);
    await coordinator.close();
  });
});
