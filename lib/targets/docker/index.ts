/**
 * The Docker target alone: `import { DockerHost } from "sluice/docker"`.
 *
 * @module sluice/docker
 */
// The Docker target: re-exports only.

// Shared by every target; exported here for compatibility.
export * from "../broker-command";
export * from "../generated-password";
export * from "./docker-cluster-binding";
export * from "./docker-cpus";
export * from "./docker-host";
export * from "./docker-placement";
export * from "./docker-provider-host";
