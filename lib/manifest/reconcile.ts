import { stableStringify } from "./canonical";
import type {
  ClusterQuota,
  ClusterQuotaEntity,
  ClusterState,
  ScramMechanism,
  TenantDefinition,
} from "./cluster-state";
import { aclBindingKey, effectiveAcls, formatAcl } from "./effective-acls";
import { CHANGE_ORDER, type Change, type Plan } from "./plan";
import {
  deletionKinds,
  type Manifest,
  type ManifestPrincipal,
  type ManifestTenant,
  type QuotaEntity,
  type QuotaEntityName,
} from "./schema";

/** Topic configs whose values are comma-separated lists compared without regard to order. */
const LIST_CONFIGS: ReadonlySet<string> = new Set([
  "cleanup.policy",
  "leader.replication.throttled.replicas",
  "follower.replication.throttled.replicas",
]);

/** Options of {@link planChanges}. */
export interface PlanOptions {
  /**
   * The SASL user `sluice apply` is authenticated as. Its SCRAM credentials are never deleted, even
   * when the deletion policy allows `credentials`: that would lock the run (and the next one) out.
   * @default - none: every credential the manifest does not declare may be deleted
   */
  readonly authenticatedUser?: string;
}

/**
 * Computes what must change for the cluster (`actual`) to match the manifest (`desired`).
 *
 * Pure: no I/O, no clock. Partitions never shrink (an error), replication factors are never changed
 * (a warning), and nothing is deleted unless the manifest's deletion policy names its kind.
 * Applying the resulting changes and planning again yields an empty plan.
 */
export function planChanges(
  desired: Manifest,
  actual: ClusterState,
  options: PlanOptions = {},
): Plan {
  const changes: Change[] = [];
  const errors: string[] = [];
  const warnings: string[] = [];
  const notes: string[] = [];
  const allowed = deletionKinds(desired.deletions);

  planTenants(desired, actual, allowed.has("tenants"), changes, warnings, notes);
  planTopics(desired, actual, allowed, changes, errors, warnings, notes);
  const mayDeleteCredentials = allowed.has("credentials");
  planCredentials(desired, actual, mayDeleteCredentials, changes, errors, warnings, notes, options);
  planAcls(desired, actual, allowed.has("acls"), changes, errors, notes);
  planQuotas(desired, actual, allowed.has("quotas"), changes, errors, notes);

  const rank = (c: Change): number => CHANGE_ORDER.indexOf(c.kind);
  // Array.prototype.sort is stable, so each kind keeps the order it was planned in.
  changes.sort((a, b) => rank(a) - rank(b));
  return { changes, errors, warnings, notes };
}

/** The tenant definition the broker stores for a manifest tenant. */
export function tenantDefinition(t: ManifestTenant): TenantDefinition {
  return {
    topicPrefix: t.topicPrefix,
    groupPrefix: t.groupPrefix,
    transactionalIdPrefix: t.transactionalIdPrefix ?? t.topicPrefix,
    principals: [...t.principals].sort(),
    limits: t.limits,
  };
}

/** The SCRAM mechanism under which a principal's credential is stored (PLAIN → SCRAM-SHA-512). */
export function storedMechanism(p: ManifestPrincipal): ScramMechanism {
  return p.mechanism === "SCRAM-SHA-256" ? "SCRAM-SHA-256" : "SCRAM-SHA-512";
}

/** Key of {@link ClusterState.credentialChecks}. */
export function credentialCheckKey(user: string, mechanism: ScramMechanism): string {
  return `${user}/${mechanism}`;
}

/** A manifest quota entity in the cluster's form (`{ default: true }` → `null`). */
export function toClusterQuotaEntity(e: QuotaEntity): ClusterQuotaEntity {
  const part = (n: QuotaEntityName | undefined): string | null | undefined =>
    n === undefined ? undefined : typeof n === "string" ? n : null;
  const out: { user?: string | null; clientId?: string | null } = {};
  const user = part(e.user);
  const clientId = part(e.clientId);
  if (user !== undefined) out.user = user;
  if (clientId !== undefined) out.clientId = clientId;
  return out;
}

