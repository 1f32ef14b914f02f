/**
 * The desired-state manifest shared by the constructs, `sluice apply` and the broker: its zod schema, parsing, planning and applying.
 *
 * @module sluice/manifest
 */
// The desired-state manifest: schema, parsing, canonical form and helpers. Re-exports only.

export * from "./apply-manifest";
export * from "./canonical";
export * from "./cluster-admin";
export * from "./cluster-state";
export * from "./effective-acls";
export * from "./execute-plan";
export * from "./format-plan";
export * from "./json-schema";
export * from "./manifest-error";
export * from "./parse-manifest";
export * from "./plan";
export * from "./reconcile";
export * from "./resolve-credentials";
export * from "./schema";
export * from "./tenant-config";
export * from "./topic-configs";
