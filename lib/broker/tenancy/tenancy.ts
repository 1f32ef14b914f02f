import { scopedWithin } from "../../manifest/tenant-scope";
import { AclOperation, PatternType, ResourceType } from "./acl-binding";
import { Authorizer } from "./authorizer";
import { ClientQuotaConfig } from "./client-quotas";
import { CredentialStore } from "./credential-store";
import { type QuotaClock, QuotaManager } from "./quota-manager";
import { DEFAULT_RATE_WINDOW, type RateWindowConfig } from "./sampled-rate";
import { ALL_SASL_MECHANISMS, type SaslMechanismName, SaslSession } from "./sasl-session";
import { type Tenant, TenantDirectory, type TenantResourceKind, tenantPrefix } from "./tenant";

/** Settings of the tenancy layer (Kafka names in brackets). */
export interface TenancyOptions {
  readonly dataDir: string;
  readonly clock: QuotaClock;
  /** Mechanisms offered on SASL listeners [sasl.enabled.mechanisms]. @default - all three */
  readonly saslMechanisms?: readonly SaslMechanismName[];
  /** [super.users], e.g. `User:admin`. @default - none */
  readonly superUsers?: readonly string[];
  /** Whether ACLs are checked [authorizer.class.name set]. @default false */
  readonly authorizationEnabled?: boolean;
  /** [allow.everyone.if.no.acl.found] @default false */
  readonly allowEveryoneIfNoAclFound?: boolean;
  /** [quota.window.num] × [quota.window.size.seconds] @default - 11 × 1 s */
  readonly quotaWindow?: RateWindowConfig;
}

/** Who is asking (the parts of the server's RequestContext tenancy needs). */
export interface TenancySubject {
  readonly principal: string;
  readonly clientHost: string;
}

function kindOf(resourceType: ResourceType): TenantResourceKind | null {
  if (resourceType === ResourceType.TOPIC) return "topic";
  if (resourceType === ResourceType.GROUP) return "group";
  if (resourceType === ResourceType.TRANSACTIONAL_ID) return "transactionalId";
  return null;
}

/**
 * Everything the broker needs for authentication, authorization, quotas and tenants, opened once per
 * broker from the data directory. The server attaches it to its services with {@link attachTenancy};
 * handlers find it with {@link tenancyOf} (null = tenancy not configured).
 */
export class Tenancy {
  readonly options: TenancyOptions;
  readonly credentials: CredentialStore;
  readonly authorizer: Authorizer;
  readonly quotaConfig: ClientQuotaConfig;
  readonly quotas: QuotaManager;
  readonly tenants: TenantDirectory;
  private readonly sessions = new Map<number, SaslSession>();
  private readonly throttles = new Map<number, number>();

  private constructor(
    options: TenancyOptions,
    parts: {
      credentials: CredentialStore;
      authorizer: Authorizer;
      quotaConfig: ClientQuotaConfig;
      tenants: TenantDirectory;
    },
  ) {
    this.options = options;
    this.credentials = parts.credentials;
    this.authorizer = parts.authorizer;
    this.quotaConfig = parts.quotaConfig;
    this.tenants = parts.tenants;
    this.quotas = new QuotaManager(
      parts.quotaConfig,
      options.clock,
      options.quotaWindow ?? DEFAULT_RATE_WINDOW,
    );
  }

  /** Opens every store under `<dataDir>/tenancy/`. */
  static async open(options: TenancyOptions): Promise<Tenancy> {
    const [credentials, authorizer, quotaConfig, tenants] = await Promise.all([
      CredentialStore.open(options.dataDir),
      Authorizer.open(options.dataDir, {
        superUsers: options.superUsers ?? [],
        allowEveryoneIfNoAclFound: options.allowEveryoneIfNoAclFound ?? false,
      }),
      ClientQuotaConfig.open(options.dataDir),
      TenantDirectory.open(options.dataDir),
    ]);
    return new Tenancy(options, { credentials, authorizer, quotaConfig, tenants });
  }

  /** Mechanisms offered in SaslHandshake. */
  get saslMechanisms(): readonly SaslMechanismName[] {
    return this.options.saslMechanisms ?? ALL_SASL_MECHANISMS;
  }

