import type {
  AclOperation,
  AclPatternType,
  AclPermission,
  AclResourceType,
  TenantLimits,
} from "./schema";

/** An ACL binding exactly as the cluster holds it (every field explicit). */
export interface AclBinding {
  readonly resourceType: AclResourceType;
  readonly patternType: AclPatternType;
  readonly resourceName: string;
  readonly principal: string;
  readonly host: string;
  readonly operation: AclOperation;
  readonly permission: AclPermission;
}

/** A quota entity as the cluster holds it: each part is a name or `null` for the default entity. */
export interface ClusterQuotaEntity {
  readonly user?: string | null;
  readonly clientId?: string | null;
}

/** A quota entity with its values (Kafka quota names → numbers). */
export interface ClusterQuota {
  readonly entity: ClusterQuotaEntity;
  readonly values: Readonly<Record<string, number>>;
}

/** SCRAM mechanisms Kafka stores credentials for. */
export type ScramMechanism = "SCRAM-SHA-256" | "SCRAM-SHA-512";

/** One stored SCRAM credential (Kafka never returns the salted password). */
export interface ScramCredentialInfo {
  readonly mechanism: ScramMechanism;
  readonly iterations: number;
}

/** One topic config as described by the cluster. */
export interface ClusterTopicConfig {
  readonly value: string | null;
  /** True when this is a per-topic override (DYNAMIC_TOPIC_CONFIG) rather than a default. */
  readonly isOverride: boolean;
}

/** A topic as the cluster reports it. */
export interface ClusterTopic {
  readonly name: string;
  readonly partitions: number;
  readonly replicationFactor: number;
  readonly internal: boolean;
  readonly configs: ReadonlyMap<string, ClusterTopicConfig>;
}

/** A Sluice tenant definition as stored on the broker (`sluice.tenant.<name>`). */
export interface TenantDefinition {
  readonly topicPrefix: string;
  readonly groupPrefix: string;
  readonly transactionalIdPrefix: string;
  readonly principals: readonly string[];
  readonly limits: TenantLimits;
}

/**
 * What the reconciler needs to know about a running cluster. `undefined` for a section means the
 * cluster does not support it (no authorizer, no SCRAM API, not a Sluice broker).
 */
export interface ClusterState {
  readonly topics: ReadonlyMap<string, ClusterTopic>;
  readonly acls: readonly AclBinding[] | undefined;
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
