import type { CommittedOffset } from "./group-api";

/** A member as persisted with its group, enough to resume a Stable group after a restart. */
export interface StoredMember {
  readonly memberId: string;
  readonly groupInstanceId: string | null;
  readonly clientId: string;
  readonly clientHost: string;
  readonly rebalanceTimeoutMs: number;
  readonly sessionTimeoutMs: number;
  /** The member's metadata for the group's selected protocol. */
  readonly subscription: Buffer;
  readonly assignment: Buffer;
}

/** A group's membership as persisted after each completed rebalance. */
export interface StoredGroup {
  readonly protocolType: string | null;
  readonly generationId: number;
  readonly protocolName: string | null;
  readonly leaderId: string | null;
  /** When the group last changed state; offsets of an empty group expire relative to it. */
  readonly stateTimestamp: number;
  readonly members: readonly StoredMember[];
}

/** One durable fact about groups; a null value deletes (a tombstone). Replayed in order, last wins. */
export type GroupStoreRecord =
  | {
      readonly kind: "offset";
      readonly groupId: string;
      readonly topic: string;
      readonly partition: number;
      readonly value: CommittedOffset | null;
    }
  | { readonly kind: "group"; readonly groupId: string; readonly value: StoredGroup | null };

/** Where the coordinator keeps committed offsets and group metadata. */
export interface GroupStore {
  /** Every record written so far (compaction may have dropped superseded ones), oldest first. */
  load(): Promise<GroupStoreRecord[]>;
  /** Resolves once the records are durable; rejects if they could not be written. */
  append(records: readonly GroupStoreRecord[]): Promise<void>;
  close(): Promise<void>;
}

/** A store in memory, for tests: survives a coordinator "restart" when the same instance is reused. */
export class MemoryGroupStore implements GroupStore {
  /** Everything appended, in order. */
  readonly records: GroupStoreRecord[] = [];
  /** When set, the next append rejects with this error (to test storage failures). */
  failNextAppend: Error | null = null;

  async load(): Promise<GroupStoreRecord[]> {
    return [...this.records];
  }

  async append(records: readonly GroupStoreRecord[]): Promise<void> {
    const failure = this.failNextAppend;
    if (failure !== null) {
      this.failNextAppend = null;
      throw failure;
    }
    this.records.push(...records);
  }

  async close(): Promise<void> {}
}
