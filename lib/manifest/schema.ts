import { z } from "zod";

/**
 * The Sluice desired-state manifest, version 1.
 *
 * One JSON document describes the topics, principals, tenants, ACLs and client quotas a cluster
 * should have. The constructs generate it at synth time; `sluice apply` brings any
 * Kafka-compatible cluster to it through the admin APIs; the broker reads the same shapes.
 *
 * Schemas are strict (unknown keys are errors) so that a typo never silently drops a setting.
 * Fields with defaults are optional in {@link ManifestInput} and always present in {@link Manifest}.
 */

/** The only manifest version this code understands. */
export const MANIFEST_API_VERSION = "sluice.dev/v1";

/** Kafka's legal topic name: 1–249 characters of `[a-zA-Z0-9._-]`, not `.` or `..`. */
const TOPIC_NAME = /^[a-zA-Z0-9._-]{1,249}$/;
/** A Kafka config name such as `retention.ms` or `cleanup.policy`. */
const CONFIG_NAME = /^[a-z][a-z0-9]*(\.[a-z0-9]+)*$/;
/**
 * A principal (user) name. Kept to a conservative alphabet so that it needs no escaping in SCRAM
 * (`=`/`,`), in ACL principals (`User:<name>`), or in shell-quoted CLI flags.
 */
const PRINCIPAL_NAME = /^[A-Za-z0-9._@+-]{1,255}$/;
/** A Kafka principal as used in ACLs: `<type>:<name>`, e.g. `User:alice` or `User:*`. */
const KAFKA_PRINCIPAL = /^[A-Za-z]+:.+$/;
/** Environment variable names accepted as credential references. */
const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;
/** A DNS-label-like name for tenants and the cluster. */
const SIMPLE_NAME = /^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$/;

const positiveInt = z
  .number({ error: "must be a number" })
  .int("must be an integer")
  .positive("must be a positive integer");

/** A topic name valid in Kafka. */
export const topicNameSchema = z
  .string()
  .regex(TOPIC_NAME, "must be 1-249 characters of a-z, A-Z, 0-9, '.', '_' or '-'")
  .refine((name) => name !== "." && name !== "..", "must not be '.' or '..'");

/**
 * Topic configs: Kafka config names (`retention.ms`) to string values, exactly as the admin APIs
 * carry them. Use {@link topicConfigs} (in `topic-configs.ts`) to build them from typed options.
 */
export const topicConfigsSchema = z.record(
  z.string().regex(CONFIG_NAME, "must be a Kafka config name such as 'retention.ms'"),
  z.string({ error: 'config values are strings, e.g. "86400000"' }),
);

/** One topic. */
export const topicSchema = z.strictObject({
  /** Topic name. */
  name: topicNameSchema,
  /** Partition count. Partitions only ever grow: `sluice apply` refuses to shrink. */
  partitions: positiveInt,
  /** Replication factor; omitted = the cluster's `default.replication.factor`. */
  replicationFactor: positiveInt.max(32767).optional(),
  /**
   * Kafka topic config overrides (only these keys are managed).
   * @default `{}`
   */
  configs: topicConfigsSchema.default({}),
});

/** Where a secret comes from at apply time. The manifest never holds the secret itself. */
export const credentialRefSchema = z.union(
  [
    z.strictObject({
      /** Name of an environment variable holding the secret. */
      env: z.string().regex(ENV_NAME, "must be an environment variable name"),
    }),
    z.strictObject({
      /** Absolute path of a file holding the secret (trailing newline ignored). */
      file: z.string().startsWith("/", "must be an absolute path"),
    }),
  ],
  {
    error:
      'must be a reference { "env": "VAR" } or { "file": "/abs/path" }; the manifest never holds the secret itself',
  },
);

/** The SASL mechanisms a principal can authenticate with. */
export const SASL_MECHANISMS = ["PLAIN", "SCRAM-SHA-256", "SCRAM-SHA-512"] as const;
/** A SASL mechanism name. */
export type SaslMechanism = (typeof SASL_MECHANISMS)[number];
/** SASL mechanisms a principal can authenticate with, one of {@link SASL_MECHANISMS}. */
// Typed as a plain ZodType so the API reference shows the named union, not zod's enum internals.
export const saslMechanismSchema: z.ZodType<SaslMechanism> = z.enum(SASL_MECHANISMS);