  /** The SASL state of a connection (created on first use). */
  session(connectionId: number): SaslSession {
    let s = this.sessions.get(connectionId);
    if (s === undefined) {
      s = new SaslSession(this.saslMechanisms, this.credentials);
      this.sessions.set(connectionId, s);
    }
    return s;
  }

  /** The authenticated principal of a connection, or null before (or without) SASL. */
  principalOf(connectionId: number): string | null {
    return this.sessions.get(connectionId)?.principal ?? null;
  }

  /** Authenticated connections of a tenant's principals (for the connection limit). */
  connectionsOf(tenant: Tenant): number {
    let n = 0;
    for (const s of this.sessions.values()) {
      const p = s.principal;
      if (p !== null && tenant.principals.has(p)) n++;
    }
    return n;
  }

  /** Forgets a closed connection's SASL state and pending throttle. */
  connectionClosed(connectionId: number): void {
    this.sessions.delete(connectionId);
    this.throttles.delete(connectionId);
  }

  /** Remembers that a response on the connection carries a throttle time (the longest wins). */
  noteThrottle(connectionId: number, ms: number): void {
    if (ms > 0)
      this.throttles.set(connectionId, Math.max(ms, this.throttles.get(connectionId) ?? 0));
  }

  /**
   * The throttle time to mute the connection for, once its response has been written (0 = none);
   * clears it. The connection layer mutes the channel for that long (`Connection.muteFor`).
   */
  takeThrottle(connectionId: number): number {
    const ms = this.throttles.get(connectionId) ?? 0;
    this.throttles.delete(connectionId);
    return ms;
  }

  /** KIP-679: idempotent producers need WRITE on some topic (a tenant's principals own some). */
  mayWriteSomeTopic(subject: TenancySubject): boolean {
    if (this.authorizer.isSuperUser(subject.principal)) return true;
    if (this.tenants.tenantOfPrincipal(subject.principal) !== null) return true;
    if (this.options.authorizationEnabled !== true) return true;
    return this.authorizer.authorizeAny(
      { principal: subject.principal, host: subject.clientHost },
      AclOperation.WRITE,
      ResourceType.TOPIC,
    );
  }

  /**
   * The broker's access decision: super users may do anything; a tenant's principals may do anything
   * on what their tenant owns unless an explicit DENY ACL says otherwise; across a tenant boundary
   * (a tenant's principal naming what its tenant does not own, or anyone naming a tenant's resource)
   * only an explicit ALLOW ACL scoped within the owner's namespace opens the way — a literal name,
   * or a prefix that extends the owner's prefix — never a resource without ACLs, a literal `*` or a
   * shorter prefix (so `pay.`'s ownership does not reach tenant `pay.eu.`); everything else follows
   * the ACLs (when enabled).
   */
  authorize(
    subject: TenancySubject,
    operation: AclOperation,
    resourceType: ResourceType,
    resourceName: string,
  ): boolean {
    if (this.authorizer.isSuperUser(subject.principal)) return true;
    const s = { principal: subject.principal, host: subject.clientHost };
    const kind = kindOf(resourceType);
    if (kind !== null) {
      const owner = this.tenants.ownerOf(kind, resourceName);
      // Across a boundary (as TenantDirectory.crossesBoundary, without looking the owner up twice).
      if (owner !== this.tenants.tenantOfPrincipal(subject.principal)) {
        const ownerPrefix = owner === null ? "" : tenantPrefix(owner, kind);
        return this.authorizer.grants(s, operation, resourceType, resourceName, (acl) =>
          scopedWithin(
            { prefixed: acl.patternType === PatternType.PREFIXED, resourceName: acl.resourceName },
            ownerPrefix,
          ),
        );
      }
      if (owner !== null) return !this.authorizer.denies(s, operation, resourceType, resourceName);
    }
    if (this.options.authorizationEnabled !== true) return true;
    return this.authorizer.authorize(s, operation, resourceType, resourceName);
  }
}

const attached = new WeakMap<object, Tenancy>();

/** Makes `tenancy` reachable from the broker's services object (called once by main). */
export function attachTenancy(services: object, tenancy: Tenancy): void {
  attached.set(services, tenancy);
}

/** The tenancy attached to the broker's services, or null when the broker runs without it. */
export function tenancyOf(services: object): Tenancy | null {
  return attached.get(services) ?? null;
}
