import type {
  AclOperation,
  AclPatternType,
  AclPermission,
  AclResourceType,
} from "../manifest/schema";

/** Kafka's `ResourceType` codes. */
export const RESOURCE_TYPE: Readonly<Record<AclResourceType | "any", number>> = {
  any: 1,
  topic: 2,
  group: 3,
  cluster: 4,
  transactionalId: 5,
};

/** Kafka's `PatternType` codes. */
export const PATTERN_TYPE: Readonly<Record<AclPatternType | "any", number>> = {
  any: 1,
  literal: 3,
  prefixed: 4,
};

/** Kafka's `AclOperation` codes. */
export const ACL_OPERATION: Readonly<Record<AclOperation | "any", number>> = {
  any: 1,
  all: 2,
  read: 3,
  write: 4,
  create: 5,
  delete: 6,
  alter: 7,
  describe: 8,
  clusterAction: 9,
  describeConfigs: 10,
  alterConfigs: 11,
  idempotentWrite: 12,
  createTokens: 13,
  describeTokens: 14,
};

/** Kafka's `AclPermissionType` codes. */
export const ACL_PERMISSION: Readonly<Record<AclPermission | "any", number>> = {
  any: 1,
  deny: 2,
  allow: 3,
};

/** Reverse lookup of a code table; undefined for codes we do not model (e.g. UNKNOWN). */
export function fromCode<T extends string>(
  table: Readonly<Record<T, number>>,
  code: number,
): Exclude<T, "any"> | undefined {
  for (const [name, value] of Object.entries(table) as [T, number][]) {
    if (value === code && name !== "any") return name as Exclude<T, "any">;
  }
  return undefined;
}

/** Config resource types of DescribeConfigs / IncrementalAlterConfigs. */
export const CONFIG_RESOURCE = { topic: 2, broker: 4 } as const;

/** `ConfigSource` DYNAMIC_TOPIC_CONFIG: a per-topic override. */
export const CONFIG_SOURCE_TOPIC_OVERRIDE = 1;

/** IncrementalAlterConfigs operations. */
export const CONFIG_OP = { set: 0, delete: 1 } as const;

/** SCRAM mechanism codes of the SCRAM credential APIs. */
export const SCRAM_MECHANISM = { "SCRAM-SHA-256": 1, "SCRAM-SHA-512": 2 } as const;

/** DescribeClientQuotas match types. */
export const QUOTA_MATCH = { exact: 0, default: 1, any: 2 } as const;
