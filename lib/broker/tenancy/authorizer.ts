import {
  type AclBinding,
  type AclBindingFilter,
  AclOperation,
  AclPermissionType,
  aclKey,
  filterMatches,
  PatternType,
  patternMatchesResource,
  type ResourceType,
  WILDCARD_HOST,
  WILDCARD_PRINCIPAL,
} from "./acl-binding";
import { JsonStateFile } from "./json-state-file";

/** Authorizer settings (Kafka: `super.users`, `allow.everyone.if.no.acl.found`). */
export interface AuthorizerConfig {
  /** Principals allowed everything, e.g. `User:admin`. */
  readonly superUsers: readonly string[];
  /** Whether a resource without any ACL is open to everyone. @default false */
  readonly allowEveryoneIfNoAclFound?: boolean;
}

/** Who asks: the authenticated principal and the client's address. */
export interface AuthorizationSubject {
  readonly principal: string;
  readonly host: string;
}

/** Kafka's implied operations: an ALLOW on any of these also allows the key operation. */
const IMPLIED_BY: ReadonlyMap<AclOperation, readonly AclOperation[]> = new Map([
  [
    AclOperation.DESCRIBE,
    [AclOperation.READ, AclOperation.WRITE, AclOperation.DELETE, AclOperation.ALTER],
  ],
  [AclOperation.DESCRIBE_CONFIGS, [AclOperation.ALTER_CONFIGS]],
]);

/** For {@link Authorizer.authorize}: every matching ALLOW counts (one function, not one per call). */
const EVERY_ALLOW = (): boolean => true;

function principalMatches(acl: AclBinding, principal: string): boolean {
  return acl.principal === principal || acl.principal === WILDCARD_PRINCIPAL;
}

function hostMatches(acl: AclBinding, host: string): boolean {
  return acl.host === host || acl.host === WILDCARD_HOST;
}

function hostOf(clientHost: string): string {
  return clientHost.startsWith("/") ? clientHost.slice(1) : clientHost;
}

/**
 * ACL authorization with Kafka's semantics (StandardAuthorizer):
 * super users may do anything; otherwise any matching DENY wins; then a matching ALLOW for the
 * operation, for ALL, or for an operation that implies it (READ/WRITE/DELETE/ALTER imply DESCRIBE,
 * ALTER_CONFIGS implies DESCRIBE_CONFIGS); a resource with no ACL at all is allowed only with
 * `allowEveryoneIfNoAclFound`. Patterns: LITERAL (exact or `*`) and PREFIXED; principal `User:*`
 * and host `*` are wildcards. Bindings persist in `<dataDir>/tenancy/acls.json`.
 */
export class Authorizer {
  private readonly config: AuthorizerConfig;
  private readonly stateFile: JsonStateFile<AclBinding[]>;
  private readonly bindings = new Map<string, AclBinding>();

  private constructor(config: AuthorizerConfig, stateFile: JsonStateFile<AclBinding[]>) {
    this.config = config;
    this.stateFile = stateFile;
  }

  /** Loads the persisted ACLs of `dataDir`. */
  static async open(dataDir: string, config: AuthorizerConfig): Promise<Authorizer> {
    const file = new JsonStateFile<AclBinding[]>(dataDir, "acls", 1);
    const a = new Authorizer(config, file);
    for (const b of (await file.load()) ?? []) a.bindings.set(aclKey(b), b);
    return a;
  }

  /** Whether `principal` is a super user. */
  isSuperUser(principal: string): boolean {
    return this.config.superUsers.includes(principal);
  }

  /** Decides one operation on one resource. */
  authorize(
    subject: AuthorizationSubject,
    operation: AclOperation,
    resourceType: ResourceType,
    resourceName: string,
  ): boolean {
    if (this.isSuperUser(subject.principal)) return true;
    const d = this.decide(subject, operation, resourceType, resourceName, EVERY_ALLOW);
    if (d === "no-acl") return this.config.allowEveryoneIfNoAclFound === true;
    return d === "allow";
  }

  /**
   * Whether an explicit ALLOW that `counts` covers the operation and no DENY does. Unlike
   * {@link authorize}, a resource without ACLs is refused whatever `allowEveryoneIfNoAclFound`
   * says: this is the test for a grant across a tenant boundary, which only an ACL can open.
   */
  grants(
    subject: AuthorizationSubject,
    operation: AclOperation,
    resourceType: ResourceType,
    resourceName: string,
    counts: (allow: AclBinding) => boolean,
  ): boolean {
    if (this.isSuperUser(subject.principal)) return true;
    return this.decide(subject, operation, resourceType, resourceName, counts) === "allow";
  }

