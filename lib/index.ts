/**
 * The constructs, the image build and the Docker target: `import { StreamingCluster } from "sluice"`.
 *
 * @module sluice
 */
// Public API of Sluice: re-exports only. The Docker target's provider bindings are light (~140 ms);
// an AWS target would be exported from its own entry point so Docker-only users never load it.
export * from "./constructs";
export * from "./image";
export * from "./targets/docker";
export * from "./version";
