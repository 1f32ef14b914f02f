import { createHash } from "node:crypto";
import { quotaEntityKey } from "./parse-manifest";
import type { Manifest } from "./schema";

/**
 * Returns the manifest with every collection in a stable order (topics, principals and tenants
 * by name, ACLs and quotas by their identity), so that equal desired states compare equal.
 */
export function canonicalizeManifest(m: Manifest): Manifest {
  const byName = <T extends { name: string }>(xs: readonly T[]): T[] =>
    [...xs].sort((a, b) => compare(a.name, b.name));
  return {
    ...m,
    deletions: Array.isArray(m.deletions) ? [...new Set(m.deletions)].sort() : m.deletions,
    topics: byName(m.topics),
    principals: byName(m.principals),
    tenants: byName(m.tenants).map((t) => ({ ...t, principals: [...t.principals].sort() })),
    acls: [...m.acls].sort((a, b) => compare(aclKey(a), aclKey(b))),
    quotas: [...m.quotas].sort((a, b) =>
      compare(quotaEntityKey(a.entity), quotaEntityKey(b.entity)),
    ),
  };
}

/**
 * Serializes a parsed manifest canonically: collections in a stable order, object keys sorted,
 * no whitespace. Equal desired states give byte-identical output.
 */
export function serializeManifest(m: Manifest): string {
  return stableStringify(canonicalizeManifest(m));
}

/** SHA-256 (hex) of {@link serializeManifest}: the identity of a desired state. */
export function manifestHash(m: Manifest): string {
  return createHash("sha256").update(serializeManifest(m)).digest("hex");
}

/** JSON.stringify with object keys sorted at every level; `undefined` members are dropped. */
export function stableStringify(value: unknown): string {
  if (value === null || typeof value !== "object") {
    return JSON.stringify(value) ?? "null";
  }
  if (Array.isArray(value)) {
    return `[${value.map((v) => (v === undefined ? "null" : stableStringify(v))).join(",")}]`;
  }
  const entries = Object.entries(value as Record<string, unknown>)
    .filter(([, v]) => v !== undefined)
    .sort(([a], [b]) => compare(a, b));
  return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${stableStringify(v)}`).join(",")}}`;
}

function aclKey(a: Manifest["acls"][number]): string {
  return [
    a.resourceType,
    a.patternType,
    a.resourceName,
    a.principal,
    a.host,
    a.operation,
    a.permission,
  ].join("\u0000");
}

/** Code-unit order, independent of locale. */
function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
