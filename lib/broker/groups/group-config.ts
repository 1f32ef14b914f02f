/** Broker settings that shape the group coordinator (Kafka's `group.*` and `offsets.*` configs). */
export interface GroupCoordinatorConfig {
  /** `group.initial.rebalance.delay.ms`: how long the first rebalance of an empty group waits for more members. */
  readonly initialRebalanceDelayMs: number;
  /** `group.min.session.timeout.ms`: smallest session timeout a member may ask for. */
  readonly minSessionTimeoutMs: number;
  /** `group.max.session.timeout.ms`: largest session timeout a member may ask for. */
  readonly maxSessionTimeoutMs: number;
  /** `group.max.size`: members per group. */
  readonly maxGroupSize: number;
  /** `offset.metadata.max.bytes`: longest metadata string kept with a committed offset. */
  readonly offsetMetadataMaxBytes: number;
  /** `offsets.retention.minutes` in ms: how long offsets of an empty group (or standalone commits) are kept. */
  readonly offsetsRetentionMs: number;
  /** `offsets.retention.check.interval.ms`: how often expired offsets are looked for. */
  readonly offsetsRetentionCheckIntervalMs: number;
}

/** Kafka's defaults for {@link GroupCoordinatorConfig}. */
export const DEFAULT_GROUP_COORDINATOR_CONFIG: GroupCoordinatorConfig = {
  initialRebalanceDelayMs: 3000,
  minSessionTimeoutMs: 6000,
  maxSessionTimeoutMs: 1_800_000,
  maxGroupSize: 2_147_483_647,
  offsetMetadataMaxBytes: 4096,
  offsetsRetentionMs: 7 * 24 * 60 * 60 * 1000,
  offsetsRetentionCheckIntervalMs: 600_000,
};
