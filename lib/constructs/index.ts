// The construct model: re-exports only.
export * from "./broker";
export * from "./broker-network";
export * from "./broker-placement";
export * from "./checks/policy-checks";
export * from "./checks/policy-suppressions";
export * from "./cleanup-policy";
export * from "./client-authentication";
export * from "./cluster-target";
export * from "./engine";
export * from "./removal-policy";
export * from "./sasl-mechanism";
export * from "./sluice-lock";
export * from "./sluice-validation-error";
export * from "./storage-volume";
export * from "./streaming-cluster";
export * from "./tenant";
export * from "./topic";
