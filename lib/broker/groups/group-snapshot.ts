import { ConsumerGroup } from "./consumer-group";
import type { CommittedOffset } from "./group-api";
import { GroupMember } from "./group-member";
import type { GroupStoreRecord, StoredGroup } from "./group-store";

/** What a group persists after a rebalance: membership with each member's subscription and assignment. */
export function snapshotGroup(group: ConsumerGroup): StoredGroup {
  return {
    protocolType: group.protocolType,
    generationId: group.generationId,
    protocolName: group.protocolName,
    leaderId: group.leaderId,
    stateTimestamp: group.stateTimestamp,
    members: [...group.members.values()].map((m) => ({
      memberId: m.memberId,
      groupInstanceId: m.groupInstanceId,
      clientId: m.clientId,
      clientHost: m.clientHost,
      rebalanceTimeoutMs: m.rebalanceTimeoutMs,
      sessionTimeoutMs: m.sessionTimeoutMs,
      subscription: m.metadataFor(group.protocolName),
      assignment: m.assignment,
    })),
  };
}

/**
 * Rebuilds the groups from the store's records (replayed in order, last record per key wins,
 * tombstones delete): committed offsets, and each persisted group as of its last rebalance — Stable
 * when it had members (they keep their generation and assignment), else Empty.
 */
export function restoreGroups(
  records: readonly GroupStoreRecord[],
  now: number,
): Map<string, ConsumerGroup> {
  const stored = new Map<string, StoredGroup | null>();
  const offsets = new Map<string, Map<string, CommittedOffset | null>>();
  for (const r of records) {
    if (r.kind === "group") {
      stored.set(r.groupId, r.value);
      continue;
    }
    let perGroup = offsets.get(r.groupId);
    if (perGroup === undefined) {
      perGroup = new Map();
      offsets.set(r.groupId, perGroup);
    }
    perGroup.set(`${r.topic}\u0000${r.partition}`, r.value);
  }
  const groups = new Map<string, ConsumerGroup>();
  const groupFor = (groupId: string): ConsumerGroup => {
    let group = groups.get(groupId);
    if (group === undefined) {
      group = new ConsumerGroup(groupId, now);
      groups.set(groupId, group);
    }
    return group;
  };
  for (const [groupId, value] of stored) {
    if (value === null) continue;
    const group = groupFor(groupId);
    group.generationId = value.generationId;
    group.protocolType = value.protocolType;
    group.protocolName = value.protocolName;
    for (const m of value.members) {
      const member = new GroupMember({
        memberId: m.memberId,
        groupInstanceId: m.groupInstanceId,
        clientId: m.clientId,
        clientHost: m.clientHost,
        rebalanceTimeoutMs: m.rebalanceTimeoutMs,
        sessionTimeoutMs: m.sessionTimeoutMs,
        protocolType: value.protocolType ?? "",
        protocols:
          value.protocolName === null
            ? []
            : [{ name: value.protocolName, metadata: m.subscription }],
      });
      member.assignment = m.assignment;
      group.add(member);
    }
    group.leaderId = value.leaderId;
    if (group.members.size > 0) group.restoreState("Stable", now);
    else group.restoreState("Empty", value.stateTimestamp);
  }
  for (const [groupId, perGroup] of offsets) {
    for (const [key, value] of perGroup) {
      if (value === null) continue;
      const sep = key.lastIndexOf("\u0000");
      groupFor(groupId).setOffset(key.slice(0, sep), Number(key.slice(sep + 1)), value);
    }
  }
  return groups;
}
