import { randomUUID } from "node:crypto";
import type { LogManager } from "../log";
import { type GroupClock, systemGroupClock, type Timer } from "./clock";
import { ConsumerGroup } from "./consumer-group";
import type {
  DescribedGroup,
  HeartbeatParams,
  JoinGroupParams,
  JoinGroupResult,
  LeaveGroupResult,
  LeavingMember,
  ListedGroup,
  OffsetCommitParams,
  OffsetCommitTopicResult,
  OffsetFetchGroupResult,
  SyncGroupParams,
  SyncGroupResult,
} from "./group-api";
import { DEFAULT_GROUP_COORDINATOR_CONFIG, type GroupCoordinatorConfig } from "./group-config";
import { GroupCoordinatorError, GroupErrorCode } from "./group-error-code";
import { GroupMember } from "./group-member";
import { GroupOffsets, type OffsetFetchRequestGroup } from "./group-offsets";
import { restoreGroups, snapshotGroup } from "./group-snapshot";
import type { GroupStore, GroupStoreRecord } from "./group-store";
import { LogGroupStore } from "./log-group-store";

const EMPTY = Buffer.alloc(0);

/** Options of {@link GroupCoordinator.start}. */
export interface GroupCoordinatorOptions {
  /** Where offsets and group metadata are persisted. */
  readonly store: GroupStore;
  /** @default - the wall clock */
  readonly clock?: GroupClock;
  /** @default - Kafka's defaults ({@link DEFAULT_GROUP_COORDINATOR_CONFIG}) */
  readonly config?: Partial<GroupCoordinatorConfig>;
  /** Receives one line per notable event (member expired, rebalance started). @default - silent */
  readonly log?: (line: string) => void;
}

function toGroupClock(clock: GroupClock | { now(): number } | undefined): GroupClock {
  if (clock === undefined) return systemGroupClock;
  if ("schedule" in clock && typeof clock.schedule === "function") return clock;
  return { now: () => clock.now(), schedule: systemGroupClock.schedule };
}

function joinError(memberId: string, errorCode: number): JoinGroupResult {
  return {
    errorCode,
    generationId: -1,
    protocolType: null,
    protocolName: null,
    leader: "",
    skipAssignment: false,
    memberId,
    members: [],
  };
}

function syncError(errorCode: number): SyncGroupResult {
  return { errorCode, protocolType: null, protocolName: null, assignment: EMPTY };
}

/**
 * Kafka's classic group coordinator for a single broker: the group state machine (Empty →
 * PreparingRebalance → CompletingRebalance → Stable, Dead when deleted), session and rebalance
 * timeouts, the initial rebalance delay, static membership, and committed offsets persisted through a
 * {@link GroupStore}. Pure logic: time only through {@link GroupClock}, disk only through the store.
 *
 * JoinGroup and SyncGroup return promises that stay pending until the rebalance (or the leader's
 * assignment) completes, exactly like Kafka parks those requests in purgatory.
 */
export class GroupCoordinator {
  /** The effective configuration. */
  readonly config: GroupCoordinatorConfig;
  private readonly clock: GroupClock;
  private readonly store: GroupStore;
  private readonly log: (line: string) => void;
  private readonly groups = new Map<string, ConsumerGroup>();
  private expiryTimer: Timer | null = null;
  private closed = false;
  private readonly offsets: GroupOffsets;

  private constructor(options: GroupCoordinatorOptions) {
    this.config = { ...DEFAULT_GROUP_COORDINATOR_CONFIG, ...options.config };
    this.clock = options.clock ?? systemGroupClock;
    this.store = options.store;
    this.log = options.log ?? (() => {});
    this.offsets = new GroupOffsets({
      groups: this.groups,
      store: this.store,
      clock: this.clock,
      config: this.config,
      log: this.log,
      isClosed: () => this.closed,
      heartbeatReceived: (group, member) => this.heartbeatReceived(group, member),
      maybeForget: (group) => this.maybeForget(group),
    });
  }

  /**
   * Opens the broker's coordinator: offsets and group metadata live in `__consumer_offsets`
   * partition 0 of `logs` (created compacted if missing) and are replayed before this resolves.
   * A clock without `schedule` (the broker's wall clock) gets real timers.
   */
  static async open(options: {
    readonly logs: LogManager;
    readonly dataDir?: string;
    readonly clock?: GroupClock | { now(): number };
    readonly config?: Partial<GroupCoordinatorConfig>;
    readonly log?: (line: string) => void;
    /** The broker's logger, used when `log` is not given. */
    readonly logger?: { info(message: string): void };
  }): Promise<GroupCoordinator> {
    const clock = toGroupClock(options.clock);
    const store = await LogGroupStore.open(options.logs, clock);
    const logger = options.logger;
    const log =
      options.log ?? (logger ? (line: string) => logger.info(`groups: ${line}`) : undefined);
    return GroupCoordinator.start({ store, clock, config: options.config, log });
  }

