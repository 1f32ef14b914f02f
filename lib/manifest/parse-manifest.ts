import { formatIssuePath, ManifestError, type ManifestIssue } from "./manifest-error";
import {
  type Manifest,
  type ManifestAcl,
  type ManifestTenant,
  manifestSchema,
  type QuotaEntityName,
} from "./schema";
import { reachesUnscoped } from "./tenant-scope";

/**
 * Parses and validates a manifest: JSON text or an already-parsed value.
 *
 * Checks the shape (zod) and then cross-references: unique names, tenant principals declared,
 * tenant prefixes disjoint, tenant limits consistent with the topics under their prefix, and every
 * allow ACL that reaches a tenant's resources for another principal scoped within its namespace.
 * Throws {@link ManifestError} listing every problem found, each with its path.
 *
 * @param input JSON text or a plain value.
 * @param source Optional file name for error messages.
 */
export function parseManifest(input: unknown, source?: string): Manifest {
  let value = input;
  if (typeof input === "string") {
    try {
      value = JSON.parse(input);
    } catch (e) {
      const reason = e instanceof Error ? e.message : String(e);
      throw new ManifestError([{ path: "", message: `not valid JSON: ${reason}` }], source);
    }
  }
  const result = manifestSchema.safeParse(value);
  if (!result.success) {
    const issues = result.error.issues.map((i) => ({
      path: formatIssuePath(i.path),
      message: i.message,
    }));
    throw new ManifestError(issues, source);
  }
  const issues = checkReferences(result.data);
  if (issues.length > 0) throw new ManifestError(issues, source);
  return result.data;
}

/** The outcome of {@link validateManifest}. */
export type ManifestParseResult =
  | {
      /** The manifest is valid. */
      ok: true;
      /** It, parsed, with defaults filled in. */
      manifest: Manifest;
    }
  | {
      /** The manifest is not valid. */
      ok: false;
      /** Everything wrong with it. */
      issues: readonly ManifestIssue[];
    };

/** Like {@link parseManifest} but returns the issues instead of throwing. */
export function validateManifest(input: unknown): ManifestParseResult {
  try {
    return { ok: true, manifest: parseManifest(input) };
  } catch (e) {
    if (e instanceof ManifestError) return { ok: false, issues: e.issues };
    throw e;
  }
}

/** Readable key for a quota entity name, used for duplicate detection and display. */
export function quotaEntityKey(entity: {
  user?: QuotaEntityName | undefined;
  clientId?: QuotaEntityName | undefined;
}): string {
  const part = (label: string, n: QuotaEntityName | undefined): string | undefined => {
    if (n === undefined) return undefined;
    return typeof n === "string" ? `${label}=${n}` : `${label}=<default>`;
  };
  return [part("user", entity.user), part("client-id", entity.clientId)]
    .filter((p): p is string => p !== undefined)
    .join(",");
}

