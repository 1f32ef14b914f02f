import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { JoinGroupResult } from "../../../lib/broker/groups/group-api";
import { GroupCoordinator } from "../../../lib/broker/groups/group-coordinator";
import { flush, GroupErrorCode, joinParams, setup, TEST_CONFIG } from "./helpers";

/** What one simulated client knows about itself. */
interface Client {
  memberId: string;
  generationId: number;
  lastJoin: JoinGroupResult | null;
}

type Op =
  | { kind: "join"; slot: number }
  | { kind: "sync"; slot: number }
  | { kind: "heartbeat"; slot: number }
  | { kind: "leave"; slot: number }
  | { kind: "commit"; slot: number }
  | { kind: "advance"; ms: number }
  | { kind: "restart" };

const SLOTS = 4;
/** Slot 3 is a static member (group.instance.id "static-3"). */
const instanceOf = (slot: number) => (slot === 3 ? "static-3" : null);

const opArb: fc.Arbitrary<Op> = fc.oneof(
  fc.record({ kind: fc.constant("join" as const), slot: fc.nat(SLOTS - 1) }),
  fc.record({ kind: fc.constant("sync" as const), slot: fc.nat(SLOTS - 1) }),
  fc.record({ kind: fc.constant("heartbeat" as const), slot: fc.nat(SLOTS - 1) }),
  fc.record({ kind: fc.constant("leave" as const), slot: fc.nat(SLOTS - 1) }),
  fc.record({ kind: fc.constant("commit" as const), slot: fc.nat(SLOTS - 1) }),
  fc.record({ kind: fc.constant("advance" as const), ms: fc.integer({ min: 0, max: 4000 }) }),
  fc.constant({ kind: "restart" as const }),
);

describe("GroupCoordinator under random client behaviour", () => {
  it("keeps its invariants and answers every parked request", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(opArb, { minLength: 1, maxLength: 50, size: "max" }),
        fc.boolean(),
        async (ops, delay) => {
          const config = { ...TEST_CONFIG, initialRebalanceDelayMs: delay ? 1000 : 0 };
          const started = await setup(config);
          const { clock, store } = started;
          let coordinator = started.coordinator;
          const clients: Client[] = Array.from({ length: SLOTS }, () => ({
            memberId: "",
            generationId: -1,
            lastJoin: null,
          }));
          const pending: Promise<unknown>[] = [];
          const session = { sessionTimeoutMs: 3000, rebalanceTimeoutMs: 2000 };
          // Client behaviour as real consumers have it: retry after MEMBER_ID_REQUIRED, sync after a
          // successful join (the leader with an assignment for everybody).
          const sync = (slot: number): void => {
            const c = clients[slot] as Client;
            const isLeader = c.lastJoin !== null && c.lastJoin.leader === c.memberId;
            const assignments = isLeader
              ? (c.lastJoin?.members ?? []).map((m) => ({
                  memberId: m.memberId,
                  assignment: Buffer.from(m.memberId),
                }))
              : [];
            pending.push(
              coordinator.syncGroup({
                groupId: "g",
                generationId: c.generationId,
                memberId: c.memberId,
                groupInstanceId: instanceOf(slot),
                protocolType: "consumer",
                protocolName: null,
                assignments,
              }),
            );
          };
          const join = (slot: number): void => {
            const c = clients[slot] as Client;
            const p = coordinator
              .joinGroup(
                joinParams({ memberId: c.memberId, groupInstanceId: instanceOf(slot), ...session }),
              )
              .then((r) => {
                if (r.errorCode === GroupErrorCode.MEMBER_ID_REQUIRED) {
                  c.memberId = r.memberId;
                  join(slot);
                } else if (r.errorCode === 0) {
                  c.memberId = r.memberId;
                  c.generationId = r.generationId;
                  c.lastJoin = r;
                  sync(slot);
                } else if (r.errorCode === GroupErrorCode.UNKNOWN_MEMBER_ID) {
                  c.memberId = "";
                }
              });
            pending.push(p);
          };
          for (const op of ops) {
            if (op.kind === "advance") {
              clock.advance(op.ms);
            } else if (op.kind === "restart") {
              // The broker restarts: parked requests fail, the group comes back from the store.
              await coordinator.close();
              coordinator = await GroupCoordinator.start({ store, clock, config });
            } else {
              const c = clients[op.slot] as Client;
              const groupInstanceId = instanceOf(op.slot);
              switch (op.kind) {
                case "join":
                  join(op.slot);
                  break;
                case "sync":
                  sync(op.slot);
                  break;
                case "heartbeat": {
                  const error = coordinator.heartbeat({
                    groupId: "g",
                    generationId: c.generationId,
                    memberId: c.memberId,
                    groupInstanceId,
                  });
                  // Like a real client: rejoin when told to.
                  if (error === GroupErrorCode.REBALANCE_IN_PROGRESS) join(op.slot);
                  break;
                }
                case "leave":
                  coordinator.leaveGroup("g", [{ memberId: c.memberId, groupInstanceId }]);
                  c.memberId = "";
                  c.generationId = -1;
                  break;
                case "commit":
                  pending.push(
                    coordinator.commitOffsets({
                      groupId: "g",
                      generationId: c.generationId,
                      memberId: c.memberId,
                      groupInstanceId,
                      retentionTimeMs: -1,
                      topics: [
                        {
                          name: "t",
                          partitions: [
                            {
                              partitionIndex: op.slot,
                              committedOffset: 1,
                              committedLeaderEpoch: -1,
                              committedMetadata: null,
                            },
                          ],
                        },
                      ],
                    }),
                  );
                  break;
              }
            }
            await flush();

            // Invariants visible from outside.
            const d = coordinator.describeGroup("g");
            if (d.groupState === "Empty") expect(d.members).toEqual([]);
            if (d.groupState === "Stable" || d.groupState === "CompletingRebalance") {
              expect(d.members.length).toBeGreaterThan(0);
            }
            const ids = d.members.map((m) => m.memberId);
            expect(new Set(ids).size).toBe(ids.length);
            if (d.groupState === "Stable") {
              // The leader assigned every member its own id; a replaced static member keeps the
              // assignment of its previous incarnation.
              for (const m of d.members) {
                if (m.groupInstanceId === null)
                  expect(m.memberAssignment.toString()).toBe(m.memberId);
                else expect(m.memberAssignment.toString()).toMatch(/^static-3-/);
              }
            }
            const statics = d.members.filter((m) => m.groupInstanceId === "static-3");
            expect(statics.length).toBeLessThanOrEqual(1);
          }
          // A long quiet period drains every member (sessions expire) and every parked request.
          clock.advance(60_000);
          await flush();
          expect(coordinator.describeGroup("g").members).toEqual([]);
          await coordinator.close();
          const settled = await Promise.race([
            Promise.allSettled(pending).then(() => true),
            flush().then(() => false),
          ]);
          expect(settled).toBe(true);
          expect(clock.pendingTimers).toBe(0);
        },
      ),
      { numRuns: 200 },
    );
  });
});