/** One principal (a SASL user). */
export const principalSchema = z.strictObject({
  /** User name; in ACLs it is `User:<name>`. */
  name: z.string().regex(PRINCIPAL_NAME, "must be 1-255 characters of A-Z, a-z, 0-9, . _ @ + -"),
  /** How the principal authenticates. */
  mechanism: saslMechanismSchema,
  /** Where to read the password at apply time. */
  credential: credentialRefSchema,
  /**
   * SCRAM iteration count (Kafka requires >= 4096). Ignored for `PLAIN`.
   * @default 8192
   */
  iterations: z.number().int().min(4096).max(16384).default(8192),
});

/** Per-tenant limits Kafka itself lacks; enforced by the Sluice broker. Omitted = unlimited. */
export const tenantLimitsSchema = z.strictObject({
  /** Total bytes on disk over all the tenant's partitions, in bytes. */
  storageBytes: positiveInt.optional(),
  /** Number of topics. */
  maxTopics: positiveInt.optional(),
  /** Number of partitions over all topics. */
  maxPartitions: positiveInt.optional(),
  /** Concurrent connections of all the tenant's principals. */
  maxConnections: positiveInt.optional(),
});

/** A tenant: principals plus the topic/group name prefixes they own. */
export const tenantSchema = z.strictObject({
  /** Tenant name (lower-case DNS label). */
  name: z.string().regex(SIMPLE_NAME, "must be a lower-case DNS label (a-z, 0-9, '-')"),
  /** Every topic of the tenant starts with this prefix (e.g. `payments.`). */
  topicPrefix: z.string().regex(TOPIC_NAME, "must use only a-z, A-Z, 0-9, '.', '_' or '-'"),
  /** Every consumer group of the tenant starts with this prefix. */
  groupPrefix: z.string().min(1),
  /** Transactional ids of the tenant start with this prefix; omitted = `topicPrefix`. */
  transactionalIdPrefix: z.string().min(1).optional(),
  /**
   * Names of principals (declared under `principals`) that act for the tenant.
   * @default `[]`
   */
  principals: z.array(z.string()).default([]),
  /**
   * Limits; omitted = unlimited.
   * @default `{}`
   */
  limits: tenantLimitsSchema.default({}),
});

// The enum schemas below are typed as plain ZodTypes of a named union so that the API reference
// shows the union, not zod's enum internals.

/** ACL resource types (Kafka's `ResourceType`, camelCased). */
export const ACL_RESOURCE_TYPES = ["topic", "group", "cluster", "transactionalId"] as const;
/** ACL resource type. */
export type AclResourceType = (typeof ACL_RESOURCE_TYPES)[number];
/** ACL resource types, one of {@link ACL_RESOURCE_TYPES}. */
export const aclResourceTypeSchema: z.ZodType<AclResourceType> = z.enum(ACL_RESOURCE_TYPES);

/** ACL pattern types: `literal` matches the name exactly, `prefixed` every name starting with it. */
export const ACL_PATTERN_TYPES = ["literal", "prefixed"] as const;
/** ACL pattern type. */
export type AclPatternType = (typeof ACL_PATTERN_TYPES)[number];
/** ACL pattern types, one of {@link ACL_PATTERN_TYPES}. */
export const aclPatternTypeSchema: z.ZodType<AclPatternType> = z.enum(ACL_PATTERN_TYPES);

/** ACL operations (Kafka's `AclOperation`, camelCased). */
export const ACL_OPERATIONS = [
  "all",
  "read",
  "write",
  "create",
  "delete",
  "alter",
  "describe",
  "clusterAction",
  "describeConfigs",
  "alterConfigs",
  "idempotentWrite",
  "createTokens",
  "describeTokens",
] as const;
/** ACL operation. */
export type AclOperation = (typeof ACL_OPERATIONS)[number];
/** ACL operations, one of {@link ACL_OPERATIONS}. */
export const aclOperationSchema: z.ZodType<AclOperation> = z.enum(ACL_OPERATIONS);

