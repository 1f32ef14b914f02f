import type { StreamingCluster } from "../../constructs/streaming-cluster";
import {
  KAFKA_CONTROLLER_PORT,
  KAFKA_INTERNAL_PORT,
  type KafkaAdmin,
  kafkaClusterId,
  kafkaHeapMiB,
  kafkaServerProperties,
} from "../kafka-server-properties";
import type { DockerBrokerPlacement, DockerClusterPlacement } from "./docker-placement";

/** Where the official `apache/kafka` image (and the local one) keeps its data. */
export const KAFKA_DATA_DIR = "/var/lib/kafka/data";
/**
 * What Apache Kafka's image writes at start (its configuration, generated from the `KAFKA_*`
 * variables, and its log directory): tmpfs mounts, so the root filesystem can be read-only.
 */
export const KAFKA_WRITABLE_DIRS: readonly string[] = ["/opt/kafka/config", "/opt/kafka/logs"];
/** The user the official `apache/kafka` image runs as (`appuser`), and the local one. */
export const KAFKA_IMAGE_UID = 1000;

/** The container's name, which is also its name on the cluster's network of one host. */
function containerHost(cluster: StreamingCluster, b: DockerBrokerPlacement): string {
  return `${cluster.clusterName}-broker-${b.broker.nodeId}`;
}

/** Where the other brokers replicate from: the cluster's network on one host, else the host's port. */
function replicationAddress(cluster: StreamingCluster, b: DockerBrokerPlacement): string {
  return b.ports.replication === undefined
    ? `${containerHost(cluster, b)}:${KAFKA_INTERNAL_PORT}`
    : `${b.address}:${b.ports.replication}`;
}

/** Where the quorum reaches a voter: the cluster's network on one host, else the host's port. */
function controllerAddress(cluster: StreamingCluster, b: DockerBrokerPlacement): string {
  return b.ports.controller === undefined
    ? `${containerHost(cluster, b)}:${KAFKA_CONTROLLER_PORT}`
    : `${b.address}:${b.ports.controller}`;
}

/** Turns a Kafka property name into the `KAFKA_*` variable the `apache/kafka` image reads. */
export function kafkaEnvName(property: string): string {
  // The image's conversion, reversed: `_` → `__`, `-` → `___`, `.` → `_`, upper case.
  return `KAFKA_${property.replace(/_/g, "__").replace(/-/g, "___").replace(/\./g, "_").toUpperCase()}`;
}

/**
 * The KRaft settings of one Apache Kafka broker on a Docker host (`kafkaServerProperties`), as the
 * `KAFKA_*` variables of the official `apache/kafka` image, so the same container runs on it or on the
 * local image built from Maven Central. Every broker is also a controller (combined mode): the
 * brokers of one host share its fate, so separate controllers would add containers, not resilience.
 * CLIENT is published on the host; INTERNAL and CONTROLLER stay on the cluster's network on one
 * host, and are published on each host's address when the brokers span several (see
 * {@link dockerPlacement}), with `broker.rack` the host so that replicas spread over the hosts.
 */
export function kafkaEnvironment(
  cluster: StreamingCluster,
  placement: DockerClusterPlacement,
  placed: DockerBrokerPlacement,
  admin: KafkaAdmin | undefined,
): string[] {
  const properties = kafkaServerProperties(cluster, {
    nodeId: placed.broker.nodeId,
    roles: "broker,controller",
    voters: placement.brokers.map((b) => `${b.broker.nodeId}@${controllerAddress(cluster, b)}`),
    advertisedClient: `${placed.address}:${placed.ports.client}`,
    internalAddress: replicationAddress(cluster, placed),
    dataDir: KAFKA_DATA_DIR,
    rack: placed.rack,
    admin,
  });
  const heapMiB = kafkaHeapMiB(cluster.brokerMemoryMiB);
  return [
    `CLUSTER_ID=${kafkaClusterId(cluster.clusterName)}`,
    `KAFKA_HEAP_OPTS=-Xmx${heapMiB}m -Xms${heapMiB}m`,
    ...Object.entries(properties).map(([name, value]) => `${kafkaEnvName(name)}=${value}`),
  ];
}
