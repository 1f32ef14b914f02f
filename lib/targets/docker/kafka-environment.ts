import * as crypto from "node:crypto";
import type { Broker } from "../../constructs/broker";
import type { StreamingCluster } from "../../constructs/streaming-cluster";
import { BROKER_CLIENT_PORT } from "../../image/dockerfile";

/** Port of the KRaft controller listener (on the cluster's network only, never published). */
export const KAFKA_CONTROLLER_PORT = 9093;
/** Port of the listener brokers replicate over (on the cluster's network only, never published). */
export const KAFKA_INTERNAL_PORT = 9094;
/** Where the official `apache/kafka` image (and the local one) keeps its data. */
export const KAFKA_DATA_DIR = "/var/lib/kafka/data";
/**
 * What Apache Kafka's image writes at start (its configuration, generated from the `KAFKA_*`
 * variables, and its log directory): tmpfs mounts, so the root filesystem can be read-only.
 */
export const KAFKA_WRITABLE_DIRS: readonly string[] = ["/opt/kafka/config", "/opt/kafka/logs"];
/** The user the official `apache/kafka` image runs as (`appuser`), and the local one. */
export const KAFKA_IMAGE_UID = 1000;
/** SASL mechanism of the administrator on Apache Kafka (defined in the brokers' JAAS settings). */
export const KAFKA_ADMIN_SASL_MECHANISM = "PLAIN";

/** The administrator of a SASL cluster, as the brokers need it. */
export interface KafkaAdmin {
  readonly username: string;
  /** The password (a Terraform expression). */
  readonly password: string;
}

/** Turns a Kafka property name into the `KAFKA_*` variable the `apache/kafka` image reads. */
export function kafkaEnvName(property: string): string {
  // The image's conversion, reversed: `_` → `__`, `-` → `___`, `.` → `_`, upper case.
  return `KAFKA_${property.replace(/_/g, "__").replace(/-/g, "___").replace(/\./g, "_").toUpperCase()}`;
}

/** A JAAS entry of a login module with options; values must not contain `"` or `\`. */
function jaas(module: string, options: Record<string, string>): string {
  const parts = Object.entries(options).map(([k, v]) => `${k}="${v}"`);
  return [`${module} required`, ...parts].join(" ").concat(";");
}

const PLAIN_LOGIN = "org.apache.kafka.common.security.plain.PlainLoginModule";
const SCRAM_LOGIN = "org.apache.kafka.common.security.scram.ScramLoginModule";

/**
 * The KRaft settings of one Apache Kafka broker in combined mode (broker and controller), as the
 * `KAFKA_*` variables of the official `apache/kafka` image, so the same container runs on it or on
 * the local image built from Maven Central.
 *
 * Three listeners: CLIENT (9092, published on the host), INTERNAL (replication) and CONTROLLER
 * (KRaft), the last two on the cluster's network only. With SASL all three authenticate: tenants with
 * SCRAM on CLIENT (credentials created by `sluice apply`, stored in the cluster metadata, so adding
 * one changes no broker); the administrator — also the identity brokers and controllers use between
 * themselves — with PLAIN, defined here, because SCRAM credentials can only be created on a running
 * cluster. ACLs are enforced by Kafka's StandardAuthorizer with the administrator as the only super user.
 */
export function kafkaEnvironment(
  cluster: StreamingCluster,
  broker: Broker,
  admin: KafkaAdmin | undefined,
): string[] {
  const host = (b: Broker) => `${cluster.clusterName}-broker-${b.nodeId}`;
  const voters = cluster.brokers
    .map((b) => `${b.nodeId}@${host(b)}:${KAFKA_CONTROLLER_PORT}`)
    .join(",");
  const internalRf = Math.min(3, cluster.brokerCount);
  // KRaft needs a 16-byte cluster id (base64url, 22 chars); derive it from the name so it is stable.
  const clusterId = crypto
    .createHash("sha256")
    .update(cluster.clusterName)
    .digest()
    .subarray(0, 16)
    .toString("base64url");
  const protocol = admin === undefined ? "PLAINTEXT" : "SASL_PLAINTEXT";
  const heapMiB = Math.floor(cluster.brokerMemoryMiB * 0.6);
  const properties: Record<string, string> = {
    "node.id": String(broker.nodeId),
    "process.roles": "broker,controller",
    listeners: `CLIENT://:${BROKER_CLIENT_PORT},CONTROLLER://:${KAFKA_CONTROLLER_PORT},INTERNAL://:${KAFKA_INTERNAL_PORT}`,
    "advertised.listeners": `CLIENT://${cluster.advertisedHost}:${broker.hostPort},INTERNAL://${host(broker)}:${KAFKA_INTERNAL_PORT}`,
    "listener.security.protocol.map": `CLIENT:${protocol},CONTROLLER:${protocol},INTERNAL:${protocol}`,
    "inter.broker.listener.name": "INTERNAL",
    "controller.listener.names": "CONTROLLER",
    "controller.quorum.voters": voters,
    "log.dirs": KAFKA_DATA_DIR,
    "auto.create.topics.enable": "false",
    "default.replication.factor": String(internalRf),
    "offsets.topic.replication.factor": String(internalRf),
    "transaction.state.log.replication.factor": String(internalRf),
    "transaction.state.log.min.isr": String(Math.min(2, internalRf)),
    "share.coordinator.state.topic.replication.factor": String(internalRf),
    "share.coordinator.state.topic.min.isr": String(Math.min(2, internalRf)),
  };
  if (admin !== undefined) {
    const self = { username: admin.username, password: admin.password };
    const users = { [`user_${admin.username}`]: admin.password };
    Object.assign(properties, {
      // The broker keeps SCRAM credentials only for mechanisms enabled at the top level, so they are
      // enabled there; replication and the quorum then narrow it to PLAIN.
      "sasl.enabled.mechanisms": "SCRAM-SHA-512,SCRAM-SHA-256,PLAIN",
      "listener.name.internal.sasl.enabled.mechanisms": "PLAIN",
      "listener.name.controller.sasl.enabled.mechanisms": "PLAIN",
      "sasl.mechanism.inter.broker.protocol": "PLAIN",
      "sasl.mechanism.controller.protocol": "PLAIN",
      // PLAIN on CLIENT knows only the administrator: tenants cannot use it.
      "listener.name.client.plain.sasl.jaas.config": jaas(PLAIN_LOGIN, users),
      "listener.name.client.scram-sha-512.sasl.jaas.config": jaas(SCRAM_LOGIN, {}),
      "listener.name.client.scram-sha-256.sasl.jaas.config": jaas(SCRAM_LOGIN, {}),
      // Between brokers and controllers: the same entry serves as server and as client.
      "listener.name.internal.plain.sasl.jaas.config": jaas(PLAIN_LOGIN, { ...self, ...users }),
      "listener.name.controller.plain.sasl.jaas.config": jaas(PLAIN_LOGIN, { ...self, ...users }),
      "authorizer.class.name": "org.apache.kafka.metadata.authorizer.StandardAuthorizer",
      "super.users": `User:${admin.username}`,
      "allow.everyone.if.no.acl.found": "false",
    });
  }
  return [
    `CLUSTER_ID=${clusterId}`,
    `KAFKA_HEAP_OPTS=-Xmx${heapMiB}m -Xms${heapMiB}m`,
    ...Object.entries(properties).map(([name, value]) => `${kafkaEnvName(name)}=${value}`),
  ];
}
