// Synth-time image bundling: re-exports only.
export * from "./dockerfile";
export * from "./image-bundle";