/** Stable identity of a cluster quota entity, e.g. `user=alice,client-id=<default>`. */
export function clusterQuotaEntityKey(e: ClusterQuotaEntity): string {
  const parts: string[] = [];
  if (e.user !== undefined) parts.push(`user=${e.user ?? "<default>"}`);
  if (e.clientId !== undefined) parts.push(`client-id=${e.clientId ?? "<default>"}`);
  return parts.join(",");
}

function planTenants(
  desired: Manifest,
  actual: ClusterState,
  mayDelete: boolean,
  changes: Change[],
  warnings: string[],
  notes: string[],
): void {
  if (actual.tenants === undefined) {
    if (desired.tenants.length > 0) {
      warnings.push(
        "the cluster does not store Sluice tenant definitions: tenant limits are not enforced there " +
          "(tenant ACLs and quotas are still applied)",
      );
    }
    return;
  }
  for (const t of desired.tenants) {
    const def = tenantDefinition(t);
    const current = actual.tenants.get(t.name);
    if (current === undefined || stableStringify(current) !== stableStringify(def)) {
      changes.push({
        kind: "putTenant",
        name: t.name,
        definition: def,
        exists: current !== undefined,
      });
    }
  }
  const wanted = new Set(desired.tenants.map((t) => t.name));
  const extra = [...actual.tenants.keys()].filter((n) => !wanted.has(n)).sort();
  if (mayDelete) for (const name of extra) changes.push({ kind: "deleteTenant", name });
  else if (extra.length > 0) {
    notes.push(`kept ${extra.length} tenant(s) not in the manifest: ${extra.join(", ")}`);
  }
}

function planTopics(
  desired: Manifest,
  actual: ClusterState,
  allowed: ReadonlySet<string>,
  changes: Change[],
  errors: string[],
  warnings: string[],
  notes: string[],
): void {
  for (const topic of desired.topics) {
    const current = actual.topics.get(topic.name);
    if (current === undefined) {
      changes.push({ kind: "createTopic", topic });
      continue;
    }
    if (topic.partitions < current.partitions) {
      errors.push(
        `topic '${topic.name}': the manifest asks for ${topic.partitions} partitions but it has ${current.partitions}; partitions can only grow (delete and recreate the topic to shrink it)`,
      );
    } else if (topic.partitions > current.partitions) {
      changes.push({
        kind: "createPartitions",
        topic: topic.name,
        from: current.partitions,
        to: topic.partitions,
      });
    }
    if (
      topic.replicationFactor !== undefined &&
      topic.replicationFactor !== current.replicationFactor
    ) {
      warnings.push(
        `topic '${topic.name}': replication factor is ${current.replicationFactor}, the manifest asks for ${topic.replicationFactor}; not changed (needs a partition reassignment)`,
      );
    }
    const set: { key: string; value: string; previous: string | null }[] = [];
    for (const key of Object.keys(topic.configs).sort()) {
      const value = topic.configs[key] ?? "";
      const previous = current.configs.get(key)?.value ?? null;
      if (previous === null || !sameConfigValue(key, previous, value)) {
        set.push({ key, value, previous });
      }
    }
    const reset: { key: string; previous: string | null }[] = [];
    const unnamed = [...current.configs.entries()]
      .filter(([key, c]) => c.isOverride && !(key in topic.configs))
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    if (allowed.has("configs")) {
      for (const [key, c] of unnamed) reset.push({ key, previous: c.value });
    } else if (unnamed.length > 0) {
      notes.push(
        `topic '${topic.name}': kept config overrides not in the manifest: ${unnamed.map(([k]) => k).join(", ")}`,
      );
    }
    if (set.length > 0 || reset.length > 0) {
      changes.push({ kind: "alterTopicConfigs", topic: topic.name, set, reset });
    }
  }
  const wanted = new Set(desired.topics.map((t) => t.name));
  const extra = [...actual.topics.values()]
    .filter((t) => !wanted.has(t.name) && !t.internal && !t.name.startsWith("__"))
    .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  if (allowed.has("topics")) {
    for (const t of extra)
      changes.push({ kind: "deleteTopic", topic: t.name, partitions: t.partitions });
  } else if (extra.length > 0) {
    notes.push(
      `kept ${extra.length} topic(s) not in the manifest (deletion policy): ${extra.map((t) => t.name).join(", ")}`,
    );
  }
}

