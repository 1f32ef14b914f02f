import { expect } from "vitest";
import { KafkaClusterAdmin } from "../../../lib/admin";
import {
  aclBindingKey,
  type ClusterState,
  canonicalConfigValue,
  clusterQuotaEntityKey,
  effectiveAcls,
  type Manifest,
  storedMechanism,
  toClusterQuotaEntity,
} from "../../../lib/manifest";
import { ADMIN_USER, type ApplyCluster, adminPassword } from "./apply-clusters";

/** One topic reduced to what a manifest manages. */
export interface ComparableTopic {
  readonly partitions: number;
  /** The managed config keys' values as described. */
  readonly configs: Readonly<Record<string, string | null>>;
  /** Keys the cluster reports as per-topic overrides (DYNAMIC_TOPIC_CONFIG), sorted. */
  readonly overrides: readonly string[];
}

/**
 * The part of a cluster's state a manifest describes, as plain sorted data so that two clusters
 * (and a manifest) compare with one `toEqual`.
 */
export interface ComparableState {
  readonly topics: Readonly<Record<string, ComparableTopic>>;
  /** {@link aclBindingKey}s, sorted. */
  readonly acls: readonly string[];
  /** Entity key (`user=alice,client-id=<default>`) → values. */
  readonly quotas: Readonly<Record<string, Readonly<Record<string, number>>>>;
  /** user → `MECHANISM/iterations`, sorted; without the test's own admin. */
  readonly scram: Readonly<Record<string, readonly string[]>>;
  /** The admin's credentials (created by the test set-up, not by a manifest), when it has any. */
  readonly adminScram?: readonly string[];
}

/**
 * Reads a cluster's state the way `sluice apply` does (KafkaClusterAdmin.readState over the admin
 * APIs) and reduces it: user topics only, and for each the config keys `managedKeys` names.
 */
export async function readComparableState(
  cluster: ApplyCluster,
  managedKeys: ReadonlyMap<string, readonly string[]>,
): Promise<ComparableState> {
  const admin = await KafkaClusterAdmin.connect({
    host: cluster.host,
    port: cluster.port,
    clientId: "sluice-it-apply-parity",
    timeoutMs: 30_000,
    sasl: { mechanism: "PLAIN", username: ADMIN_USER, password: adminPassword(cluster) },
  });
  try {
    return comparable(await admin.readState([]), managedKeys);
  } finally {
    admin.close();
  }
}

function comparable(
  state: ClusterState,
  managedKeys: ReadonlyMap<string, readonly string[]>,
): ComparableState {
  const topics: Record<string, ComparableTopic> = {};
  for (const t of [...state.topics.values()].sort((a, b) => cmp(a.name, b.name))) {
    // Internal topics (__consumer_offsets…) are created lazily and differently by each broker.
    if (t.internal || t.name.startsWith("__")) continue;
    const configs: Record<string, string | null> = {};
    for (const key of managedKeys.get(t.name) ?? []) {
      configs[key] = t.configs.get(key)?.value ?? null;
    }
    const overrides = [...t.configs.entries()]
      .filter(([, c]) => c.isOverride)
      .map(([k]) => k)
      .sort();
    topics[t.name] = { partitions: t.partitions, configs, overrides };
  }
  const quotas: Record<string, Record<string, number>> = {};
  for (const q of [...(state.quotas ?? [])].sort((a, b) =>
    cmp(clusterQuotaEntityKey(a.entity), clusterQuotaEntityKey(b.entity)),
  )) {
    quotas[clusterQuotaEntityKey(q.entity)] = sortedRecord(q.values);
  }
  const scram: Record<string, string[]> = {};
  const users = [...(state.scram?.entries() ?? [])].sort(([a], [b]) => cmp(a, b));
  for (const [user, creds] of users) {
    scram[user] = creds.map((c) => `${c.mechanism}/${c.iterations}`).sort();
  }
  const { [ADMIN_USER]: adminScram, ...managedScram } = scram;
  return {
    topics,
    acls: (state.acls ?? []).map(aclBindingKey).sort(),
    quotas,
    scram: managedScram,
    ...(adminScram === undefined ? {} : { adminScram }),
  };
}