  /** Creates a coordinator and restores the offsets and groups persisted in `options.store`. */
  static async start(options: GroupCoordinatorOptions): Promise<GroupCoordinator> {
    const coordinator = new GroupCoordinator(options);
    coordinator.restore(await options.store.load());
    coordinator.scheduleOffsetExpiry();
    return coordinator;
  }

  /** Stops all timers, answers parked requests with COORDINATOR_NOT_AVAILABLE and closes the store. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.expiryTimer?.cancel();
    for (const group of this.groups.values()) {
      group.phaseTimer?.cancel();
      for (const timer of group.pendingMembers.values()) timer.cancel();
      for (const member of group.members.values()) {
        member.heartbeatTimer?.cancel();
        member.completeJoin(joinError(member.memberId, GroupErrorCode.COORDINATOR_NOT_AVAILABLE));
        member.completeSync(syncError(GroupErrorCode.COORDINATOR_NOT_AVAILABLE));
      }
    }
    await this.store.close();
  }

  // ---------------------------------------------------------------- JoinGroup

  /** Handles a JoinGroup; resolves when the member's rebalance completes (or at once on errors). */
  joinGroup(params: JoinGroupParams): Promise<JoinGroupResult> {
    return new Promise((resolve) => {
      const immediate = this.doJoin(params, resolve);
      if (immediate === null) return;
      resolve(immediate);
      // A rejected first join must not leave an empty group behind (it would show in ListGroups).
      const group = this.groups.get(params.groupId);
      if (group !== undefined) this.maybeForget(group);
    });
  }

  /** Returns the answer, or null when the request is parked until `respond` is called. */
  private doJoin(
    p: JoinGroupParams,
    respond: (r: JoinGroupResult) => void,
  ): JoinGroupResult | null {
    if (this.closed) return joinError(p.memberId, GroupErrorCode.COORDINATOR_NOT_AVAILABLE);
    if (p.groupId === "") return joinError(p.memberId, GroupErrorCode.INVALID_GROUP_ID);
    if (
      p.sessionTimeoutMs < this.config.minSessionTimeoutMs ||
      p.sessionTimeoutMs > this.config.maxSessionTimeoutMs
    ) {
      return joinError(p.memberId, GroupErrorCode.INVALID_SESSION_TIMEOUT);
    }
    let group = this.groups.get(p.groupId);
    if (group === undefined) {
      if (p.memberId !== "") return joinError(p.memberId, GroupErrorCode.UNKNOWN_MEMBER_ID);
      group = new ConsumerGroup(p.groupId, this.clock.now());
      this.groups.set(p.groupId, group);
    }
    if (group.state === "Dead") {
      return joinError(p.memberId, GroupErrorCode.COORDINATOR_NOT_AVAILABLE);
    }
    // A restarting static member replaces its old incarnation, whose protocols must not veto its own.
    const replacing =
      p.memberId === "" && p.groupInstanceId !== null
        ? (group.staticMembers.get(p.groupInstanceId) ?? "")
        : p.memberId;
    if (!group.supportsProtocols(replacing, p.protocolType, p.protocols)) {
      return joinError(p.memberId, GroupErrorCode.INCONSISTENT_GROUP_PROTOCOL);
    }

    if (p.memberId === "") {
      const newMemberId = `${p.groupInstanceId ?? p.clientId}-${randomUUID()}`;
      if (p.groupInstanceId !== null) {
        const oldMemberId = group.staticMembers.get(p.groupInstanceId);
        if (oldMemberId !== undefined) {
          return this.replaceStaticMember(group, oldMemberId, newMemberId, p, respond);
        }
      } else if (p.requireKnownMemberId) {
        // KIP-394: hand out an id first so a client that dies before rejoining leaves no ghost member.
        if (this.groupIsFull(group)) {
          return joinError("", GroupErrorCode.GROUP_MAX_SIZE_REACHED);
        }
        const timer = this.clock.schedule(p.sessionTimeoutMs, () =>
          this.expirePendingMember(group, newMemberId),
        );
        group.pendingMembers.set(newMemberId, timer);
        return joinError(newMemberId, GroupErrorCode.MEMBER_ID_REQUIRED);
      }
      if (this.groupIsFull(group)) {
        return joinError("", GroupErrorCode.GROUP_MAX_SIZE_REACHED);
      }
      return this.addMemberAndRebalance(group, newMemberId, p, respond);
    }

    const pending = group.pendingMembers.get(p.memberId);
    if (pending !== undefined) {
      pending.cancel();
      group.pendingMembers.delete(p.memberId);
      return this.addMemberAndRebalance(group, p.memberId, p, respond);
    }
    if (group.isStaticMemberFenced(p.memberId, p.groupInstanceId)) {
      return joinError(p.memberId, GroupErrorCode.FENCED_INSTANCE_ID);
    }
    const member = group.members.get(p.memberId);
    if (member === undefined) {
      return joinError(p.memberId, GroupErrorCode.UNKNOWN_MEMBER_ID);
    }
    switch (group.state) {
      case "PreparingRebalance":
        return this.updateMemberAndRebalance(group, member, p, respond);
      case "CompletingRebalance":
        // A retried JoinGroup of this generation: answer it again unless the member changed.
        if (member.matches(p.protocols)) return this.joinResult(group, member, false);
        return this.updateMemberAndRebalance(group, member, p, respond);
      case "Stable":
        // The leader rejoining (e.g. its subscription changed) or a changed member forces a rebalance;
        // a follower rejoining unchanged just learns the current generation.
        if (member.memberId === group.leaderId || !member.matches(p.protocols)) {
          return this.updateMemberAndRebalance(group, member, p, respond);
        }
        this.heartbeatReceived(group, member);
        return this.joinResult(group, member, false);
      default:
        return joinError(p.memberId, GroupErrorCode.UNKNOWN_MEMBER_ID);
    }
  }

