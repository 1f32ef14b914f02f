import type {
  AclBinding,
  ClusterQuotaEntity,
  ScramMechanism,
  TenantDefinition,
} from "./cluster-state";
import type { CredentialRef, ManifestTopic } from "./schema";

/** Why a SCRAM credential is (re)written. */
export type CredentialReason = "missing" | "iterations changed" | "password changed";

/** One change the reconciler wants to make. Credentials appear as references, never secrets. */
export type Change =
  | {
      readonly kind: "putTenant";
      readonly name: string;
      readonly definition: TenantDefinition;
      readonly exists: boolean;
    }
  | { readonly kind: "createTopic"; readonly topic: ManifestTopic }
  | {
      readonly kind: "createPartitions";
      readonly topic: string;
      readonly from: number;
      readonly to: number;
    }
  | {
      readonly kind: "alterTopicConfigs";
      readonly topic: string;
      readonly set: readonly { key: string; value: string; previous: string | null }[];
      readonly reset: readonly { key: string; previous: string | null }[];
    }
  | {
      readonly kind: "upsertScramCredential";
      readonly user: string;
      readonly mechanism: ScramMechanism;
      readonly iterations: number;
      readonly credential: CredentialRef;
      readonly reason: CredentialReason;
    }
  | { readonly kind: "createAcl"; readonly acl: AclBinding }
  | {
      readonly kind: "alterQuota";
      readonly entity: ClusterQuotaEntity;
      readonly set: Readonly<Record<string, number>>;
      readonly remove: readonly string[];
    }
  | { readonly kind: "deleteAcl"; readonly acl: AclBinding }
  | {
      readonly kind: "deleteScramCredential";
      readonly user: string;
      readonly mechanism: ScramMechanism;
    }
  | { readonly kind: "deleteTenant"; readonly name: string }
  | { readonly kind: "deleteTopic"; readonly topic: string; readonly partitions: number };

/** The kinds of {@link Change}. */
export type ChangeKind = Change["kind"];

/** The result of comparing a manifest with a cluster. */
export interface Plan {
  /** Changes in execution order. Empty = the cluster already matches. */
  readonly changes: readonly Change[];
  /** Problems that forbid applying anything (e.g. shrinking partitions). */
  readonly errors: readonly string[];
  /** Things the reconciler will not do but the user should know (e.g. replication factor). */
  readonly warnings: readonly string[];
  /** Informational (e.g. resources kept because the deletion policy forbids deleting them). */
  readonly notes: readonly string[];
}

/** Execution order of change kinds: creations and updates first, deletions last, topics at the end. */
export const CHANGE_ORDER: readonly ChangeKind[] = [
  "putTenant",
  "createTopic",
  "createPartitions",
  "alterTopicConfigs",
  "upsertScramCredential",
  "createAcl",
  "alterQuota",
  "deleteAcl",
  "deleteScramCredential",
  "deleteTenant",
  "deleteTopic",
];