  /** StandardAuthorizer's decision, with only the ALLOWs that `counts` accepts taken into account. */
  private decide(
    subject: AuthorizationSubject,
    operation: AclOperation,
    resourceType: ResourceType,
    resourceName: string,
    counts: (allow: AclBinding) => boolean,
  ): "allow" | "deny" | "no-acl" {
    const host = hostOf(subject.host);
    let anyAclOnResource = false;
    let allowed = false;
    const implying = IMPLIED_BY.get(operation) ?? [];
    for (const acl of this.bindings.values()) {
      if (!patternMatchesResource(acl, resourceType, resourceName)) continue;
      anyAclOnResource = true;
      if (!principalMatches(acl, subject.principal) || !hostMatches(acl, host)) continue;
      const opMatches = acl.operation === operation || acl.operation === AclOperation.ALL;
      if (acl.permissionType === AclPermissionType.DENY) {
        // Implication widens ALLOWs only: a DENY on READ does not deny DESCRIBE.
        if (opMatches) return "deny";
      } else if ((opMatches || implying.includes(acl.operation)) && counts(acl)) {
        allowed = true;
      }
    }
    if (!anyAclOnResource) return "no-acl";
    return allowed ? "allow" : "deny";
  }

  /** Whether an explicit DENY ACL covers the operation for the subject (super users: never). */
  denies(
    subject: AuthorizationSubject,
    operation: AclOperation,
    resourceType: ResourceType,
    resourceName: string,
  ): boolean {
    if (this.isSuperUser(subject.principal)) return false;
    const host = hostOf(subject.host);
    for (const acl of this.bindings.values()) {
      if (
        acl.permissionType === AclPermissionType.DENY &&
        (acl.operation === operation || acl.operation === AclOperation.ALL) &&
        patternMatchesResource(acl, resourceType, resourceName) &&
        principalMatches(acl, subject.principal) &&
        hostMatches(acl, host)
      ) {
        return true;
      }
    }
    return false;
  }

  /**
   * Kafka's `authorizeByResourceType` (KIP-679): whether some resource of the type could be allowed
   * for the operation, e.g. IDEMPOTENT_WRITE follows from WRITE on any topic. A DENY removes only
   * what it covers: a literal `*` deny or a deny whose prefix covers an allow's name.
   */
  authorizeAny(
    subject: AuthorizationSubject,
    operation: AclOperation,
    resourceType: ResourceType,
  ): boolean {
    if (this.isSuperUser(subject.principal)) return true;
    const host = hostOf(subject.host);
    const mine = [...this.bindings.values()].filter(
      (b) =>
        b.resourceType === resourceType &&
        principalMatches(b, subject.principal) &&
        hostMatches(b, host) &&
        (b.operation === operation || b.operation === AclOperation.ALL),
    );
    const denies = mine.filter((b) => b.permissionType === AclPermissionType.DENY);
    return mine.some(
      (allow) =>
        allow.permissionType === AclPermissionType.ALLOW &&
        !denies.some(
          (d) =>
            (d.patternType === PatternType.LITERAL && d.resourceName === "*") ||
            (d.patternType === PatternType.PREFIXED &&
              allow.resourceName.startsWith(d.resourceName)) ||
            (d.patternType === allow.patternType && d.resourceName === allow.resourceName),
        ),
    );
  }

  /** Bindings matching a filter, in a stable order. */
  describe(filter: AclBindingFilter): AclBinding[] {
    return [...this.bindings.values()].filter((b) => filterMatches(filter, b));
  }

  /** All bindings. */
  all(): AclBinding[] {
    return [...this.bindings.values()];
  }

  /** Adds bindings (existing ones are kept as they are); resolves when durable. */
  async create(bindings: readonly AclBinding[]): Promise<void> {
    let changed = false;
    for (const b of bindings) {
      const k = aclKey(b);
      if (!this.bindings.has(k)) {
        this.bindings.set(k, b);
        changed = true;
      }
    }
    if (changed) await this.persist();
  }

  /** Removes and returns the bindings matching each filter (one list per filter). */
  async delete(filters: readonly AclBindingFilter[]): Promise<AclBinding[][]> {
    const results = filters.map((f) => this.describe(f));
    let changed = false;
    for (const list of results) {
      for (const b of list) changed = this.bindings.delete(aclKey(b)) || changed;
    }
    if (changed) await this.persist();
    return results;
  }

  private persist(): Promise<void> {
    return this.stateFile.save(this.all());
  }
}
