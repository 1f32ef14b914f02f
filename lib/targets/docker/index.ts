// The Docker target: re-exports only.
export * from "./broker-command";
export * from "./docker-cluster-binding";
export * from "./docker-cpus";
export * from "./docker-host";
export * from "./generated-password";