function planCredentials(
  desired: Manifest,
  actual: ClusterState,
  mayDelete: boolean,
  changes: Change[],
  errors: string[],
  warnings: string[],
  notes: string[],
  options: PlanOptions,
): void {
  if (actual.scram === undefined) {
    const scram = desired.principals.filter((p) => p.mechanism !== "PLAIN").map((p) => p.name);
    if (scram.length > 0) {
      errors.push(
        `the cluster does not support SCRAM credential management (DescribeUserScramCredentials), needed for: ${scram.join(", ")}`,
      );
    } else if (desired.principals.length > 0) {
      warnings.push(
        "the cluster does not support SCRAM credential management: PLAIN principals must be configured on the brokers",
      );
    }
    return;
  }
  for (const p of desired.principals) {
    const mechanism = storedMechanism(p);
    const stored = actual.scram.get(p.name)?.find((c) => c.mechanism === mechanism);
    const check = actual.credentialChecks.get(credentialCheckKey(p.name, mechanism));
    const reason =
      stored === undefined
        ? "missing"
        : stored.iterations !== p.iterations
          ? "iterations changed"
          : check === false
            ? "password changed"
            : undefined;
    if (reason !== undefined) {
      changes.push({
        kind: "upsertScramCredential",
        user: p.name,
        mechanism,
        iterations: p.iterations,
        credential: p.credential,
        reason,
      });
    }
  }
  const wanted = new Set(desired.principals.map((p) => `${p.name}/${storedMechanism(p)}`));
  const extra: { user: string; mechanism: ScramMechanism }[] = [];
  for (const [user, creds] of [...actual.scram.entries()].sort(([a], [b]) => (a < b ? -1 : 1))) {
    for (const c of creds) {
      if (!wanted.has(`${user}/${c.mechanism}`)) extra.push({ user, mechanism: c.mechanism });
    }
  }
  if (mayDelete) {
    const self = options.authenticatedUser;
    for (const e of extra) {
      if (e.user !== self) changes.push({ kind: "deleteScramCredential", ...e });
    }
    const kept = extra.filter((e) => e.user === self).map((e) => e.mechanism);
    if (kept.length > 0) {
      notes.push(
        `kept the SCRAM credential(s) of ${self}, the user sluice apply is authenticated as: ${kept.join(", ")}`,
      );
    }
  } else if (extra.length > 0) {
    notes.push(
      `kept ${extra.length} SCRAM credential(s) not in the manifest: ${extra.map((e) => `${e.user} (${e.mechanism})`).join(", ")}`,
    );
  }
}