  private groupIsFull(group: ConsumerGroup): boolean {
    return group.members.size + group.pendingMembers.size >= this.config.maxGroupSize;
  }

  private addMemberAndRebalance(
    group: ConsumerGroup,
    memberId: string,
    p: JoinGroupParams,
    respond: (r: JoinGroupResult) => void,
  ): null {
    const member = new GroupMember({
      memberId,
      groupInstanceId: p.groupInstanceId,
      clientId: p.clientId,
      clientHost: p.clientHost,
      rebalanceTimeoutMs: p.rebalanceTimeoutMs,
      sessionTimeoutMs: p.sessionTimeoutMs,
      protocolType: p.protocolType,
      protocols: p.protocols,
    });
    member.joinCallback = respond;
    group.add(member);
    if (group.initialDelay !== null) group.initialDelay.newMemberAdded = true;
    this.heartbeatReceived(group, member);
    this.maybePrepareRebalance(group, `member ${memberId} joined`);
    this.tryCompleteJoin(group);
    return null;
  }

  private updateMemberAndRebalance(
    group: ConsumerGroup,
    member: GroupMember,
    p: JoinGroupParams,
    respond: (r: JoinGroupResult) => void,
  ): null {
    this.updateMember(member, p, respond);
    this.heartbeatReceived(group, member);
    this.maybePrepareRebalance(group, `member ${member.memberId} rejoined`);
    this.tryCompleteJoin(group);
    return null;
  }

  private updateMember(
    member: GroupMember,
    p: JoinGroupParams,
    respond: (r: JoinGroupResult) => void,
  ): void {
    // A second JoinGroup from the same member supersedes its parked one.
    member.completeJoin(joinError(member.memberId, GroupErrorCode.REBALANCE_IN_PROGRESS));
    member.protocols = p.protocols;
    member.protocolType = p.protocolType;
    member.rebalanceTimeoutMs = p.rebalanceTimeoutMs;
    member.sessionTimeoutMs = p.sessionTimeoutMs;
    member.clientId = p.clientId;
    member.clientHost = p.clientHost;
    member.joinCallback = respond;
  }

