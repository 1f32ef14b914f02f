import type {
  AclBinding,
  ClusterQuotaEntity,
  ScramMechanism,
  TenantDefinition,
} from "./cluster-state";
import type { CredentialRef, ManifestTopic } from "./schema";

/** Why a SCRAM credential is (re)written. */
export type CredentialReason = "missing" | "iterations changed" | "password changed";

/** One config a {@link Change} of kind `alterTopicConfigs` sets. */
export interface TopicConfigSet {
  /** Config name, e.g. `retention.ms`. */
  readonly key: string;
  /** The new value. */
  readonly value: string;
  /** The current override, or `null` when the topic has none. */
  readonly previous: string | null;
}

/** One config override a {@link Change} of kind `alterTopicConfigs` removes. */
export interface TopicConfigReset {
  /** Config name. */
  readonly key: string;
  /** The override being removed, or `null` when Kafka hides it (sensitive). */
  readonly previous: string | null;
}

/**
 * One change the reconciler wants to make, told apart by `kind`. Credentials appear as references,
 * never secrets.
 */
export type Change =
  | {
      /** Create or replace a Sluice tenant definition. */
      readonly kind: "putTenant";
      /** Tenant name. */
      readonly name: string;
      /** The definition to store. */
      readonly definition: TenantDefinition;
      /** True when the tenant exists with another definition. */
      readonly exists: boolean;
    }
  | {
      /** Create a topic. */
      readonly kind: "createTopic";
      /** The topic as the manifest declares it. */
      readonly topic: ManifestTopic;
    }
  | {
      /** Grow a topic's partitions. */
      readonly kind: "createPartitions";
      /** Topic name. */
      readonly topic: string;
      /** Partitions now. */
      readonly from: number;
      /** Partitions after the change. */
      readonly to: number;
    }
  | {
      /** Change a topic's config overrides. */
      readonly kind: "alterTopicConfigs";
      /** Topic name. */
      readonly topic: string;
      /** Overrides set. */
      readonly set: readonly TopicConfigSet[];
      /** Overrides removed (back to the cluster default). */
      readonly reset: readonly TopicConfigReset[];
    }
  | {
      /** Create or rewrite a SCRAM credential. */
      readonly kind: "upsertScramCredential";
      /** User name. */
      readonly user: string;
      /** The SCRAM mechanism. */
      readonly mechanism: ScramMechanism;
      /** Iteration count to salt with. */
      readonly iterations: number;
      /** Where the password is read at apply time. */
      readonly credential: CredentialRef;
      /** Why it is written. */
      readonly reason: CredentialReason;
    }
  | {
      /** Create an ACL binding. */
      readonly kind: "createAcl";
      /** The binding. */
      readonly acl: AclBinding;
    }
  | {
      /** Change a client quota. */
      readonly kind: "alterQuota";
      /** Whom the quota limits. */
      readonly entity: ClusterQuotaEntity;
      /** Quota values set. */
      readonly set: Readonly<Record<string, number>>;
      /** Quota names removed. */
      readonly remove: readonly string[];
    }
  | {
      /** Delete an ACL binding. */
      readonly kind: "deleteAcl";
      /** The binding. */
      readonly acl: AclBinding;
    }
  | {
      /** Delete a SCRAM credential. */
      readonly kind: "deleteScramCredential";
      /** User name. */
      readonly user: string;
      /** The SCRAM mechanism. */
      readonly mechanism: ScramMechanism;
    }
  | {
      /** Delete a Sluice tenant definition (its topics stay). */
      readonly kind: "deleteTenant";
      /** Tenant name. */
      readonly name: string;
    }
  | {
      /** Delete a topic and its data. */
      readonly kind: "deleteTopic";
      /** Topic name. */
      readonly topic: string;
      /** Its partition count, for the report. */
      readonly partitions: number;
    };

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
