/**
 * Classic Kafka consumer groups: the group coordinator (join/sync/heartbeat/leave, rebalances,
 * static membership) and committed offsets, persisted durably.
 */
export { type GroupClock, systemGroupClock, type Timer } from "./clock";
export type * from "./group-api";
export { DEFAULT_GROUP_COORDINATOR_CONFIG, type GroupCoordinatorConfig } from "./group-config";
export { GroupCoordinator, type GroupCoordinatorOptions } from "./group-coordinator";
export {
  GroupCoordinatorError,
  GroupErrorCode,
  type GroupErrorCodeValue,
} from "./group-error-code";
export { groupCoordinatorOf, int64ToNumber, memberClientHost } from "./group-handler-support";
export type { OffsetFetchRequestGroup } from "./group-offsets";
export { decodeGroupRecord, encodeGroupRecord } from "./group-record-codec";
export {
  type GroupStore,
  type GroupStoreRecord,
  MemoryGroupStore,
  type StoredGroup,
  type StoredMember,
} from "./group-store";
export { CONSUMER_OFFSETS_TOPIC, LogGroupStore } from "./log-group-store";