  /**
   * A static member restarted (same group.instance.id, no member id): the new incarnation takes over
   * the old member's place; the old one is fenced. No rebalance when the group is Stable and the
   * selected protocol does not change (KIP-345).
   */
  private replaceStaticMember(
    group: ConsumerGroup,
    oldMemberId: string,
    newMemberId: string,
    p: JoinGroupParams,
    respond: (r: JoinGroupResult) => void,
  ): null {
    const old = group.members.get(oldMemberId);
    if (old === undefined) return this.addMemberAndRebalance(group, newMemberId, p, respond);
    const wasLeader = group.leaderId === oldMemberId;
    old.heartbeatTimer?.cancel();
    old.completeJoin(joinError(oldMemberId, GroupErrorCode.FENCED_INSTANCE_ID));
    old.completeSync(syncError(GroupErrorCode.FENCED_INSTANCE_ID));
    const replacement = new GroupMember({
      memberId: newMemberId,
      groupInstanceId: p.groupInstanceId,
      clientId: p.clientId,
      clientHost: p.clientHost,
      rebalanceTimeoutMs: p.rebalanceTimeoutMs,
      sessionTimeoutMs: p.sessionTimeoutMs,
      protocolType: p.protocolType,
      protocols: old.protocols,
    });
    replacement.assignment = old.assignment;
    // Keep the member's position (join order) so leadership and ordering stay stable.
    const entries = [...group.members.entries()];
    group.members.clear();
    for (const [id, m] of entries) {
      if (id === oldMemberId) group.members.set(newMemberId, replacement);
      else group.members.set(id, m);
    }
    if (p.groupInstanceId !== null) group.staticMembers.set(p.groupInstanceId, newMemberId);
    if (wasLeader) group.leaderId = newMemberId;
    if (group.pendingSyncMembers.delete(oldMemberId)) group.pendingSyncMembers.add(newMemberId);
    this.heartbeatReceived(group, replacement);

    switch (group.state) {
      case "Stable": {
        const previousProtocols = replacement.protocols;
        replacement.protocols = p.protocols;
        if (group.selectProtocol() === group.protocolName) {
          const isLeader = group.leaderId === newMemberId;
          this.persistGroup(group).then(
            () => respond(this.joinResult(group, replacement, isLeader)),
            () => {
              replacement.protocols = previousProtocols;
              respond(joinError(newMemberId, GroupErrorCode.UNKNOWN_SERVER_ERROR));
            },
          );
          return null;
        }
        this.updateMember(replacement, p, respond);
        this.prepareRebalance(group, `static member ${p.groupInstanceId} changed protocols`);
        return null;
      }
      case "CompletingRebalance":
        this.updateMember(replacement, p, respond);
        this.prepareRebalance(group, `static member ${p.groupInstanceId} rejoined during sync`);
        return null;
      default:
        // PreparingRebalance: the new incarnation simply waits for the rebalance.
        this.updateMember(replacement, p, respond);
        this.tryCompleteJoin(group);
    }
    return null;
  }

  private joinResult(
    group: ConsumerGroup,
    member: GroupMember,
    skipAssignment: boolean,
  ): JoinGroupResult {
    const isLeader = group.leaderId === member.memberId;
    return {
      errorCode: GroupErrorCode.NONE,
      generationId: group.generationId,
      protocolType: group.protocolType,
      protocolName: group.protocolName,
      leader: group.leaderId ?? "",
      skipAssignment,
      memberId: member.memberId,
      members: isLeader
        ? [...group.members.values()].map((m) => ({
            memberId: m.memberId,
            groupInstanceId: m.groupInstanceId,
            metadata: m.metadataFor(group.protocolName),
          }))
        : [],
    };
  }

  // ---------------------------------------------------------------- rebalance phases

  private maybePrepareRebalance(group: ConsumerGroup, reason: string): void {
    if (
      group.state === "Stable" ||
      group.state === "CompletingRebalance" ||
      group.state === "Empty"
    ) {
      this.prepareRebalance(group, reason);
    }
  }

  private prepareRebalance(group: ConsumerGroup, reason: string): void {
    if (group.state === "CompletingRebalance") {
      // Followers waiting for an assignment of the generation now abandoned must rejoin.
      for (const m of group.members.values()) {
        m.completeSync(syncError(GroupErrorCode.REBALANCE_IN_PROGRESS));
      }
    }
    group.pendingSyncMembers.clear();
    group.phaseTimer?.cancel();
    group.phaseTimer = null;
    const wasEmpty = group.state === "Empty";
    group.transitionTo("PreparingRebalance", this.clock.now());
    this.log(`group ${group.groupId}: preparing rebalance (${reason})`);
    const delay = this.config.initialRebalanceDelayMs;
    if (wasEmpty && delay > 0) {
      // Kafka's InitialDelayedJoin: wait for more members, extending while new ones arrive, bounded by
      // the rebalance timeout.
      const first = Math.min(delay, group.rebalanceTimeoutMs);
      group.initialDelay = {
        remainingMs: Math.max(group.rebalanceTimeoutMs - delay, 0),
        newMemberAdded: false,
      };
      this.scheduleInitialDelay(group, first);
      return;
    }
    group.initialDelay = null;
    const generation = group.generationId;
    group.phaseTimer = this.clock.schedule(group.rebalanceTimeoutMs, () => {
      if (group.state === "PreparingRebalance" && group.generationId === generation) {
        this.completeJoin(group);
      }
    });
    this.tryCompleteJoin(group);
  }