/** ACL permissions: Kafka evaluates `deny` before `allow`. */
export const ACL_PERMISSIONS = ["allow", "deny"] as const;
/** ACL permission. */
export type AclPermission = (typeof ACL_PERMISSIONS)[number];
/** ACL permissions, one of {@link ACL_PERMISSIONS}. */
export const aclPermissionSchema: z.ZodType<AclPermission> = z.enum(ACL_PERMISSIONS);

/** One ACL binding, with Kafka semantics. */
export const aclSchema = z.strictObject({
  /** What kind of resource the ACL protects. */
  resourceType: aclResourceTypeSchema,
  /**
   * How `resourceName` matches.
   * @default `"literal"`
   */
  patternType: aclPatternTypeSchema.default("literal"),
  /** Resource name (for `cluster`, always `kafka-cluster`); `*` with `literal` = every resource. */
  resourceName: z.string().min(1),
  /** Kafka principal, e.g. `User:alice`, or `User:*` for everyone. */
  principal: z.string().regex(KAFKA_PRINCIPAL, "must look like 'User:alice'"),
  /**
   * Client host, `*` = any.
   * @default `"*"`
   */
  host: z.string().min(1).default("*"),
  /** The operation allowed or denied. */
  operation: aclOperationSchema,
  /**
   * Whether the binding allows or denies the operation.
   * @default `"allow"`
   */
  permission: aclPermissionSchema.default("allow"),
});

/** A quota entity part: a name, or `{ default: true }` for Kafka's default entity. */
export const quotaEntityNameSchema = z.union(
  [
    z.string().min(1),
    z.strictObject({
      /** Always `true`: the entity Kafka applies to every user (or client id) without its own quota. */
      default: z.literal(true),
    }),
  ],
  { error: 'must be a name or { "default": true }' },
);

/** The entity a quota applies to: user, client-id, user + client-id, or their defaults. */
export const quotaEntitySchema = z
  .strictObject({
    /** The user (principal name) the quota applies to; omitted = any user. */
    user: quotaEntityNameSchema.optional(),
    /** The client id the quota applies to; omitted = any client id. */
    clientId: quotaEntityNameSchema.optional(),
  })
  .refine((e) => e.user !== undefined || e.clientId !== undefined, {
    message: "needs 'user', 'clientId' or both",
  });

/** Quota values, with Kafka's config names. Omitted keys are unset. */
export const quotaValuesSchema = z
  .strictObject({
    // Kafka types the byte rates as LONG and refuses a fractional one (INVALID_REQUEST) only at
    // apply time, after earlier changes went through: refuse it here.
    /** Produce throughput per broker, in bytes per second. */
    producer_byte_rate: positiveInt.optional(),
    /** Fetch throughput per broker, in bytes per second. */
    consumer_byte_rate: positiveInt.optional(),
    /** Request handler and network thread time per broker, in percent of one thread (may exceed 100). */
    request_percentage: z.number().positive().optional(),
    /** Partition creations and deletions per second (create/delete topics and partitions). */
    controller_mutation_rate: z.number().positive().optional(),
  })
  .refine((v) => Object.values(v).some((x) => x !== undefined), {
    message: "needs at least one quota value",
  });

/** A client quota. */
export const quotaSchema = z.strictObject({
  /** Whom the quota limits. */
  entity: quotaEntitySchema,
  /** The limits; at least one. */
  values: quotaValuesSchema,
});

/**
 * Kinds of things `sluice apply` may delete when they exist on the cluster but not in the manifest.
 * `topics` destroys data; `configs` resets topic config overrides the manifest does not name;
 * `tenants` removes Sluice tenant definitions (their topics stay unless `topics` is allowed too).
 */
export const DELETABLE_KINDS = [
  "topics",
  "configs",
  "acls",
  "quotas",
  "credentials",
  "tenants",
] as const;
/** One deletable kind. */
export type DeletableKind = (typeof DELETABLE_KINDS)[number];
/** One deletable kind, one of {@link DELETABLE_KINDS}. */
// A plain ZodType so the API reference shows the named union, not zod's enum internals.
export const deletableKindSchema: z.ZodType<DeletableKind> = z.enum(DELETABLE_KINDS);

