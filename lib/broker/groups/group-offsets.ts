import type { GroupClock } from "./clock";
import { ConsumerGroup } from "./consumer-group";
import type {
  CommittedOffset,
  FetchedOffsetPartition,
  OffsetCommitParams,
  OffsetCommitTopicResult,
  OffsetFetchGroupResult,
} from "./group-api";
import type { GroupCoordinatorConfig } from "./group-config";
import { GroupErrorCode } from "./group-error-code";
import type { GroupMember } from "./group-member";
import type { GroupStore, GroupStoreRecord } from "./group-store";

/** Offsets requested from one group by OffsetFetch: null topics means every committed partition. */
export interface OffsetFetchRequestGroup {
  readonly groupId: string;
  readonly topics:
    | readonly { readonly name: string; readonly partitionIndexes: readonly number[] }[]
    | null;
}

/** What the offsets share with the coordinator's membership side. */
export interface GroupOffsetsHost {
  /** The coordinator's groups, by id (a commit to an unknown group creates it). */
  readonly groups: Map<string, ConsumerGroup>;
  readonly store: GroupStore;
  readonly clock: GroupClock;
  readonly config: GroupCoordinatorConfig;
  readonly log: (line: string) => void;
  isClosed(): boolean;
  /** A commit from a member of a Stable or rebalancing group proves the member alive. */
  heartbeatReceived(group: ConsumerGroup, member: GroupMember): void;
  /** Forgets a group that has neither members nor offsets. */
  maybeForget(group: ConsumerGroup): void;
}

/**
 * The committed offsets of the coordinator's groups (Kafka's GroupMetadataManager side of the
 * coordinator): OffsetCommit, OffsetFetch and offset expiry, persisted through the group store.
 */
export class GroupOffsets {
  private commitSequence = 0;

  constructor(private readonly host: GroupOffsetsHost) {}

  /**
   * OffsetCommit: checks the member and generation (a standalone commit with generation -1 is allowed
   * for an Empty or unknown group), then persists the offsets; resolves once they are durable.
   */
  async commit(p: OffsetCommitParams): Promise<OffsetCommitTopicResult[]> {
    const all = (errorCode: number): OffsetCommitTopicResult[] =>
      p.topics.map((t) => ({
        name: t.name,
        partitions: t.partitions.map((q) => ({ partitionIndex: q.partitionIndex, errorCode })),
      }));
    if (this.host.isClosed()) return all(GroupErrorCode.COORDINATOR_NOT_AVAILABLE);
    if (p.groupId === "") return all(GroupErrorCode.INVALID_GROUP_ID);
    let group = this.host.groups.get(p.groupId);
    if (group === undefined) {
      if (p.generationId >= 0) return all(GroupErrorCode.ILLEGAL_GENERATION);
      group = new ConsumerGroup(p.groupId, this.host.clock.now());
      this.host.groups.set(p.groupId, group);
    }
    const groupError = this.commitGroupError(group, p);
    if (groupError !== GroupErrorCode.NONE) {
      this.host.maybeForget(group);
      return all(groupError);
    }

    const now = this.host.clock.now();
    const records: GroupStoreRecord[] = [];
    const applied: { topic: string; partition: number; value: CommittedOffset; seq: number }[] = [];
    const results = p.topics.map((t) => ({
      name: t.name,
      partitions: t.partitions.map((q) => {
        const metadata = q.committedMetadata ?? "";
        if (Buffer.byteLength(metadata, "utf8") > this.host.config.offsetMetadataMaxBytes) {
          return {
            partitionIndex: q.partitionIndex,
            errorCode: GroupErrorCode.OFFSET_METADATA_TOO_LARGE,
          };
        }
        const value: CommittedOffset = {
          offset: q.committedOffset,
          leaderEpoch: q.committedLeaderEpoch,
          metadata,
          commitTimestamp: now,
          expireTimestamp: p.retentionTimeMs >= 0 ? now + p.retentionTimeMs : -1,
        };
        const seq = ++this.commitSequence;
        group.offsetSequence.set(`${t.name}\u0000${q.partitionIndex}`, seq);
        records.push({
          kind: "offset",
          groupId: p.groupId,
          topic: t.name,
          partition: q.partitionIndex,
          value,
        });
        applied.push({ topic: t.name, partition: q.partitionIndex, value, seq });
        return { partitionIndex: q.partitionIndex, errorCode: GroupErrorCode.NONE };
      }),
    }));
    if (records.length === 0) {
      this.host.maybeForget(group);
      return results;
    }
    try {
      await this.host.store.append(records);
    } catch (err) {
      this.host.log(`group ${p.groupId}: cannot persist offsets: ${String(err)}`);
      this.host.maybeForget(group);
      return results.map((t) => ({
        name: t.name,
        partitions: t.partitions.map((q) => ({
          partitionIndex: q.partitionIndex,
          errorCode:
            q.errorCode === GroupErrorCode.NONE
              ? GroupErrorCode.COORDINATOR_NOT_AVAILABLE
              : q.errorCode,
        })),
      }));
    }
    for (const a of applied) {
      // Concurrent commits may become durable out of order: the latest accepted one wins.
      if (group.offsetSequence.get(`${a.topic}\u0000${a.partition}`) === a.seq) {
        group.setOffset(a.topic, a.partition, a.value);
      }
    }
    if (this.host.groups.get(p.groupId) !== group) {
      // The group was deleted while the commit was in flight; keep the commit, as Kafka would.
      this.host.groups.set(p.groupId, group);
    }
    return results;
  }

