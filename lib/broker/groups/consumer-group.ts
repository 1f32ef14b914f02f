import type { Timer } from "./clock";
import type { CommittedOffset, GroupProtocol, GroupState } from "./group-api";
import type { GroupMember } from "./group-member";

/** The state transitions Kafka allows; anything else is a coordinator bug. */
const VALID_PREVIOUS: Record<GroupState, readonly GroupState[]> = {
  Empty: ["PreparingRebalance"],
  PreparingRebalance: ["Stable", "CompletingRebalance", "Empty"],
  CompletingRebalance: ["PreparingRebalance"],
  Stable: ["CompletingRebalance"],
  Dead: ["Stable", "PreparingRebalance", "CompletingRebalance", "Empty", "Dead"],
};

/** The in-memory state of one classic group: membership, generation and committed offsets. */
export class ConsumerGroup {
  readonly groupId: string;
  private currentState: GroupState = "Empty";
  /** When the state last changed (offsets of an Empty group expire relative to it). */
  stateTimestamp: number;
  generationId = 0;
  protocolType: string | null = null;
  protocolName: string | null = null;
  leaderId: string | null = null;
  /** Members in join order (the order decides a new leader). */
  readonly members = new Map<string, GroupMember>();
  /** group.instance.id → member id of static members. */
  readonly staticMembers = new Map<string, string>();
  /** Member ids handed out with MEMBER_ID_REQUIRED, with their expiry. */
  readonly pendingMembers = new Map<string, Timer>();
  /** Members of the current generation that have not sent SyncGroup yet. */
  readonly pendingSyncMembers = new Set<string>();
  /** The delayed completion of the running join phase, or of the sync phase. */
  phaseTimer: Timer | null = null;
  /** Whether the running join phase is the initial delay of an empty group (which never completes early). */
  initialDelay: { remainingMs: number; newMemberAdded: boolean } | null = null;
  /** topic → partition → committed offset. */
  readonly offsets = new Map<string, Map<number, CommittedOffset>>();
  /** topic → partition → sequence of the latest commit accepted for writing (orders concurrent commits). */
  readonly offsetSequence = new Map<string, number>();

  constructor(groupId: string, now: number) {
    this.groupId = groupId;
    this.stateTimestamp = now;
  }

  get state(): GroupState {
    return this.currentState;
  }

  /** Moves to `next`, checking that Kafka's state machine allows it. */
  transitionTo(next: GroupState, now: number): void {
    if (!VALID_PREVIOUS[next].includes(this.currentState)) {
      throw new Error(`group ${this.groupId}: illegal transition ${this.currentState} → ${next}`);
    }
    this.currentState = next;
    this.stateTimestamp = now;
  }

  /** Forces a state (used when restoring a persisted group). */
  restoreState(state: GroupState, stateTimestamp: number): void {
    this.currentState = state;
    this.stateTimestamp = stateTimestamp;
  }

  /** The largest rebalance timeout of the members: how long a rebalance waits for rejoins. */
  get rebalanceTimeoutMs(): number {
    let max = 0;
    for (const m of this.members.values()) max = Math.max(max, m.rebalanceTimeoutMs);
    return max;
  }

  /** Whether every member has rejoined and no member id handed out is still expected. */
  hasAllMembersJoined(): boolean {
    for (const m of this.members.values()) if (!m.isAwaitingJoin) return false;
    return this.pendingMembers.size === 0;
  }

  /** Adds a member; the first member sets the protocol type and becomes leader. */
  add(member: GroupMember): void {
    if (this.members.size === 0) this.protocolType = member.protocolType;
    this.members.set(member.memberId, member);
    if (member.groupInstanceId !== null) {
      this.staticMembers.set(member.groupInstanceId, member.memberId);
    }
    if (this.leaderId === null) this.leaderId = member.memberId;
  }

  /** Removes a member; a removed leader is replaced by the oldest remaining member. */
  remove(memberId: string): GroupMember | undefined {
    const member = this.members.get(memberId);
    if (member === undefined) return undefined;
    this.members.delete(memberId);
    this.pendingSyncMembers.delete(memberId);
    if (
      member.groupInstanceId !== null &&
      this.staticMembers.get(member.groupInstanceId) === memberId
    ) {
      this.staticMembers.delete(member.groupInstanceId);
    }
    if (this.leaderId === memberId) {
      const first = this.members.keys().next();
      this.leaderId = first.done ? null : first.value;
    }
    return member;
  }

  /**
   * A static member fenced: its instance id is known but bound to another member id
   * (an older incarnation of a restarted static consumer).
   */
  isStaticMemberFenced(memberId: string, groupInstanceId: string | null): boolean {
    if (groupInstanceId === null) return false;
    const current = this.staticMembers.get(groupInstanceId);
    return current !== undefined && current !== memberId;
  }

  /** Whether a member with these protocols may join (Kafka's `supportsProtocols`). */
  supportsProtocols(
    joiningMemberId: string,
    protocolType: string,
    protocols: readonly GroupProtocol[],
  ): boolean {
    const others = [...this.members.values()].filter((m) => m.memberId !== joiningMemberId);
    if (others.length === 0) return protocolType !== "" && protocols.length > 0;
    if (this.protocolType !== protocolType) return false;
    return protocols.some((p) => others.every((m) => m.protocols.some((q) => q.name === p.name)));
  }

  /**
   * Picks the protocol for the next generation: among those every member supports, the one most
   * members list first; ties go to the leader's preference order.
   */
  selectProtocol(): string | null {
    const members = [...this.members.values()];
    const first = members[0];
    if (first === undefined) return null;
    const leader = (this.leaderId !== null && this.members.get(this.leaderId)) || first;
    const candidates = leader.protocols
      .map((p) => p.name)
      .filter((name) => members.every((m) => m.protocols.some((q) => q.name === name)));
    if (candidates.length === 0) return null;
    const votes = new Map<string, number>();
    for (const m of members) {
      const choice = m.protocols.find((p) => candidates.includes(p.name));
      if (choice !== undefined) votes.set(choice.name, (votes.get(choice.name) ?? 0) + 1);
    }
    let best: string | null = null;
    let bestVotes = -1;
    for (const name of candidates) {
      const v = votes.get(name) ?? 0;
      if (v > bestVotes) {
        best = name;
        bestVotes = v;
      }
    }
    return best;
  }

  /** The committed offset of one partition, if any. */
  offset(topic: string, partition: number): CommittedOffset | undefined {
    return this.offsets.get(topic)?.get(partition);
  }

  /** Records (or with null, forgets) a committed offset in memory. */
  setOffset(topic: string, partition: number, value: CommittedOffset | null): void {
    let partitions = this.offsets.get(topic);
    if (value === null) {
      partitions?.delete(partition);
      if (partitions?.size === 0) this.offsets.delete(topic);
      return;
    }
    if (partitions === undefined) {
      partitions = new Map();
      this.offsets.set(topic, partitions);
    }
    partitions.set(partition, value);
  }

  /** Whether the group has neither members nor committed offsets (it can be forgotten). */
  get isEmptyOfEverything(): boolean {
    return this.members.size === 0 && this.pendingMembers.size === 0 && this.offsets.size === 0;
  }
}
