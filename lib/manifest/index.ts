// The desired-state manifest: schema, parsing, canonical form and helpers. Re-exports only.
export * from "./canonical";
export * from "./manifest-error";
export * from "./parse-manifest";
export * from "./schema";
export * from "./topic-configs";
