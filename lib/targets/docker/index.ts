// The Docker target: re-exports only.

// Shared by every target; exported here for compatibility.
export * from "../broker-command";
export * from "../generated-password";
export * from "./docker-cluster-binding";
export * from "./docker-cpus";
export * from "./docker-host";
