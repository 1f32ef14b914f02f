/**
 * When an ACL opens a tenant's namespace to a principal of another tenant (or to anyone else): one
 * rule, shared by the bundled broker's authorizer (which enforces it) and the manifest (which refuses
 * ACLs the two engines would honour differently). An ACL reaches into a tenant's namespace only if it
 * is scoped within it: a literal name, or a prefix at least as long as the tenant's (and so extending
 * it). A literal `*` or a shorter prefix is not, though Apache Kafka would honour it.
 */

/** An ACL's resource pattern, as either side spells it. */
export interface AclPattern {
  /** PREFIXED (true) or LITERAL (false). */
  readonly prefixed: boolean;
  /** The name, the prefix, or `*`. */
  readonly resourceName: string;
}

/**
 * Whether an ACL that matches a resource owned under `ownerPrefix` is scoped within that namespace
 * (`""` = a resource no tenant owns, where every ACL is).
 */
export function scopedWithin(acl: AclPattern, ownerPrefix: string): boolean {
  if (ownerPrefix === "") return true;
  if (acl.prefixed) return acl.resourceName.length >= ownerPrefix.length;
  return acl.resourceName !== "*";
}

/**
 * Whether an ACL matches some of the resources under `ownerPrefix` without being scoped within the
 * namespace: Kafka would open them with it, the Sluice broker would not.
 */
export function reachesUnscoped(acl: AclPattern, ownerPrefix: string): boolean {
  const matchesSome = acl.prefixed
    ? ownerPrefix.startsWith(acl.resourceName) || acl.resourceName.startsWith(ownerPrefix)
    : acl.resourceName === "*" || acl.resourceName.startsWith(ownerPrefix);
  return matchesSome && !scopedWithin(acl, ownerPrefix);
}