/**
 * Deletion policy: `none` (the default: never delete), `all`, one kind, or a list of kinds.
 * Internal topics (names starting with `__`) are never deleted.
 */
export const deletionPolicySchema = z.union(
  [z.literal("none"), z.literal("all"), deletableKindSchema, z.array(deletableKindSchema)],
  {
    error: `must be "none", "all", one of ${DELETABLE_KINDS.join(", ")}, or a list of them`,
  },
);

/** The whole manifest. Cross-references are checked after the shape (see `parse-manifest.ts`). */
export const manifestSchema = z.strictObject({
  /** Always {@link MANIFEST_API_VERSION}. */
  apiVersion: z.literal(MANIFEST_API_VERSION, {
    error: `must be "${MANIFEST_API_VERSION}"`,
  }),
  /** Optional cluster name, informational. */
  cluster: z.string().regex(SIMPLE_NAME, "must be a lower-case DNS label").optional(),
  /**
   * What `sluice apply` may delete when the cluster has it and the manifest does not.
   * @default `"none"`
   */
  deletions: deletionPolicySchema.default("none"),
  /**
   * Topics, with their partitions and config overrides.
   * @default `[]`
   */
  topics: z.array(topicSchema).default([]),
  /**
   * SASL users and where their passwords come from.
   * @default `[]`
   */
  principals: z.array(principalSchema).default([]),
  /**
   * Tenants: name prefixes, principals and limits.
   * @default `[]`
   */
  tenants: z.array(tenantSchema).default([]),
  /**
   * ACL bindings.
   * @default `[]`
   */
  acls: z.array(aclSchema).default([]),
  /**
   * Client quotas.
   * @default `[]`
   */
  quotas: z.array(quotaSchema).default([]),
});

/**
 * A parsed manifest, with every default filled in.
 * @useDeclaredType
 */
export type Manifest = z.output<typeof manifestSchema>;
/**
 * What a manifest author (or the constructs) writes: defaults optional.
 * @useDeclaredType
 */
export type ManifestInput = z.input<typeof manifestSchema>;
/**
 * A topic in a parsed manifest.
 * @useDeclaredType
 */
export type ManifestTopic = z.output<typeof topicSchema>;
/**
 * A principal in a parsed manifest.
 * @useDeclaredType
 */
export type ManifestPrincipal = z.output<typeof principalSchema>;
/**
 * A credential reference.
 * @useDeclaredType
 */
export type CredentialRef = z.output<typeof credentialRefSchema>;
/**
 * A tenant in a parsed manifest.
 * @useDeclaredType
 */
export type ManifestTenant = z.output<typeof tenantSchema>;
/**
 * Tenant limits.
 * @useDeclaredType
 */
export type TenantLimits = z.output<typeof tenantLimitsSchema>;
/**
 * An ACL binding in a parsed manifest.
 * @useDeclaredType
 */
export type ManifestAcl = z.output<typeof aclSchema>;
/**
 * A client quota in a parsed manifest.
 * @useDeclaredType
 */
export type ManifestQuota = z.output<typeof quotaSchema>;
/**
 * A quota entity.
 * @useDeclaredType
 */
export type QuotaEntity = z.output<typeof quotaEntitySchema>;
/**
 * A quota entity name or the default entity.
 * @useDeclaredType
 */
export type QuotaEntityName = z.output<typeof quotaEntityNameSchema>;
/**
 * Quota values.
 * @useDeclaredType
 */
export type QuotaValues = z.output<typeof quotaValuesSchema>;
/**
 * The deletion policy.
 * @useDeclaredType
 */
export type DeletionPolicy = z.output<typeof deletionPolicySchema>;

/** The set of kinds a deletion policy allows deleting. */
export function deletionKinds(policy: DeletionPolicy): ReadonlySet<DeletableKind> {
  if (policy === "none") return new Set();
  if (policy === "all") return new Set(DELETABLE_KINDS);
  if (typeof policy === "string") return new Set([policy]);
  return new Set(policy);
}