function planAcls(
  desired: Manifest,
  actual: ClusterState,
  mayDelete: boolean,
  changes: Change[],
  errors: string[],
  notes: string[],
): void {
  const wanted = effectiveAcls(desired);
  if (actual.acls === undefined) {
    if (wanted.length > 0) {
      errors.push(
        `the cluster has no authorizer (ACLs disabled) but the manifest needs ${wanted.length} ACL binding(s)`,
      );
    }
    return;
  }
  const have = new Set(actual.acls.map(aclBindingKey));
  for (const acl of wanted) {
    if (!have.has(aclBindingKey(acl))) changes.push({ kind: "createAcl", acl });
  }
  const want = new Set(wanted.map(aclBindingKey));
  const extra = actual.acls.filter((a) => !want.has(aclBindingKey(a)));
  extra.sort((a, b) => (aclBindingKey(a) < aclBindingKey(b) ? -1 : 1));
  if (mayDelete) for (const acl of extra) changes.push({ kind: "deleteAcl", acl });
  else if (extra.length > 0) {
    notes.push(
      `kept ${extra.length} ACL binding(s) not in the manifest: ${extra.map(formatAcl).join("; ")}`,
    );
  }
}

function planQuotas(
  desired: Manifest,
  actual: ClusterState,
  mayDelete: boolean,
  changes: Change[],
  errors: string[],
  notes: string[],
): void {
  if (actual.quotas === undefined) {
    if (desired.quotas.length > 0) {
      errors.push("the cluster does not support client quota management (DescribeClientQuotas)");
    }
    return;
  }
  const current = new Map<string, ClusterQuota>();
  for (const q of actual.quotas) current.set(clusterQuotaEntityKey(q.entity), q);
  const kept: string[] = [];
  const seen = new Set<string>();
  for (const q of desired.quotas) {
    const entity = toClusterQuotaEntity(q.entity);
    const key = clusterQuotaEntityKey(entity);
    seen.add(key);
    const have = current.get(key)?.values ?? {};
    const set: Record<string, number> = {};
    for (const [name, value] of Object.entries(q.values)) {
      if (value !== undefined && have[name] !== value) set[name] = value;
    }
    const extraKeys = Object.keys(have)
      .filter(
        (name) => !(name in q.values) || q.values[name as keyof typeof q.values] === undefined,
      )
      .sort();
    const remove = mayDelete ? extraKeys : [];
    if (!mayDelete) for (const k of extraKeys) kept.push(`${key} ${k}`);
    if (Object.keys(set).length > 0 || remove.length > 0) {
      changes.push({ kind: "alterQuota", entity, set, remove });
    }
  }
  for (const [key, q] of [...current.entries()].sort(([a], [b]) => (a < b ? -1 : 1))) {
    if (seen.has(key)) continue;
    const names = Object.keys(q.values).sort();
    if (names.length === 0) continue;
    if (mayDelete) changes.push({ kind: "alterQuota", entity: q.entity, set: {}, remove: names });
    else kept.push(`${key} ${names.join(",")}`);
  }
  if (kept.length > 0) {
    notes.push(`kept ${kept.length} quota value(s) not in the manifest: ${kept.join("; ")}`);
  }
}

function sameConfigValue(key: string, a: string, b: string): boolean {
  return a === b || canonicalConfigValue(key, a) === canonicalConfigValue(key, b);
}

const INTEGER = /^[+-]?\d+$/;
const DECIMAL = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;

/**
 * A topic config value in a form where equal meanings compare equal. Apache Kafka parses configs by
 * type and describes them re-serialized (`0604800000` → `604800000`, ` 2097152 ` → `2097152`,
 * `0.50` → `0.5`, `TRUE` → `true`), so the manifest's spelling and the cluster's differ: comparing
 * raw strings would rewrite such a config on every run. Without the config's type at hand, values
 * that read as an integer, a decimal or a boolean compare as such, and list configs as sets.
 */
export function canonicalConfigValue(key: string, value: string): string {
  const v = value.trim();
  if (LIST_CONFIGS.has(key)) {
    return v
      .split(",")
      .map((x) => x.trim())
      .filter((x) => x !== "")
      .sort()
      .join(",");
  }
  // BigInt keeps longs such as 9223372036854775807 exact.
  if (INTEGER.test(v)) return BigInt(v).toString();
  if (DECIMAL.test(v)) return String(Number(v));
  if (/^(true|false)$/i.test(v)) return v.toLowerCase();
  return v;
}
