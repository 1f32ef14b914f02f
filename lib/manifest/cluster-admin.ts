import type {
  AclBinding,
  ClusterQuotaEntity,
  ClusterState,
  ScramMechanism,
  TenantDefinition,
} from "./cluster-state";
import type { ManifestTopic } from "./schema";

/** A login to try, to learn whether a stored SCRAM credential still matches the manifest's secret. */
export interface CredentialCheck {
  /** The user to log in as. */
  readonly user: string;
  /** The SCRAM mechanism to log in with. */
  readonly mechanism: ScramMechanism;
  /** The manifest's password for the user. */
  readonly password: string;
}

/**
 * What the reconciler needs from a cluster. Implemented over the Kafka admin APIs by
 * `lib/admin`, and by in-memory fakes in tests. Every method throws on failure.
 */
export interface ClusterAdmin {
  /** Reads the state the manifest can describe; tries the given logins where possible. */
  readState(checks: readonly CredentialCheck[]): Promise<ClusterState>;
  /** Creates or replaces a Sluice tenant definition. */
  putTenant(name: string, definition: TenantDefinition): Promise<void>;
  /** Removes a Sluice tenant definition (its topics stay). */
  deleteTenant(name: string): Promise<void>;
  /** Creates a topic with its partitions, replication factor and config overrides. */
  createTopic(topic: ManifestTopic): Promise<void>;
  /** Grows a topic to `totalCount` partitions. */
  createPartitions(topic: string, totalCount: number): Promise<void>;
  /** Sets the given config overrides and resets the named ones to their defaults, in one request. */
  alterTopicConfigs(
    topic: string,
    set: readonly { key: string; value: string }[],
    reset: readonly string[],
  ): Promise<void>;
  /** Creates or replaces a user's SCRAM credential for one mechanism. */
  upsertScramCredential(
    user: string,
    mechanism: ScramMechanism,
    iterations: number,
    password: string,
  ): Promise<void>;
  /** Deletes a user's SCRAM credential for one mechanism. */
  deleteScramCredential(user: string, mechanism: ScramMechanism): Promise<void>;
  /** Creates ACL bindings. */
  createAcls(acls: readonly AclBinding[]): Promise<void>;
  /** Deletes exactly these ACL bindings. */
  deleteAcls(acls: readonly AclBinding[]): Promise<void>;
  /** Sets the given quota values of an entity and removes the named ones. */
  alterQuota(
    entity: ClusterQuotaEntity,
    set: Readonly<Record<string, number>>,
    remove: readonly string[],
  ): Promise<void>;
  /** Deletes a topic and its data. */
  deleteTopic(topic: string): Promise<void>;
}

/**
 * Asks a cluster whether it would accept a change without making it (Kafka's `validateOnly`), for
 * `sluice plan --bootstrap`. Every method throws the broker's error when the cluster would refuse.
 */
export interface ClusterValidator {
  /** Would the cluster create this topic? */
  validateCreateTopic(topic: ManifestTopic): Promise<void>;
  /** Would the cluster grow (or shrink) the topic to `totalCount` partitions? */
  validateCreatePartitions(topic: string, totalCount: number): Promise<void>;
  /** Would the cluster accept these config changes of the topic? */
  validateTopicConfigs(
    topic: string,
    set: readonly { key: string; value: string }[],
    reset: readonly string[],
  ): Promise<void>;
  /** Would the cluster accept these quota changes? */
  validateQuota(
    entity: ClusterQuotaEntity,
    set: Readonly<Record<string, number>>,
    remove: readonly string[],
  ): Promise<void>;
}
