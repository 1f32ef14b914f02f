import type {
  AclOperation,
  AclPatternType,
  AclPermission,
  AclResourceType,
  TenantLimits,
} from "./schema";

/** An ACL binding exactly as the cluster holds it (every field explicit). */
export interface AclBinding {
  /** What kind of resource the ACL protects. */
  readonly resourceType: AclResourceType;
  /** How `resourceName` matches: exactly, or as a prefix. */
  readonly patternType: AclPatternType;
  /** The resource's name (`kafka-cluster` for the cluster); `*` with `literal` = every resource. */
  readonly resourceName: string;
  /** Kafka principal, e.g. `User:alice`. */
  readonly principal: string;
  /** Client host, `*` = any. */
  readonly host: string;
  /** The operation allowed or denied. */
  readonly operation: AclOperation;
  /** Allow or deny. */
  readonly permission: AclPermission;
}

/** A quota entity as the cluster holds it: each part is a name or `null` for the default entity. */
export interface ClusterQuotaEntity {
  /** The user part: a name, `null` for the default user; absent = not part of the entity. */
  readonly user?: string | null;
  /** The client-id part: a name, `null` for the default client id; absent = not part of the entity. */
  readonly clientId?: string | null;
}

/** A quota entity with its values (Kafka quota names → numbers). */
export interface ClusterQuota {
  /** Whom the quota limits. */
  readonly entity: ClusterQuotaEntity;
  /** Kafka quota names (`producer_byte_rate`, …) → values. */
  readonly values: Readonly<Record<string, number>>;
}

/** SCRAM mechanisms Kafka stores credentials for. */
export type ScramMechanism = "SCRAM-SHA-256" | "SCRAM-SHA-512";

/** One stored SCRAM credential (Kafka never returns the salted password). */
export interface ScramCredentialInfo {
  /** The SCRAM mechanism the credential is for. */
  readonly mechanism: ScramMechanism;
  /** The iteration count it was salted with. */
  readonly iterations: number;
}

/** One topic config as described by the cluster. */
export interface ClusterTopicConfig {
  /** The value as Kafka reports it; `null` for a sensitive or unset config. */
  readonly value: string | null;
  /** True when this is a per-topic override (DYNAMIC_TOPIC_CONFIG) rather than a default. */
  readonly isOverride: boolean;
}

/** A topic as the cluster reports it. */
export interface ClusterTopic {
  /** Topic name. */
  readonly name: string;
  /** Partition count. */
  readonly partitions: number;
  /** Replicas of partition 0 (Kafka gives each partition its own; they agree unless reassigned). */
  readonly replicationFactor: number;
  /** True for Kafka's internal topics (`__consumer_offsets`, …), which apply never deletes. */
  readonly internal: boolean;
  /** Config name → value and whether it is a per-topic override. */
  readonly configs: ReadonlyMap<string, ClusterTopicConfig>;
}

/** A Sluice tenant definition as stored on the broker (`sluice.tenant.<name>`). */
export interface TenantDefinition {
  /** Every topic of the tenant starts with this prefix. */
  readonly topicPrefix: string;
  /** Every consumer group of the tenant starts with this prefix. */
  readonly groupPrefix: string;
  /** Every transactional id of the tenant starts with this prefix. */
  readonly transactionalIdPrefix: string;
  /** Names of the principals that act for the tenant. */
  readonly principals: readonly string[];
  /** The tenant's limits; an absent limit is unlimited. */
  readonly limits: TenantLimits;
}

/**
 * What the reconciler needs to know about a running cluster. `undefined` for a section means the
 * cluster does not support it (no authorizer, no SCRAM API, not a Sluice broker).
 */
export interface ClusterState {
  /** Topic name → topic, internal topics included. */
  readonly topics: ReadonlyMap<string, ClusterTopic>;
  /** Every ACL binding; undefined when the cluster has no authorizer. */
  readonly acls: readonly AclBinding[] | undefined;
  /** Every client quota; undefined when the cluster does not describe quotas. */
  readonly quotas: readonly ClusterQuota[] | undefined;
  /** user → stored credentials. */
  readonly scram: ReadonlyMap<string, readonly ScramCredentialInfo[]> | undefined;
  /** tenant name → definition; undefined when the cluster does not store Sluice tenants. */
  readonly tenants: ReadonlyMap<string, TenantDefinition> | undefined;
  /**
   * Result of logging in as `user` with `mechanism` and the manifest's password, keyed
   * `user/mechanism`: true = it authenticates, false = rejected; absent = could not check.
   */
  readonly credentialChecks: ReadonlyMap<string, boolean>;
}
