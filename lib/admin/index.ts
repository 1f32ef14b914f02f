// A minimal Kafka admin client (node:net + the protocol codec) and the ClusterAdmin over it.
export * from "./admin-codes";
export * from "./admin-errors";
export * from "./kafka-admin-client";
export * from "./kafka-cluster-admin";
export * from "./kafka-connection";
export * from "./negotiate-versions";
export * from "./sasl-login";
export * from "./scram";