  private scheduleInitialDelay(group: ConsumerGroup, delayMs: number): void {
    group.phaseTimer = this.clock.schedule(delayMs, () => {
      const pendingDelay = group.initialDelay;
      if (group.state !== "PreparingRebalance" || pendingDelay === null) return;
      if (pendingDelay.newMemberAdded && pendingDelay.remainingMs > 0) {
        const next = Math.min(this.config.initialRebalanceDelayMs, pendingDelay.remainingMs);
        group.initialDelay = {
          remainingMs: Math.max(pendingDelay.remainingMs - next, 0),
          newMemberAdded: false,
        };
        this.scheduleInitialDelay(group, next);
        return;
      }
      this.completeJoin(group);
    });
  }

  /** Completes the join phase early when everybody has rejoined (never during the initial delay). */
  private tryCompleteJoin(group: ConsumerGroup): void {
    if (
      group.state === "PreparingRebalance" &&
      group.initialDelay === null &&
      group.hasAllMembersJoined()
    ) {
      this.completeJoin(group);
    }
  }

  /** Kafka's onCompleteJoin: drop members that did not rejoin, start the next generation, answer joins. */
  private completeJoin(group: ConsumerGroup): void {
    group.phaseTimer?.cancel();
    group.phaseTimer = null;
    group.initialDelay = null;
    for (const m of [...group.members.values()]) {
      // Dynamic members that did not rejoin in time are gone; static ones keep their place until
      // their session expires (KIP-345).
      if (!m.isAwaitingJoin && m.groupInstanceId === null) {
        this.log(`group ${group.groupId}: member ${m.memberId} did not rejoin in time`);
        m.heartbeatTimer?.cancel();
        m.completeSync(syncError(GroupErrorCode.UNKNOWN_MEMBER_ID));
        group.remove(m.memberId);
      }
    }
    if (group.members.size > 0 && !this.electJoinedLeader(group)) {
      // Only static members that have not rejoined remain: wait another round for them or for their
      // sessions to expire.
      const generation = group.generationId;
      group.phaseTimer = this.clock.schedule(group.rebalanceTimeoutMs, () => {
        if (group.state === "PreparingRebalance" && group.generationId === generation) {
          this.completeJoin(group);
        }
      });
      return;
    }
    const now = this.clock.now();
    group.generationId += 1;
    if (group.members.size === 0) {
      group.protocolName = null;
      group.transitionTo("Empty", now);
      this.persistGroup(group).catch((err) =>
        this.log(`group ${group.groupId}: cannot persist empty group: ${String(err)}`),
      );
      return;
    }
    group.protocolName = group.selectProtocol();
    group.transitionTo("CompletingRebalance", now);
    this.log(
      `group ${group.groupId}: generation ${group.generationId} with ${group.members.size} members`,
    );
    for (const m of group.members.values()) {
      m.completeJoin(this.joinResult(group, m, false));
      m.assignment = EMPTY;
      this.heartbeatReceived(group, m);
      group.pendingSyncMembers.add(m.memberId);
    }
    // Members that never send SyncGroup are removed after the rebalance timeout, like Kafka does.
    const generation = group.generationId;
    group.phaseTimer = this.clock.schedule(group.rebalanceTimeoutMs, () => {
      if (
        (group.state === "CompletingRebalance" || group.state === "Stable") &&
        group.generationId === generation &&
        group.pendingSyncMembers.size > 0
      ) {
        for (const id of [...group.pendingSyncMembers]) {
          const m = group.members.get(id);
          if (m !== undefined)
            this.removeMember(group, m, "no SyncGroup within the rebalance timeout");
        }
        group.pendingSyncMembers.clear();
        this.maybePrepareRebalance(group, "members did not sync");
      }
    });
  }

  /** Keeps the leader if it rejoined, else promotes a rejoined member; false if nobody rejoined. */
  private electJoinedLeader(group: ConsumerGroup): boolean {
    const leader = group.leaderId === null ? undefined : group.members.get(group.leaderId);
    if (leader?.isAwaitingJoin) return true;
    for (const m of group.members.values()) {
      if (m.isAwaitingJoin) {
        group.leaderId = m.memberId;
        return true;
      }
    }
    return false;
  }

  // ---------------------------------------------------------------- sessions

  /** Restarts the member's session timer. */
  private heartbeatReceived(group: ConsumerGroup, member: GroupMember): void {
    member.heartbeatTimer?.cancel();
    member.heartbeatTimer = this.clock.schedule(member.sessionTimeoutMs, () =>
      this.expireSession(group, member),
    );
  }

  private expireSession(group: ConsumerGroup, member: GroupMember): void {
    if (group.members.get(member.memberId) !== member) return;
    // A member parked in JoinGroup/SyncGroup is alive by definition: its request is the heartbeat.
    if (member.isAwaitingJoin || member.isAwaitingSync) {
      this.heartbeatReceived(group, member);
      return;
    }
    this.log(`group ${group.groupId}: member ${member.memberId} session expired`);
    this.removeMemberAndUpdateGroup(group, member, "session timeout");
  }

