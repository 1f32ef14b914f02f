// Public API of Sluice: re-exports only.
export * from "./version";
