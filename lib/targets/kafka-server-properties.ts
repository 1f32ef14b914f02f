import * as crypto from "node:crypto";
import { SaslMechanism } from "../constructs/sasl-mechanism";
import { formatValidationMessage } from "../constructs/sluice-validation-error";
import type { StreamingCluster } from "../constructs/streaming-cluster";
import { BROKER_CLIENT_PORT } from "../image/dockerfile";

/** Port of the KRaft controller listener (between brokers and controllers only, never for clients). */
export const KAFKA_CONTROLLER_PORT = 9093;
/** Port of the listener brokers replicate over (between brokers only, never for clients). */
export const KAFKA_INTERNAL_PORT = 9094;
/** SASL mechanism of the administrator on Apache Kafka (defined in the brokers' JAAS settings). */
export const KAFKA_ADMIN_SASL_MECHANISM = "PLAIN";

/** The administrator of a SASL cluster, as the brokers need it. */
export interface KafkaAdmin {
  readonly username: string;
  /** The password (a Terraform expression, or a placeholder the boot script replaces). */
  readonly password: string;
}

/** Where one Apache Kafka node is, and what it does. */
export interface KafkaNodeSettings {
  readonly nodeId: number;
  /** `broker,controller` (combined) or `broker`. */
  readonly roles: "broker,controller" | "broker";
  /** `id@host:port` of every KRaft controller (the quorum's voters). */
  readonly voters: readonly string[];
  /** host:port clients are told to connect to. */
  readonly advertisedClient: string;
  /** `host:port` other brokers replicate from (the INTERNAL listener as they reach it). */
  readonly internalAddress: string;
  /** `log.dirs`. */
  readonly dataDir: string;
  /** `broker.rack` (on AWS the availability-zone ID). @default - none */
  readonly rack?: string;
  /** With SASL, the administrator (also the identity brokers and controllers use between themselves). */
  readonly admin?: KafkaAdmin;
}

/** KRaft's cluster id (16 bytes, base64url): derived from the cluster's name, so it is stable. */
export function kafkaClusterId(clusterName: string): string {
  return crypto
    .createHash("sha256")
    .update(clusterName)
    .digest()
    .subarray(0, 16)
    .toString("base64url");
}

/** The JVM heap of a broker with `memoryMiB`: the rest is the page cache Kafka reads from. */
export function kafkaHeapMiB(memoryMiB: number): number {
  return Math.floor(memoryMiB * 0.6);
}

/** A JAAS entry of a login module with options; values must not contain `"` or `\`. */
function jaas(module: string, options: Record<string, string>): string {
  const parts = Object.entries(options).map(([k, v]) => `${k}="${v}"`);
  return [`${module} required`, ...parts].join(" ").concat(";");
}

const PLAIN_LOGIN = "org.apache.kafka.common.security.plain.PlainLoginModule";
const SCRAM_LOGIN = "org.apache.kafka.common.security.scram.ScramLoginModule";

/**
 * The KRaft settings of one Apache Kafka node, on any target (Docker turns them into the
 * `apache/kafka` image's `KAFKA_*` variables, AWS into `server.properties`).
 *
 * Three listeners: CLIENT (9092), INTERNAL (replication) and CONTROLLER (KRaft), the last two between
 * brokers only. With SASL all three authenticate: tenants with SCRAM on CLIENT (credentials created by
 * `sluice apply`, stored in the cluster metadata, so adding one changes no broker); the administrator
 * — also the identity brokers and controllers use between themselves — with PLAIN, defined here,
 * because SCRAM credentials can only be created on a running cluster. ACLs are enforced by Kafka's
 * StandardAuthorizer with the administrator as the only super user.
 *
 * Durability defaults follow the cluster's size: replication factor min(3, brokers) for new and
 * internal topics, and `min.insync.replicas` 2 once there are 3 replicas, so an `acks=all` write
 * survives the loss of any one broker (or availability zone).
 */
export function kafkaServerProperties(
  cluster: StreamingCluster,
  node: KafkaNodeSettings,
): Record<string, string> {
  const rf = Math.min(3, cluster.brokerCount);
  const minIsr = String(rf >= 3 ? 2 : 1);
  const protocol = node.admin === undefined ? "PLAINTEXT" : "SASL_PLAINTEXT";
  const controller = node.roles === "broker,controller";
  const listeners = [
    `CLIENT://:${BROKER_CLIENT_PORT}`,
    ...(controller ? [`CONTROLLER://:${KAFKA_CONTROLLER_PORT}`] : []),
    `INTERNAL://:${KAFKA_INTERNAL_PORT}`,
  ];
  const properties: Record<string, string> = {
    "node.id": String(node.nodeId),
    "process.roles": node.roles,
    listeners: listeners.join(","),
    "advertised.listeners": `CLIENT://${node.advertisedClient},INTERNAL://${node.internalAddress}`,
    "listener.security.protocol.map": `CLIENT:${protocol},CONTROLLER:${protocol},INTERNAL:${protocol}`,
    "inter.broker.listener.name": "INTERNAL",
    "controller.listener.names": "CONTROLLER",
    "controller.quorum.voters": node.voters.join(","),
    "log.dirs": node.dataDir,
    "auto.create.topics.enable": "false",
    "default.replication.factor": String(rf),
    "min.insync.replicas": minIsr,
    "offsets.topic.replication.factor": String(rf),
    "transaction.state.log.replication.factor": String(rf),
    "transaction.state.log.min.isr": minIsr,
    "share.coordinator.state.topic.replication.factor": String(rf),
    "share.coordinator.state.topic.min.isr": minIsr,
  };
  if (node.rack !== undefined) properties["broker.rack"] = node.rack;
  const admin = node.admin;
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
  return properties;
}

/**
 * Tenants on Apache Kafka authenticate with SCRAM: its PLAIN users live in the brokers' settings,
 * so a PLAIN tenant would restart every broker when added. One error per PLAIN tenant.
 */
export function kafkaTenantMechanismErrors(cluster: StreamingCluster): string[] {
  return cluster.tenants
    .filter((t) => t.saslMechanism === SaslMechanism.PLAIN)
    .map((t) =>
      formatValidationMessage(
        t.node.path,
        "saslMechanism",
        t.saslMechanism,
        `SCRAM-SHA-512 or SCRAM-SHA-256 with ${cluster.engine.kind}; PLAIN is for the bundled broker`,
      ),
    );
}