  private expirePendingMember(group: ConsumerGroup, memberId: string): void {
    if (group.pendingMembers.delete(memberId)) {
      this.tryCompleteJoin(group);
      this.maybeForget(group);
    }
  }

  private removeMember(group: ConsumerGroup, member: GroupMember, reason: string): void {
    this.log(`group ${group.groupId}: removing member ${member.memberId} (${reason})`);
    member.heartbeatTimer?.cancel();
    member.heartbeatTimer = null;
    member.completeJoin(joinError(member.memberId, GroupErrorCode.UNKNOWN_MEMBER_ID));
    member.completeSync(syncError(GroupErrorCode.UNKNOWN_MEMBER_ID));
    group.remove(member.memberId);
  }

  private removeMemberAndUpdateGroup(
    group: ConsumerGroup,
    member: GroupMember,
    reason: string,
  ): void {
    this.removeMember(group, member, reason);
    switch (group.state) {
      case "Stable":
      case "CompletingRebalance":
        this.prepareRebalance(group, reason);
        break;
      case "PreparingRebalance":
        this.tryCompleteJoin(group);
        break;
      default:
        break;
    }
  }

  /** Forgets a group that has neither members nor offsets (Kafka unloads such groups). */
  private maybeForget(group: ConsumerGroup): void {
    if (group.state === "Empty" && group.isEmptyOfEverything && group.generationId === 0) {
      this.groups.delete(group.groupId);
    }
  }

  // ---------------------------------------------------------------- SyncGroup

  /** Handles a SyncGroup; a follower's answer waits for the leader's assignment. */
  syncGroup(params: SyncGroupParams): Promise<SyncGroupResult> {
    return new Promise((resolve) => {
      const immediate = this.doSync(params, resolve);
      if (immediate !== null) resolve(immediate);
    });
  }

  /** Returns the answer, or null when the request is parked until `respond` is called. */
  private doSync(
    p: SyncGroupParams,
    respond: (r: SyncGroupResult) => void,
  ): SyncGroupResult | null {
    if (this.closed) return syncError(GroupErrorCode.COORDINATOR_NOT_AVAILABLE);
    const group = this.groups.get(p.groupId);
    if (group === undefined) return syncError(GroupErrorCode.UNKNOWN_MEMBER_ID);
    if (group.state === "Dead") return syncError(GroupErrorCode.COORDINATOR_NOT_AVAILABLE);
    if (group.isStaticMemberFenced(p.memberId, p.groupInstanceId)) {
      return syncError(GroupErrorCode.FENCED_INSTANCE_ID);
    }
    const member = group.members.get(p.memberId);
    if (member === undefined) return syncError(GroupErrorCode.UNKNOWN_MEMBER_ID);
    if (p.generationId !== group.generationId) {
      return syncError(GroupErrorCode.ILLEGAL_GENERATION);
    }
    if (
      (p.protocolType !== null && p.protocolType !== group.protocolType) ||
      (p.protocolName !== null && p.protocolName !== group.protocolName)
    ) {
      return syncError(GroupErrorCode.INCONSISTENT_GROUP_PROTOCOL);
    }
    switch (group.state) {
      case "PreparingRebalance":
        return syncError(GroupErrorCode.REBALANCE_IN_PROGRESS);
      case "CompletingRebalance": {
        member.completeSync(syncError(GroupErrorCode.REBALANCE_IN_PROGRESS));
        member.syncCallback = respond;
        group.pendingSyncMembers.delete(member.memberId);
        this.heartbeatReceived(group, member);
        if (member.memberId === group.leaderId) this.applyAssignment(group, p);
        return null;
      }
      case "Stable":
        group.pendingSyncMembers.delete(member.memberId);
        this.heartbeatReceived(group, member);
        return {
          errorCode: GroupErrorCode.NONE,
          protocolType: group.protocolType,
          protocolName: group.protocolName,
          assignment: member.assignment,
        };
      default:
        return syncError(GroupErrorCode.UNKNOWN_MEMBER_ID);
    }
  }

