import type {
  GroupProtocol,
  JoinGroupParams,
  JoinGroupResult,
} from "../../../lib/broker/groups/group-api";
import type { GroupCoordinatorConfig } from "../../../lib/broker/groups/group-config";
import { GroupCoordinator } from "../../../lib/broker/groups/group-coordinator";
import { GroupErrorCode } from "../../../lib/broker/groups/group-error-code";
import { MemoryGroupStore } from "../../../lib/broker/groups/group-store";
import { FakeClock } from "./fake-clock";

/** A protocol with readable metadata. */
export function proto(name: string, metadata = name): GroupProtocol {
  return { name, metadata: Buffer.from(metadata) };
}

/** Test configuration: no initial delay, small session timeouts allowed. */
export const TEST_CONFIG: Partial<GroupCoordinatorConfig> = {
  initialRebalanceDelayMs: 0,
  minSessionTimeoutMs: 100,
};

/** A coordinator on a fake clock and an in-memory store. */
export async function setup(config: Partial<GroupCoordinatorConfig> = {}) {
  const clock = new FakeClock();
  const store = new MemoryGroupStore();
  const lines: string[] = [];
  const coordinator = await GroupCoordinator.start({
    clock,
    store,
    config: { ...TEST_CONFIG, ...config },
    log: (l) => lines.push(l),
  });
  return { clock, store, coordinator, lines };
}

/** JoinGroup parameters with defaults (group "g", consumer protocol "range", 10 s session, 30 s rebalance). */
export function joinParams(overrides: Partial<JoinGroupParams> = {}): JoinGroupParams {
  return {
    groupId: "g",
    memberId: "",
    groupInstanceId: null,
    requireKnownMemberId: true,
    clientId: "client",
    clientHost: "/127.0.0.1",
    sessionTimeoutMs: 10_000,
    rebalanceTimeoutMs: 30_000,
    protocolType: "consumer",
    protocols: [proto("range")],
    ...overrides,
  };
}

/** Lets parked promises and store appends settle. */
export async function flush(): Promise<void> {
  for (let i = 0; i < 5; i++) await new Promise((r) => setImmediate(r));
}

const PENDING = Symbol("pending");

/** The value of `p` if it has settled, else the PENDING marker. */
export async function peek<T>(p: Promise<T>): Promise<T | typeof PENDING> {
  await flush();
  return Promise.race([p, Promise.resolve(PENDING)]);
}

/** Whether `p` is still pending after everything runnable ran. */
export async function isPending(p: Promise<unknown>): Promise<boolean> {
  return (await peek(p)) === PENDING;
}

/**
 * Joins a new dynamic member the v4+ way (MEMBER_ID_REQUIRED, then a second join) and returns the
 * member id with the parked second JoinGroup.
 */
export async function joinNew(
  coordinator: GroupCoordinator,
  overrides: Partial<JoinGroupParams> = {},
): Promise<{ memberId: string; join: Promise<JoinGroupResult> }> {
  const first = await coordinator.joinGroup(joinParams(overrides));
  if (first.errorCode !== GroupErrorCode.MEMBER_ID_REQUIRED) {
    throw new Error(`expected MEMBER_ID_REQUIRED, got ${first.errorCode}`);
  }
  const join = coordinator.joinGroup(joinParams({ ...overrides, memberId: first.memberId }));
  return { memberId: first.memberId, join };
}

/** Joins and syncs one member alone into group "g" (or overrides.groupId), returning it Stable. */
export async function stableSingle(
  coordinator: GroupCoordinator,
  overrides: Partial<JoinGroupParams> = {},
  assignment = Buffer.from("a0"),
) {
  const { memberId, join } = await joinNew(coordinator, overrides);
  const joined = await join;
  const sync = await coordinator.syncGroup({
    groupId: overrides.groupId ?? "g",
    generationId: joined.generationId,
    memberId,
    groupInstanceId: overrides.groupInstanceId ?? null,
    protocolType: null,
    protocolName: null,
    assignments: [{ memberId, assignment }],
  });
  return { memberId, joined, sync };
}

export { GroupErrorCode };
