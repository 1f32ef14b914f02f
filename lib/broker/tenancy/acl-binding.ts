/** Kafka's ResourceType codes (org.apache.kafka.common.resource.ResourceType). */
export enum ResourceType {
  UNKNOWN = 0,
  ANY = 1,
  TOPIC = 2,
  GROUP = 3,
  CLUSTER = 4,
  TRANSACTIONAL_ID = 5,
  DELEGATION_TOKEN = 6,
  USER = 7,
}

/** Kafka's PatternType codes. MATCH and ANY exist only in filters. */
export enum PatternType {
  UNKNOWN = 0,
  ANY = 1,
  MATCH = 2,
  LITERAL = 3,
  PREFIXED = 4,
}

/** Kafka's AclOperation codes. */
export enum AclOperation {
  UNKNOWN = 0,
  ANY = 1,
  ALL = 2,
  READ = 3,
  WRITE = 4,
  CREATE = 5,
  DELETE = 6,
  ALTER = 7,
  DESCRIBE = 8,
  CLUSTER_ACTION = 9,
  DESCRIBE_CONFIGS = 10,
  ALTER_CONFIGS = 11,
  IDEMPOTENT_WRITE = 12,
  CREATE_TOKENS = 13,
  DESCRIBE_TOKENS = 14,
}

/** Kafka's AclPermissionType codes. */
export enum AclPermissionType {
  UNKNOWN = 0,
  ANY = 1,
  DENY = 2,
  ALLOW = 3,
}

/** The only name Kafka accepts for the CLUSTER resource. */
export const CLUSTER_RESOURCE_NAME = "kafka-cluster";
/** The literal resource name that matches every resource of its type. */
export const WILDCARD_RESOURCE = "*";
/** The principal that matches every user. */
export const WILDCARD_PRINCIPAL = "User:*";
/** The host that matches every client address. */
export const WILDCARD_HOST = "*";

/** One ACL: a resource pattern plus an entry (principal, host, operation, permission). */
export interface AclBinding {
  readonly resourceType: ResourceType;
  readonly resourceName: string;
  readonly patternType: PatternType.LITERAL | PatternType.PREFIXED;
  readonly principal: string;
  readonly host: string;
  readonly operation: AclOperation;
  readonly permissionType: AclPermissionType.ALLOW | AclPermissionType.DENY;
}

/** A filter over bindings, as DescribeAcls and DeleteAcls carry it; null fields match anything. */
export interface AclBindingFilter {
  readonly resourceType: ResourceType;
  readonly resourceName: string | null;
  readonly patternType: PatternType;
  readonly principal: string | null;
  readonly host: string | null;
  readonly operation: AclOperation;
  readonly permissionType: AclPermissionType;
}

/** A binding or filter that is not acceptable (mapped to INVALID_REQUEST by the handlers). */
export class InvalidAclError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "InvalidAclError";
  }
}

const CONCRETE_RESOURCE_TYPES = new Set([
  ResourceType.TOPIC,
  ResourceType.GROUP,
  ResourceType.CLUSTER,
  ResourceType.TRANSACTIONAL_ID,
  ResourceType.DELEGATION_TOKEN,
  ResourceType.USER,
]);

