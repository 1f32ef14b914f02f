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
  readonly user: string;
  readonly mechanism: ScramMechanism;
  readonly password: string;
}

/**
 * What the reconciler needs from a cluster. Implemented over the Kafka admin APIs by
 * `lib/admin`, and by in-memory fakes in tests. Every method throws on failure.
 */
export interface ClusterAdmin {
  /** Reads the state the manifest can describe; tries the given logins where possible. */
  readState(checks: readonly CredentialCheck[]): Promise<ClusterState>;
  putTenant(name: string, definition: TenantDefinition): Promise<void>;
  deleteTenant(name: string): Promise<void>;
  createTopic(topic: ManifestTopic): Promise<void>;
  createPartitions(topic: string, totalCount: number): Promise<void>;
  alterTopicConfigs(
    topic: string,
    set: readonly { key: string; value: string }[],
    reset: readonly string[],
  ): Promise<void>;
  upsertScramCredential(
    user: string,
    mechanism: ScramMechanism,
    iterations: number,
    password: string,
  ): Promise<void>;
  deleteScramCredential(user: string, mechanism: ScramMechanism): Promise<void>;
  createAcls(acls: readonly AclBinding[]): Promise<void>;
  deleteAcls(acls: readonly AclBinding[]): Promise<void>;
  alterQuota(
    entity: ClusterQuotaEntity,
    set: Readonly<Record<string, number>>,
    remove: readonly string[],
  ): Promise<void>;
  deleteTopic(topic: string): Promise<void>;
}

/**
 * Asks a cluster whether it would accept a change without making it (Kafka's `validateOnly`), for
 * `sluice plan --bootstrap`. Every method throws the broker's error when the cluster would refuse.
 */
export interface ClusterValidator {
  validateCreateTopic(topic: ManifestTopic): Promise<void>;
  validateCreatePartitions(topic: string, totalCount: number): Promise<void>;
  validateTopicConfigs(
    topic: string,
    set: readonly { key: string; value: string }[],
    reset: readonly string[],
  ): Promise<void>;
  validateQuota(
    entity: ClusterQuotaEntity,
    set: Readonly<Record<string, number>>,
    remove: readonly string[],
  ): Promise<void>;
}
