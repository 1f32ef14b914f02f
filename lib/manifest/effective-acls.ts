import type { AclBinding } from "./cluster-state";
import type { Manifest } from "./schema";

/**
 * The ACL bindings a manifest asks for: the explicit `acls` plus, for every tenant principal,
 * `allow all` on topics, groups and transactional ids prefixed by the tenant's prefixes.
 * Deduplicated, in a stable order.
 */
export function effectiveAcls(m: Manifest): AclBinding[] {
  const out = new Map<string, AclBinding>();
  const add = (a: AclBinding): void => {
    out.set(aclBindingKey(a), a);
  };
  for (const a of m.acls) add(a);
  for (const t of m.tenants) {
    for (const name of t.principals) {
      const base = { patternType: "prefixed", principal: `User:${name}`, host: "*" } as const;
      const all = { operation: "all", permission: "allow" } as const;
      add({ ...base, ...all, resourceType: "topic", resourceName: t.topicPrefix });
      add({ ...base, ...all, resourceType: "group", resourceName: t.groupPrefix });
      add({
        ...base,
        ...all,
        resourceType: "transactionalId",
        resourceName: t.transactionalIdPrefix ?? t.topicPrefix,
      });
    }
  }
  return [...out.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([, v]) => v);
}

/** A string identifying an ACL binding (all seven fields). */
export function aclBindingKey(a: AclBinding): string {
  return [
    a.resourceType,
    a.patternType,
    a.resourceName,
    a.principal,
    a.host,
    a.operation,
    a.permission,
  ].join("|");
}

/** A readable one-line form, e.g. `allow User:alice write topic:prefixed:payments. from *`. */
export function formatAcl(a: AclBinding): string {
  return `${a.permission} ${a.principal} ${a.operation} on ${a.resourceType} ${a.patternType === "prefixed" ? `${a.resourceName}*` : a.resourceName} from ${a.host}`;
}