/** Checks a binding as Kafka does before creating it; returns the typed binding. */
export function validateAclBinding(b: {
  resourceType: number;
  resourceName: string;
  patternType: number;
  principal: string;
  host: string;
  operation: number;
  permissionType: number;
}): AclBinding {
  if (!CONCRETE_RESOURCE_TYPES.has(b.resourceType)) {
    throw new InvalidAclError(`invalid resource type ${b.resourceType}`);
  }
  if (b.patternType !== PatternType.LITERAL && b.patternType !== PatternType.PREFIXED) {
    throw new InvalidAclError(`invalid pattern type ${b.patternType}: use LITERAL or PREFIXED`);
  }
  if (b.resourceName.length === 0) throw new InvalidAclError("resource name must not be empty");
  if (b.resourceType === ResourceType.CLUSTER && b.resourceName !== CLUSTER_RESOURCE_NAME) {
    throw new InvalidAclError(
      `The only valid name for the CLUSTER resource is ${CLUSTER_RESOURCE_NAME}`,
    );
  }
  if (b.patternType === PatternType.PREFIXED && b.resourceName === WILDCARD_RESOURCE) {
    throw new InvalidAclError("a PREFIXED pattern cannot use the wildcard name '*'");
  }
  const colon = b.principal.indexOf(":");
  if (colon < 1 || colon === b.principal.length - 1) {
    throw new InvalidAclError(`invalid principal ${JSON.stringify(b.principal)}: use Type:name`);
  }
  if (b.host.length === 0) throw new InvalidAclError("host must not be empty (use '*')");
  if (
    b.operation < AclOperation.ALL ||
    b.operation > AclOperation.DESCRIBE_TOKENS ||
    !Number.isInteger(b.operation)
  ) {
    throw new InvalidAclError(`invalid operation ${b.operation}`);
  }
  if (b.permissionType !== AclPermissionType.ALLOW && b.permissionType !== AclPermissionType.DENY) {
    throw new InvalidAclError(`invalid permission type ${b.permissionType}`);
  }
  return {
    resourceType: b.resourceType,
    resourceName: b.resourceName,
    patternType: b.patternType,
    principal: b.principal,
    host: b.host,
    operation: b.operation,
    permissionType: b.permissionType,
  };
}

/** Checks a filter: UNKNOWN in any enum field makes it invalid, as in Kafka. */
export function validateAclFilter(f: AclBindingFilter): AclBindingFilter {
  if (
    f.resourceType === ResourceType.UNKNOWN ||
    f.patternType === PatternType.UNKNOWN ||
    f.operation === AclOperation.UNKNOWN ||
    f.permissionType === AclPermissionType.UNKNOWN
  ) {
    throw new InvalidAclError("the filter contains UNKNOWN elements");
  }
  if (f.patternType > PatternType.PREFIXED || f.resourceType > ResourceType.USER) {
    throw new InvalidAclError("the filter contains unknown codes");
  }
  return f;
}

/** Whether a pattern (type, name, pattern type) applies to a concrete resource. */
export function patternMatchesResource(
  b: Pick<AclBinding, "resourceType" | "resourceName" | "patternType">,
  resourceType: ResourceType,
  resourceName: string,
): boolean {
  if (b.resourceType !== resourceType) return false;
  if (b.patternType === PatternType.PREFIXED) return resourceName.startsWith(b.resourceName);
  return b.resourceName === resourceName || b.resourceName === WILDCARD_RESOURCE;
}

/** Kafka's filter semantics (ResourcePatternFilter + AccessControlEntryFilter). */
export function filterMatches(f: AclBindingFilter, b: AclBinding): boolean {
  if (f.resourceType !== ResourceType.ANY && f.resourceType !== b.resourceType) return false;
  if (f.resourceName !== null) {
    switch (f.patternType) {
      case PatternType.MATCH:
        // Every binding that would apply to the named resource.
        if (!patternMatchesResource(b, b.resourceType, f.resourceName)) return false;
        break;
      case PatternType.ANY:
        if (b.resourceName !== f.resourceName) return false;
        break;
      default:
        if (b.patternType !== f.patternType || b.resourceName !== f.resourceName) return false;
    }
  } else if (
    f.patternType !== PatternType.ANY &&
    f.patternType !== PatternType.MATCH &&
    f.patternType !== b.patternType
  ) {
    return false;
  }
  if (f.principal !== null && f.principal !== b.principal) return false;
  if (f.host !== null && f.host !== b.host) return false;
  if (f.operation !== AclOperation.ANY && f.operation !== b.operation) return false;
  if (f.permissionType !== AclPermissionType.ANY && f.permissionType !== b.permissionType) {
    return false;
  }
  return true;
}

/** A stable identity for de-duplication. */
export function aclKey(b: AclBinding): string {
  return JSON.stringify([
    b.resourceType,
    b.resourceName,
    b.patternType,
    b.principal,
    b.host,
    b.operation,
    b.permissionType,
  ]);
}
