import type { Broker } from "../../constructs/broker";
import type { StreamingCluster } from "../../constructs/streaming-cluster";
import {
  KAFKA_CONTROLLER_PORT,
  type KafkaAdmin,
  kafkaClusterId,
  kafkaHeapMiB,
  kafkaServerProperties,
} from "../kafka-server-properties";

/** Where the official `apache/kafka` image (and the local one) keeps its data. */
export const KAFKA_DATA_DIR = "/var/lib/kafka/data";
/**
 * What Apache Kafka's image writes at start (its configuration, generated from the `KAFKA_*`
 * variables, and its log directory): tmpfs mounts, so the root filesystem can be read-only.
 */
export const KAFKA_WRITABLE_DIRS: readonly string[] = ["/opt/kafka/config", "/opt/kafka/logs"];
/** The user the official `apache/kafka` image runs as (`appuser`), and the local one. */
export const KAFKA_IMAGE_UID = 1000;

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
 * CLIENT is published on the host; INTERNAL and CONTROLLER stay on the cluster's network.
 */
export function kafkaEnvironment(
  cluster: StreamingCluster,
  broker: Broker,
  admin: KafkaAdmin | undefined,
): string[] {
  const host = (b: Broker) => `${cluster.clusterName}-broker-${b.nodeId}`;
  const properties = kafkaServerProperties(cluster, {
    nodeId: broker.nodeId,
    roles: "broker,controller",
    voters: cluster.brokers.map((b) => `${b.nodeId}@${host(b)}:${KAFKA_CONTROLLER_PORT}`),
    advertisedClient: `${cluster.advertisedHost}:${broker.hostPort}`,
    internalHost: host(broker),
    dataDir: KAFKA_DATA_DIR,
    admin,
  });
  const heapMiB = kafkaHeapMiB(cluster.brokerMemoryMiB);
  return [
    `CLUSTER_ID=${kafkaClusterId(cluster.clusterName)}`,
    `KAFKA_HEAP_OPTS=-Xmx${heapMiB}m -Xms${heapMiB}m`,
    ...Object.entries(properties).map(([name, value]) => `${kafkaEnvName(name)}=${value}`),
  ];
}
