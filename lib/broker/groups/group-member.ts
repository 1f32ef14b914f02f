import type { Timer } from "./clock";
import type { GroupProtocol, JoinGroupResult, SyncGroupResult } from "./group-api";

const EMPTY = Buffer.alloc(0);

/** One member of a classic group, with the callbacks of its parked JoinGroup / SyncGroup requests. */
export class GroupMember {
  readonly memberId: string;
  readonly groupInstanceId: string | null;
  clientId: string;
  clientHost: string;
  rebalanceTimeoutMs: number;
  sessionTimeoutMs: number;
  protocolType: string;
  protocols: readonly GroupProtocol[];
  /** The partitions the leader gave this member in the current generation. */
  assignment: Buffer = EMPTY;
  /** Set while a JoinGroup of this member waits for the rebalance to complete. */
  joinCallback: ((result: JoinGroupResult) => void) | null = null;
  /** Set while a SyncGroup of this member waits for the leader's assignment. */
  syncCallback: ((result: SyncGroupResult) => void) | null = null;
  /** Session expiry; replaced on each heartbeat. */
  heartbeatTimer: Timer | null = null;

  constructor(init: {
    memberId: string;
    groupInstanceId: string | null;
    clientId: string;
    clientHost: string;
    rebalanceTimeoutMs: number;
    sessionTimeoutMs: number;
    protocolType: string;
    protocols: readonly GroupProtocol[];
  }) {
    this.memberId = init.memberId;
    this.groupInstanceId = init.groupInstanceId;
    this.clientId = init.clientId;
    this.clientHost = init.clientHost;
    this.rebalanceTimeoutMs = init.rebalanceTimeoutMs;
    this.sessionTimeoutMs = init.sessionTimeoutMs;
    this.protocolType = init.protocolType;
    this.protocols = init.protocols;
  }

  /** True while a JoinGroup of this member is parked. */
  get isAwaitingJoin(): boolean {
    return this.joinCallback !== null;
  }

  /** True while a SyncGroup of this member is parked. */
  get isAwaitingSync(): boolean {
    return this.syncCallback !== null;
  }

  /** The member's metadata for `protocolName` (empty if it does not support it). */
  metadataFor(protocolName: string | null): Buffer {
    return this.protocols.find((p) => p.name === protocolName)?.metadata ?? EMPTY;
  }

  /** Whether `protocols` are exactly the ones the member already announced (same order and bytes). */
  matches(protocols: readonly GroupProtocol[]): boolean {
    if (protocols.length !== this.protocols.length) return false;
    return protocols.every((p, i) => {
      const mine = this.protocols[i];
      return mine !== undefined && mine.name === p.name && mine.metadata.equals(p.metadata);
    });
  }

  /** Answers a parked JoinGroup, if any. */
  completeJoin(result: JoinGroupResult): void {
    const callback = this.joinCallback;
    this.joinCallback = null;
    callback?.(result);
  }

  /** Answers a parked SyncGroup, if any. */
  completeSync(result: SyncGroupResult): void {
    const callback = this.syncCallback;
    this.syncCallback = null;
    callback?.(result);
  }
}