  private commitGroupError(group: ConsumerGroup, p: OffsetCommitParams): number {
    if (group.state === "Dead") return GroupErrorCode.COORDINATOR_NOT_AVAILABLE;
    if (group.isStaticMemberFenced(p.memberId, p.groupInstanceId)) {
      return GroupErrorCode.FENCED_INSTANCE_ID;
    }
    if (p.generationId < 0 && group.state === "Empty") return GroupErrorCode.NONE;
    const member = group.members.get(p.memberId);
    if (member === undefined) return GroupErrorCode.UNKNOWN_MEMBER_ID;
    if (p.generationId !== group.generationId) return GroupErrorCode.ILLEGAL_GENERATION;
    if (group.state === "CompletingRebalance") return GroupErrorCode.REBALANCE_IN_PROGRESS;
    // Stable or PreparingRebalance: the commit also proves the member alive.
    this.host.heartbeatReceived(group, member);
    return GroupErrorCode.NONE;
  }

  /**
   * OffsetFetch for one group: the requested partitions (offset -1 where nothing is committed) or,
   * with null topics, every committed partition. The leader epoch is answered as -1 (unknown), which
   * spares clients an epoch validation round trip on a single-node broker.
   */
  fetch(request: OffsetFetchRequestGroup): OffsetFetchGroupResult {
    if (this.host.isClosed()) {
      return {
        groupId: request.groupId,
        errorCode: GroupErrorCode.COORDINATOR_NOT_AVAILABLE,
        topics: [],
      };
    }
    const group = this.host.groups.get(request.groupId);
    const entry = (
      partitionIndex: number,
      c: CommittedOffset | undefined,
    ): FetchedOffsetPartition => ({
      partitionIndex,
      committedOffset: c?.offset ?? -1,
      committedLeaderEpoch: -1,
      metadata: c?.metadata ?? "",
      errorCode: GroupErrorCode.NONE,
    });
    if (request.topics === null) {
      const topics = [...(group?.offsets ?? new Map<string, Map<number, CommittedOffset>>())].map(
        ([name, partitions]) => ({
          name,
          partitions: [...partitions]
            .sort((a, b) => a[0] - b[0])
            .map(([index, c]) => entry(index, c)),
        }),
      );
      return { groupId: request.groupId, errorCode: GroupErrorCode.NONE, topics };
    }
    return {
      groupId: request.groupId,
      errorCode: GroupErrorCode.NONE,
      topics: request.topics.map((t) => ({
        name: t.name,
        partitions: t.partitionIndexes.map((i) => entry(i, group?.offset(t.name, i))),
      })),
    };
  }

  /**
   * Deletes expired offsets (Kafka's retention since KIP-211): explicit expiry from v2-4 commits;
   * otherwise a group with a protocol keeps its offsets while it has members and for the retention
   * after it became Empty, and a standalone group keeps each offset for the retention after its commit.
   */
  async expire(): Promise<number> {
    const now = this.host.clock.now();
    const retention = this.host.config.offsetsRetentionMs;
    const records: GroupStoreRecord[] = [];
    for (const group of [...this.host.groups.values()]) {
      if (group.state !== "Empty") continue;
      for (const [topic, partitions] of [...group.offsets]) {
        for (const [partition, c] of [...partitions]) {
          const expired =
            c.expireTimestamp >= 0
              ? now >= c.expireTimestamp
              : group.protocolType !== null
                ? now >= group.stateTimestamp + retention
                : now >= c.commitTimestamp + retention;
          if (expired) {
            group.setOffset(topic, partition, null);
            records.push({ kind: "offset", groupId: group.groupId, topic, partition, value: null });
          }
        }
      }
      if (group.offsets.size === 0 && group.members.size === 0 && group.pendingMembers.size === 0) {
        group.transitionTo("Dead", now);
        this.host.groups.delete(group.groupId);
        records.push({ kind: "group", groupId: group.groupId, value: null });
      }
    }
    if (records.length > 0) await this.host.store.append(records);
    return records.filter((r) => r.kind === "offset").length;
  }
}