/** What a cluster should hold after `sluice apply` of `m` (on a cluster that held nothing else). */
export function expectedState(m: Manifest): ComparableState {
  const topics: Record<string, ComparableTopic> = {};
  for (const t of [...m.topics].sort((a, b) => cmp(a.name, b.name))) {
    topics[t.name] = {
      partitions: t.partitions,
      configs: sortedRecord(t.configs),
      overrides: Object.keys(t.configs).sort(),
    };
  }
  const quotas: Record<string, Record<string, number>> = {};
  for (const q of m.quotas) {
    const values: Record<string, number> = {};
    for (const [k, v] of Object.entries(q.values)) if (v !== undefined) values[k] = v;
    quotas[clusterQuotaEntityKey(toClusterQuotaEntity(q.entity))] = sortedRecord(values);
  }
  const scram: Record<string, string[]> = {};
  for (const p of [...m.principals].sort((a, b) => cmp(a.name, b.name))) {
    scram[p.name] = [`${storedMechanism(p)}/${p.iterations}`];
  }
  return {
    topics,
    acls: effectiveAcls(m).map(aclBindingKey).sort(),
    quotas: sortedRecord(quotas),
    scram,
  };
}

/**
 * Asserts that Sluice's state equals Kafka's, except where they legitimately differ:
 *
 * - Topic config spelling. Kafka describes a config re-serialized from its parsed value
 *   (`016777216` → `16777216`, `0.50` → `0.5`) but keeps the order of list items
 *   (`delete,compact`); Sluice describes the value as written (trimmed: `016777216`, `0.50`) and
 *   sorts list items (`compact,delete`). Only the meaning is comparable, which is also what
 *   `sluice apply` compares ({@link canonicalConfigValue}), so values are compared in that form.
 * - SCRAM credentials of the admin: the Sluice test broker creates SHA-256 and SHA-512 at start-up
 *   (`bootstrapUsers`), the Kafka one only SHA-512 (`kafka-storage format --add-scram`, 4096
 *   iterations). That is how the two test clusters are set up, not a broker difference.
 */
export function sameUpToKnownDifferences(sluice: ComparableState, kafka: ComparableState): void {
  expect(canonicalTopics(sluice.topics)).toEqual(canonicalTopics(kafka.topics));
  expect(sluice.acls).toEqual(kafka.acls);
  expect(sluice.quotas).toEqual(kafka.quotas);
  expect(sluice.adminScram).toEqual(["SCRAM-SHA-256/8192", "SCRAM-SHA-512/8192"]);
  expect(kafka.adminScram).toEqual(["SCRAM-SHA-512/4096"]);
  expect(sluice.scram).toEqual(kafka.scram);
}

/** Topics with every config value in {@link canonicalConfigValue}'s form. */
export function canonicalTopics(
  topics: Readonly<Record<string, ComparableTopic>>,
): Record<string, ComparableTopic> {
  const out: Record<string, ComparableTopic> = {};
  for (const [name, t] of Object.entries(topics)) {
    const configs: Record<string, string | null> = {};
    for (const [k, v] of Object.entries(t.configs)) {
      configs[k] = v === null ? null : canonicalConfigValue(k, v);
    }
    out[name] = { ...t, configs };
  }
  return out;
}

/** Topic → config keys named by any of the manifests (what the comparison reads back). */
export function managedConfigKeys(...manifests: readonly Manifest[]): Map<string, string[]> {
  const out = new Map<string, Set<string>>();
  for (const m of manifests) {
    for (const t of m.topics) {
      const keys = out.get(t.name) ?? new Set<string>();
      for (const k of Object.keys(t.configs)) keys.add(k);
      out.set(t.name, keys);
    }
  }
  return new Map([...out].map(([t, keys]) => [t, [...keys].sort()]));
}

function sortedRecord<T>(r: Readonly<Record<string, T>>): Record<string, T> {
  return Object.fromEntries(Object.entries(r).sort(([a], [b]) => cmp(a, b)));
}

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