  /** The leader's SyncGroup: persist the assignment, hand each member its part, become Stable. */
  private applyAssignment(group: ConsumerGroup, p: SyncGroupParams): void {
    const assignments = new Map<string, Buffer>();
    for (const a of p.assignments) assignments.set(a.memberId, a.assignment);
    const generation = group.generationId;
    for (const m of group.members.values()) m.assignment = assignments.get(m.memberId) ?? EMPTY;
    const stillCurrent = () =>
      group.state === "CompletingRebalance" && group.generationId === generation;
    this.persistGroup(group).then(
      () => {
        if (!stillCurrent()) return;
        group.transitionTo("Stable", this.clock.now());
        for (const m of group.members.values()) {
          m.completeSync({
            errorCode: GroupErrorCode.NONE,
            protocolType: group.protocolType,
            protocolName: group.protocolName,
            assignment: m.assignment,
          });
        }
      },
      (err) => {
        this.log(`group ${group.groupId}: cannot persist assignment: ${String(err)}`);
        if (!stillCurrent()) return;
        for (const m of group.members.values()) {
          m.assignment = EMPTY;
          m.completeSync(syncError(GroupErrorCode.COORDINATOR_NOT_AVAILABLE));
        }
        this.prepareRebalance(group, "assignment could not be persisted");
      },
    );
  }

  // ---------------------------------------------------------------- Heartbeat / LeaveGroup

  /** Handles a Heartbeat; REBALANCE_IN_PROGRESS tells a member to rejoin. */
  heartbeat(p: HeartbeatParams): number {
    if (this.closed) return GroupErrorCode.COORDINATOR_NOT_AVAILABLE;
    const group = this.groups.get(p.groupId);
    if (group === undefined) return GroupErrorCode.UNKNOWN_MEMBER_ID;
    if (group.state === "Dead") return GroupErrorCode.COORDINATOR_NOT_AVAILABLE;
    if (group.isStaticMemberFenced(p.memberId, p.groupInstanceId)) {
      return GroupErrorCode.FENCED_INSTANCE_ID;
    }
    const member = group.members.get(p.memberId);
    if (member === undefined) return GroupErrorCode.UNKNOWN_MEMBER_ID;
    if (p.generationId !== group.generationId) return GroupErrorCode.ILLEGAL_GENERATION;
    switch (group.state) {
      case "CompletingRebalance":
      case "Stable":
        this.heartbeatReceived(group, member);
        return GroupErrorCode.NONE;
      case "PreparingRebalance":
        this.heartbeatReceived(group, member);
        return GroupErrorCode.REBALANCE_IN_PROGRESS;
      default:
        return GroupErrorCode.UNKNOWN_MEMBER_ID;
    }
  }

  /** Handles a LeaveGroup of one or more members (by member id, or by instance id for static ones). */
  leaveGroup(groupId: string, leaving: readonly LeavingMember[]): LeaveGroupResult {
    if (this.closed) return { errorCode: GroupErrorCode.COORDINATOR_NOT_AVAILABLE, members: [] };
    const group = this.groups.get(groupId);
    const results = leaving.map((l) => ({
      memberId: l.memberId,
      groupInstanceId: l.groupInstanceId,
      errorCode: group === undefined ? GroupErrorCode.UNKNOWN_MEMBER_ID : this.leaveOne(group, l),
    }));
    if (group?.state === "Dead")
      return { errorCode: GroupErrorCode.COORDINATOR_NOT_AVAILABLE, members: [] };
    return { errorCode: GroupErrorCode.NONE, members: results };
  }

  private leaveOne(group: ConsumerGroup, l: LeavingMember): number {
    if (group.state === "Dead") return GroupErrorCode.COORDINATOR_NOT_AVAILABLE;
    let memberId = l.memberId;
    if (l.groupInstanceId !== null) {
      const current = group.staticMembers.get(l.groupInstanceId);
      if (current === undefined) return GroupErrorCode.UNKNOWN_MEMBER_ID;
      if (memberId === "") memberId = current;
      else if (current !== memberId) return GroupErrorCode.FENCED_INSTANCE_ID;
    }
    const pending = group.pendingMembers.get(memberId);
    if (pending !== undefined) {
      pending.cancel();
      group.pendingMembers.delete(memberId);
      this.tryCompleteJoin(group);
      this.maybeForget(group);
      return GroupErrorCode.NONE;
    }
    const member = group.members.get(memberId);
    if (member === undefined) return GroupErrorCode.UNKNOWN_MEMBER_ID;
    this.removeMemberAndUpdateGroup(group, member, `left (${l.reason ?? "no reason given"})`);
    return GroupErrorCode.NONE;
  }

  // ---------------------------------------------------------------- Describe / List / Delete

  /** DescribeGroups for one group; an unknown group is described as Dead with no members. */
  describeGroup(groupId: string): DescribedGroup {
    const group = this.groups.get(groupId);
    if (group === undefined) {
      return {
        groupId,
        errorCode: GroupErrorCode.NONE,
        groupState: "Dead",
        protocolType: "",
        protocolData: "",
        members: [],
      };
    }
    const stable = group.state === "Stable";
    return {
      groupId,
      errorCode: GroupErrorCode.NONE,
      groupState: group.state,
      protocolType: group.protocolType ?? "",
      protocolData: stable ? (group.protocolName ?? "") : "",
      members: [...group.members.values()].map((m) => ({
        memberId: m.memberId,
        groupInstanceId: m.groupInstanceId,
        clientId: m.clientId,
        clientHost: m.clientHost,
        memberMetadata: stable ? m.metadataFor(group.protocolName) : EMPTY,
        memberAssignment: stable ? m.assignment : EMPTY,
      })),
    };
  }

