/** The states of a classic consumer group (Kafka's `GroupState`, with Kafka's names on the wire). */
export type GroupState = "Empty" | "PreparingRebalance" | "CompletingRebalance" | "Stable" | "Dead";

/** One protocol a member supports, e.g. the `range` assignor with its subscription bytes. */
export interface GroupProtocol {
  readonly name: string;
  readonly metadata: Buffer;
}

/** A JoinGroup request, version-independent. */
export interface JoinGroupParams {
  readonly groupId: string;
  /** "" when the member joins for the first time. */
  readonly memberId: string;
  /** `group.instance.id` of a static member, else null. */
  readonly groupInstanceId: string | null;
  /** JoinGroup v4+: an unknown member first gets MEMBER_ID_REQUIRED and a generated id. */
  readonly requireKnownMemberId: boolean;
  readonly clientId: string;
  readonly clientHost: string;
  readonly sessionTimeoutMs: number;
  /** v0 has none: callers pass the session timeout, as Kafka does. */
  readonly rebalanceTimeoutMs: number;
  readonly protocolType: string;
  readonly protocols: readonly GroupProtocol[];
  readonly reason?: string | null;
}

/** One member as the leader sees it in a JoinGroup answer. */
export interface JoinGroupMember {
  readonly memberId: string;
  readonly groupInstanceId: string | null;
  readonly metadata: Buffer;
}

/** A JoinGroup answer. */
export interface JoinGroupResult {
  readonly errorCode: number;
  readonly generationId: number;
  readonly protocolType: string | null;
  readonly protocolName: string | null;
  readonly leader: string;
  /** v9+: the leader must not compute a new assignment (a static leader rejoined a stable group). */
  readonly skipAssignment: boolean;
  readonly memberId: string;
  /** Filled for the leader only. */
  readonly members: readonly JoinGroupMember[];
}

/** A SyncGroup request. */
export interface SyncGroupParams {
  readonly groupId: string;
  readonly generationId: number;
  readonly memberId: string;
  readonly groupInstanceId: string | null;
  /** v5+, else null. */
  readonly protocolType: string | null;
  /** v5+, else null. */
  readonly protocolName: string | null;
  /** Only the leader sends assignments. */
  readonly assignments: readonly { readonly memberId: string; readonly assignment: Buffer }[];
}

/** A SyncGroup answer. */
export interface SyncGroupResult {
  readonly errorCode: number;
  readonly protocolType: string | null;
  readonly protocolName: string | null;
  readonly assignment: Buffer;
}

/** A Heartbeat request. */
export interface HeartbeatParams {
  readonly groupId: string;
  readonly generationId: number;
  readonly memberId: string;
  readonly groupInstanceId: string | null;
}

/** One member leaving (LeaveGroup v3+ batches them; older versions send one dynamic member). */
export interface LeavingMember {
  readonly memberId: string;
  readonly groupInstanceId: string | null;
  readonly reason?: string | null;
}

/** A LeaveGroup answer: a group-level error and one error per leaving member. */
export interface LeaveGroupResult {
  readonly errorCode: number;
  readonly members: readonly {
    readonly memberId: string;
    readonly groupInstanceId: string | null;
    readonly errorCode: number;
  }[];
}

/** One member as DescribeGroups shows it. */
export interface DescribedMember {
  readonly memberId: string;
  readonly groupInstanceId: string | null;
  readonly clientId: string;
  readonly clientHost: string;
  /** The subscription for the selected protocol; empty unless the group is Stable. */
  readonly memberMetadata: Buffer;
  /** Empty unless the group is Stable. */
  readonly memberAssignment: Buffer;
}

/** A DescribeGroups answer for one group. A missing group is described as Dead with no members. */
export interface DescribedGroup {
  readonly groupId: string;
  readonly errorCode: number;
  readonly groupState: GroupState;
  readonly protocolType: string;
  /** The selected protocol; "" unless the group is Stable. */
  readonly protocolData: string;
  readonly members: readonly DescribedMember[];
}

/** A ListGroups entry. */
export interface ListedGroup {
  readonly groupId: string;
  readonly protocolType: string;
  readonly groupState: GroupState;
  /** Always "classic": this coordinator implements the classic protocol only. */
  readonly groupType: string;
}

/** One partition of an OffsetCommit request. */
export interface OffsetCommitPartition {
  readonly partitionIndex: number;
  readonly committedOffset: number;
  /** -1 when the client does not send one (before v6). */
  readonly committedLeaderEpoch: number;
  readonly committedMetadata: string | null;
}

/** An OffsetCommit request. */
export interface OffsetCommitParams {
  readonly groupId: string;
  /** -1 for a standalone ("simple") consumer that does not use group management. */
  readonly generationId: number;
  readonly memberId: string;
  readonly groupInstanceId: string | null;
  /** v2-4: explicit retention; -1 means the broker's retention. */
  readonly retentionTimeMs: number;
  readonly topics: readonly {
    readonly name: string;
    readonly partitions: readonly OffsetCommitPartition[];
  }[];
}

/** Per-partition outcome of an OffsetCommit. */
export interface OffsetCommitTopicResult {
  readonly name: string;
  readonly partitions: readonly { readonly partitionIndex: number; readonly errorCode: number }[];
}

/** One partition of an OffsetFetch answer; offset -1 when nothing is committed. */
export interface FetchedOffsetPartition {
  readonly partitionIndex: number;
  readonly committedOffset: number;
  readonly committedLeaderEpoch: number;
  readonly metadata: string | null;
  readonly errorCode: number;
}

/** An OffsetFetch answer for one group. */
export interface OffsetFetchGroupResult {
  readonly groupId: string;
  readonly errorCode: number;
  readonly topics: readonly {
    readonly name: string;
    readonly partitions: readonly FetchedOffsetPartition[];
  }[];
}

/** A committed offset as the coordinator keeps it (and persists it). */
export interface CommittedOffset {
  readonly offset: number;
  readonly leaderEpoch: number;
  readonly metadata: string;
  readonly commitTimestamp: number;
  /** Explicit expiry (OffsetCommit v2-4 retention), else -1: the group's state decides. */
  readonly expireTimestamp: number;
}
