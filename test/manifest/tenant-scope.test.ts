import { describe, expect, it } from "vitest";
import { reachesUnscoped, scopedWithin } from "../../lib/manifest/tenant-scope";

const literal = (resourceName: string) => ({ prefixed: false, resourceName });
const prefixed = (resourceName: string) => ({ prefixed: true, resourceName });

describe("tenant scope: when an ACL opens a tenant's namespace", () => {
  it("a literal name or a prefix extending the tenant's is scoped; `*` and shorter prefixes are not", () => {
    expect(scopedWithin(literal("billing.payments"), "billing.")).toBe(true);
    expect(scopedWithin(prefixed("billing.audit."), "billing.")).toBe(true);
    expect(scopedWithin(prefixed("billing."), "billing.")).toBe(true);
    expect(scopedWithin(literal("*"), "billing.")).toBe(false);
    expect(scopedWithin(prefixed("bill"), "billing.")).toBe(false);
    // A resource no tenant owns takes every ACL.
    expect(scopedWithin(literal("*"), "")).toBe(true);
  });

  it("reaches unscoped only what it matches: `*`, and prefixes the tenant's starts with", () => {
    expect(reachesUnscoped(literal("*"), "billing.")).toBe(true);
    expect(reachesUnscoped(prefixed("bill"), "billing.")).toBe(true);
    expect(reachesUnscoped(prefixed("billing.audit."), "billing.")).toBe(false);
    expect(reachesUnscoped(literal("billing.payments"), "billing.")).toBe(false);
    expect(reachesUnscoped(prefixed("audit"), "billing.")).toBe(false);
    expect(reachesUnscoped(literal("orders"), "billing.")).toBe(false);
  });
});
