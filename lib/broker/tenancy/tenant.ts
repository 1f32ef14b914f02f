import { JsonStateFile } from "./json-state-file";

/** Limits Kafka lacks, per tenant; absent = unlimited. */
export interface TenantLimitValues {
  /** Total bytes on disk over all the tenant's partitions. */
  readonly storageBytes?: number;
  /** Number of topics. */
  readonly maxTopics?: number;
  /** Number of partitions over all the tenant's topics. */
  readonly maxPartitions?: number;
  /** Concurrent connections of all the tenant's principals. */
  readonly maxConnections?: number;
}

/**
 * A tenant: principals plus the name prefixes it owns. Structurally compatible with the manifest's
 * tenant (`lib/manifest`), whose principals are user names (`alice` = `User:alice`).
 */
export interface TenantDefinition {
  readonly name: string;
  readonly topicPrefix: string;
  readonly groupPrefix: string;
  /** @default - the topic prefix */
  readonly transactionalIdPrefix?: string;
  /** User names or full principals (`User:alice`). */
  readonly principals: readonly string[];
  readonly limits?: TenantLimitValues;
}

/** A tenant with normalized principals. */
export interface Tenant {
  readonly name: string;
  readonly topicPrefix: string;
  readonly groupPrefix: string;
  readonly transactionalIdPrefix: string;
  /** Full principals (`User:alice`). */
  readonly principals: ReadonlySet<string>;
  readonly limits: TenantLimitValues;
}

/** The kinds of named resources tenants own. */
export type TenantResourceKind = "topic" | "group" | "transactionalId";

/** The prefix under which a tenant owns resources of a kind. */
export function tenantPrefix(tenant: Tenant, kind: TenantResourceKind): string {
  if (kind === "topic") return tenant.topicPrefix;
  if (kind === "group") return tenant.groupPrefix;
  return tenant.transactionalIdPrefix;
}

/** A tenant set that contradicts itself (a principal in two tenants, duplicate names). */
export class InvalidTenantError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "InvalidTenantError";
  }
}

function normalizePrincipal(p: string): string {
  return p.includes(":") ? p : `User:${p}`;
}

/**
 * The broker's tenants: which principal acts for which tenant, and which tenant owns a topic, group or
 * transactional id (longest matching prefix, so `pay.` and `pay.eu.` can be different tenants).
 * Persisted in `<dataDir>/tenancy/tenants.json`; {@link TenantDirectory.replace} swaps the whole set.
 */
export class TenantDirectory {
  private readonly stateFile: JsonStateFile<TenantDefinition[]> | null;
  private defs: readonly TenantDefinition[] = [];
  private tenants: Tenant[] = [];
  private byPrincipal = new Map<string, Tenant>();

  private constructor(stateFile: JsonStateFile<TenantDefinition[]> | null) {
    this.stateFile = stateFile;
  }

  /** Loads the persisted tenants of `dataDir`. */
  static async open(dataDir: string): Promise<TenantDirectory> {
    const file = new JsonStateFile<TenantDefinition[]>(dataDir, "tenants", 1);
    const d = new TenantDirectory(file);
    d.install((await file.load()) ?? []);
    return d;
  }

  /** An in-memory directory (tests, or tenants given on the command line). */
  static of(defs: readonly TenantDefinition[]): TenantDirectory {
    const d = new TenantDirectory(null);
    d.install(defs);
    return d;
  }

  /** Throws {@link InvalidTenantError} when the set contradicts itself; changes nothing. */
  static check(defs: readonly TenantDefinition[]): void {
    indexTenants(defs);
  }

  /** Replaces every tenant (validated first) and persists. */
  async replace(defs: readonly TenantDefinition[]): Promise<void> {
    this.install(defs);
    await this.stateFile?.save([...defs]);
  }

  /** Every tenant. */
  all(): readonly Tenant[] {
    return this.tenants;
  }

  /** The definitions as given (principals not normalized), in the order given. */
  definitions(): readonly TenantDefinition[] {
    return this.defs;
  }

  /** The tenant a principal acts for, or null. */
  tenantOfPrincipal(principal: string): Tenant | null {
    return this.byPrincipal.get(principal) ?? null;
  }

  /** The tenant owning a named resource (longest prefix), or null. */
  ownerOf(kind: TenantResourceKind, name: string): Tenant | null {
    let best: Tenant | null = null;
    let bestLen = -1;
    for (const t of this.tenants) {
      const prefix = tenantPrefix(t, kind);
      if (name.startsWith(prefix) && prefix.length > bestLen) {
        best = t;
        bestLen = prefix.length;
      }
    }
    return best;
  }

  /**
   * Whether naming the resource crosses a tenant boundary: a tenant's principal naming something
   * its tenant does not own, or any other principal naming a tenant's resource. Isolation is the
   * default across a boundary; only an explicit grant opens it (see `Tenancy.authorize`).
   */
  crossesBoundary(principal: string, kind: TenantResourceKind, name: string): boolean {
    return this.tenantOfPrincipal(principal) !== this.ownerOf(kind, name);
  }

  private install(defs: readonly TenantDefinition[]): void {
    const { tenants, byPrincipal } = indexTenants(defs);
    this.defs = [...defs];
    this.tenants = tenants;
    this.byPrincipal = byPrincipal;
  }
}

/** Normalizes and cross-checks a tenant set (unique names and principals, non-empty prefixes). */
function indexTenants(defs: readonly TenantDefinition[]): {
  tenants: Tenant[];
  byPrincipal: Map<string, Tenant>;
} {
  const names = new Set<string>();
  const byPrincipal = new Map<string, Tenant>();
  const tenants: Tenant[] = [];
  for (const d of defs) {
    if (names.has(d.name)) throw new InvalidTenantError(`duplicate tenant ${d.name}`);
    names.add(d.name);
    if (d.topicPrefix.length === 0 || d.groupPrefix.length === 0) {
      throw new InvalidTenantError(`tenant ${d.name}: prefixes must not be empty`);
    }
    const t: Tenant = {
      name: d.name,
      topicPrefix: d.topicPrefix,
      groupPrefix: d.groupPrefix,
      transactionalIdPrefix: d.transactionalIdPrefix ?? d.topicPrefix,
      principals: new Set(d.principals.map(normalizePrincipal)),
      limits: { ...d.limits },
    };
    for (const p of t.principals) {
      const other = byPrincipal.get(p);
      if (other !== undefined) {
        throw new InvalidTenantError(`principal ${p} is in tenants ${other.name} and ${t.name}`);
      }
      byPrincipal.set(p, t);
    }
    tenants.push(t);
  }
  return { tenants, byPrincipal };
}