function checkReferences(m: Manifest): ManifestIssue[] {
  const issues: ManifestIssue[] = [];
  const dup = (kind: string, names: readonly string[]): void => {
    const seen = new Map<string, number>();
    names.forEach((name, i) => {
      const first = seen.get(name);
      if (first !== undefined) {
        issues.push({
          path: `${kind}[${i}]`,
          message: `duplicate ${kind.replace(/s$/, "")} '${name}' (first at ${kind}[${first}])`,
        });
      } else seen.set(name, i);
    });
  };
  dup(
    "topics",
    m.topics.map((t) => t.name),
  );
  dup(
    "principals",
    m.principals.map((p) => p.name),
  );
  dup(
    "tenants",
    m.tenants.map((t) => t.name),
  );
  dup(
    "acls",
    m.acls.map(
      (a) =>
        `${a.permission} ${a.principal} ${a.operation} ${a.resourceType}:${a.patternType}:${a.resourceName} from ${a.host}`,
    ),
  );
  dup(
    "quotas",
    m.quotas.map((q) => quotaEntityKey(q.entity)),
  );

  const principals = new Set(m.principals.map((p) => p.name));
  const owner = new Map<string, string>();
  m.tenants.forEach((t, ti) => {
    t.principals.forEach((p, pi) => {
      const path = `tenants[${ti}].principals[${pi}]`;
      if (!principals.has(p)) {
        issues.push({ path, message: `principal '${p}' is not declared under 'principals'` });
      }
      const other = owner.get(p);
      if (other !== undefined && other !== t.name) {
        issues.push({ path, message: `principal '${p}' already belongs to tenant '${other}'` });
      } else owner.set(p, t.name);
    });
    m.tenants.forEach((u, ui) => {
      if (ui <= ti) return;
      const overlap = (a: string, b: string): boolean => a.startsWith(b) || b.startsWith(a);
      if (overlap(t.topicPrefix, u.topicPrefix)) {
        issues.push({
          path: `tenants[${ui}].topicPrefix`,
          message: `'${u.topicPrefix}' overlaps tenant '${t.name}' prefix '${t.topicPrefix}'; tenant prefixes must not be prefixes of each other`,
        });
      }
      if (overlap(t.groupPrefix, u.groupPrefix)) {
        issues.push({
          path: `tenants[${ui}].groupPrefix`,
          message: `'${u.groupPrefix}' overlaps tenant '${t.name}' prefix '${t.groupPrefix}'; tenant prefixes must not be prefixes of each other`,
        });
      }
    });
    const own = m.topics.filter((topic) => topic.name.startsWith(t.topicPrefix));
    const { maxTopics, maxPartitions } = t.limits;
    if (maxTopics !== undefined && own.length > maxTopics) {
      issues.push({
        path: `tenants[${ti}].limits.maxTopics`,
        message: `the manifest declares ${own.length} topics under '${t.topicPrefix}' but maxTopics is ${maxTopics}`,
      });
    }
    const partitions = own.reduce((sum, topic) => sum + topic.partitions, 0);
    if (maxPartitions !== undefined && partitions > maxPartitions) {
      issues.push({
        path: `tenants[${ti}].limits.maxPartitions`,
        message: `the manifest declares ${partitions} partitions under '${t.topicPrefix}' but maxPartitions is ${maxPartitions}`,
      });
    }
  });

  m.acls.forEach((a, i) => {
    if (a.resourceType === "cluster" && a.resourceName !== "kafka-cluster") {
      issues.push({
        path: `acls[${i}].resourceName`,
        message: `cluster ACLs use resourceName 'kafka-cluster' (got '${a.resourceName}')`,
      });
    }
    const unscoped = unscopedGrant(m, a);
    if (unscoped !== null) {
      const [tenant, prefix] = unscoped;
      const shown = a.patternType === "prefixed" ? `prefix '${a.resourceName}'` : "'*'";
      issues.push({
        path: `acls[${i}].resourceName`,
        message: `this allow ACL for ${a.principal} reaches tenant '${tenant.name}''s ${a.resourceType}s with ${shown}, which is not scoped within its namespace '${prefix}': Apache Kafka would open all of them, the Sluice broker none (a grant across a tenant boundary must name a resource, or a prefix starting with '${prefix}'). Scope it, or grant the resources one by one`,
      });
    }
  });
  return issues;
}

/** The prefix under which a tenant owns resources of an ACL's type, or null (clusters). */
function tenantPrefixFor(t: ManifestTenant, type: ManifestAcl["resourceType"]): string | null {
  if (type === "topic") return t.topicPrefix;
  if (type === "group") return t.groupPrefix;
  if (type === "transactionalId") return t.transactionalIdPrefix ?? t.topicPrefix;
  return null;
}

/**
 * The tenant (and its prefix) whose resources an allow ACL for another principal covers without being
 * scoped within the tenant's namespace (tenant-scope.ts). Both engines must agree on every grant:
 * Kafka would honour it, the Sluice broker would not, so the manifest refuses it.
 */
function unscopedGrant(m: Manifest, a: ManifestAcl): [ManifestTenant, string] | null {
  if (a.permission !== "allow") return null;
  const user = a.principal.replace(/^User:/, "");
  for (const t of m.tenants) {
    const prefix = tenantPrefixFor(t, a.resourceType);
    if (prefix === null || t.principals.includes(user)) continue;
    const pattern = { prefixed: a.patternType === "prefixed", resourceName: a.resourceName };
    if (reachesUnscoped(pattern, prefix)) return [t, prefix];
  }
  return null;
}