  /** Whether the coordinator knows the group (members, or committed offsets). */
  hasGroup(groupId: string): boolean {
    return this.groups.has(groupId);
  }

  /** ListGroups, optionally only in some states (case-insensitive, as Kafka compares them). */
  listGroups(statesFilter: readonly string[] = []): ListedGroup[] {
    const wanted = new Set(statesFilter.map((s) => s.toLowerCase()));
    const out: ListedGroup[] = [];
    for (const group of this.groups.values()) {
      if (wanted.size > 0 && !wanted.has(group.state.toLowerCase())) continue;
      out.push({
        groupId: group.groupId,
        protocolType: group.protocolType ?? "",
        groupState: group.state,
        groupType: "classic",
      });
    }
    return out;
  }

  /** DeleteGroups for one group: only Empty groups; their offsets are deleted durably. */
  async deleteGroup(groupId: string): Promise<number> {
    if (this.closed) return GroupErrorCode.COORDINATOR_NOT_AVAILABLE;
    const group = this.groups.get(groupId);
    if (group === undefined || group.state === "Dead") return GroupErrorCode.GROUP_ID_NOT_FOUND;
    if (group.state !== "Empty" || group.pendingMembers.size > 0) {
      return GroupErrorCode.NON_EMPTY_GROUP;
    }
    const records: GroupStoreRecord[] = [];
    for (const [topic, partitions] of group.offsets) {
      for (const partition of partitions.keys()) {
        records.push({ kind: "offset", groupId, topic, partition, value: null });
      }
    }
    records.push({ kind: "group", groupId, value: null });
    group.transitionTo("Dead", this.clock.now());
    this.groups.delete(groupId);
    try {
      await this.store.append(records);
    } catch (err) {
      this.log(`group ${groupId}: cannot persist deletion: ${String(err)}`);
      return GroupErrorCode.COORDINATOR_NOT_AVAILABLE;
    }
    return GroupErrorCode.NONE;
  }

  // ---------------------------------------------------------------- offsets

  /**
   * OffsetCommit: checks the member and generation (a standalone commit with generation -1 is allowed
   * for an Empty or unknown group), then persists the offsets; resolves once they are durable.
   */
  commitOffsets(p: OffsetCommitParams): Promise<OffsetCommitTopicResult[]> {
    return this.offsets.commit(p);
  }

  /**
   * OffsetFetch for one group: the requested partitions (offset -1 where nothing is committed) or,
   * with null topics, every committed partition.
   */
  fetchOffsets(request: OffsetFetchRequestGroup): OffsetFetchGroupResult {
    return this.offsets.fetch(request);
  }

  /** Deletes expired offsets (Kafka's retention since KIP-211); returns how many. */
  expireOffsets(): Promise<number> {
    return this.offsets.expire();
  }

  private scheduleOffsetExpiry(): void {
    this.expiryTimer = this.clock.schedule(this.config.offsetsRetentionCheckIntervalMs, () => {
      if (this.closed) return;
      this.scheduleOffsetExpiry();
      this.expireOffsets().catch((err) => this.log(`offset expiry failed: ${String(err)}`));
    });
  }

  // ---------------------------------------------------------------- persistence

  private persistGroup(group: ConsumerGroup): Promise<void> {
    return this.store.append([
      { kind: "group", groupId: group.groupId, value: snapshotGroup(group) },
    ]);
  }

  /** Takes over the groups rebuilt from the store; restored members get a full session to return. */
  private restore(records: readonly GroupStoreRecord[]): void {
    for (const [groupId, group] of restoreGroups(records, this.clock.now())) {
      this.groups.set(groupId, group);
      for (const m of group.members.values()) this.heartbeatReceived(group, m);
    }
  }

  /** For tests and metrics: the state of a group, or undefined if unknown. */
  groupState(groupId: string): ConsumerGroup["state"] | undefined {
    return this.groups.get(groupId)?.state;
  }

  /** Throws unless the coordinator is open (for callers that need a hard failure). */
  assertOpen(): void {
    if (this.closed) {
      throw new GroupCoordinatorError(
        "group coordinator is closed",
        GroupErrorCode.COORDINATOR_NOT_AVAILABLE,
      );
    }
  }
}
