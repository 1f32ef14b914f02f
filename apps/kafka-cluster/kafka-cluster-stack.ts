import { TerraformStack } from "cdktf";
import type { Construct } from "constructs";
import { DockerHost, Engine, StreamingCluster, type StreamingClusterProps } from "sluice";
import { integerFromEnv } from "../app-env";

/** The Apache Kafka release the app deploys unless told otherwise. */
export const DEFAULT_KAFKA_VERSION = "4.3.1";

/** The billing tenant's produce quota (Kafka enforces it per broker). */
export const BILLING_PRODUCE_BYTES_PER_SECOND = 1024 * 1024;

/** Settings of the Apache Kafka app that come from the environment. */
export interface KafkaClusterStackProps {
  /** `SLUICE_KAFKA_REPOSITORY`: image repository (the e2e suite passes its local build). */
  readonly kafkaRepository?: string;
  /** `SLUICE_KAFKA_VERSION`: Apache Kafka version, the image tag. */
  readonly kafkaVersion?: string;
  /** `SLUICE_BASE_IMAGE`: base image of the Sluice image that runs `sluice apply`. */
  readonly toolBaseImage?: string;
  /** `SLUICE_HOST_PORT`: host port of the first broker; broker `i` gets `+ i`. */
  readonly hostPort?: number;
  /** `SLUICE_LOCK_FILE`: the lock file of partition counts and volume sizes. */
  readonly lockFile?: string;
  /** `DOCKER_HOST`: the Docker Engine endpoint. */
  readonly dockerHost?: string;
  /**
   * `SLUICE_KAFKA_EXTRA_TENANT=NAME`: one more tenant `NAME` with a topic `NAME.events` (the e2e
   * suite adds it to show that a new tenant or topic changes no broker container).
   * @default - none
   */
  readonly extraTenant?: string;
}

/**
 * Three Apache Kafka brokers (KRaft, each also a controller) on the local Docker engine, each with a
 * data volume of its own; SASL_PLAINTEXT with SCRAM-SHA-512 for two tenants whose ACLs and quotas
 * `sluice apply` sets; topics replicated three times with min.insync.replicas 2.
 *
 * Combined mode (broker and controller in one process) rather than dedicated controllers: three
 * containers instead of six on one host, and with three voters the quorum still survives one lost
 * node — which is all one Docker host can offer anyway.
 */
export class KafkaClusterStack extends TerraformStack {
  /** The cluster. */
  readonly cluster: StreamingCluster;

  constructor(scope: Construct, id: string, props: KafkaClusterStackProps = {}) {
    super(scope, id);
    const host = new DockerHost(this, "host", {
      host: props.dockerHost,
      cpus: 4,
      memoryMiB: 6144,
      storageGiB: 60,
    });
    const cluster = new StreamingCluster(this, "cluster", {
      target: host,
      clusterName: "sluice-kafka",
      ...threeKafkaBrokers(props),
      hostPort: props.hostPort ?? 19092,
      lockFile: props.lockFile,
    });
    const orders = cluster.addTopic("orders", { partitions: 6, retentionHours: 72 });
    const billing = cluster.addTenant("billing", {
      // Low enough that the e2e suite can measure the throttle on a busy 2-core machine.
      produceBytesPerSecond: BILLING_PRODUCE_BYTES_PER_SECOND,
      consumeBytesPerSecond: 10 * 1024 * 1024,
    });
    billing.addTopic("payments", { partitions: 3 });
    billing.grantProduce(orders);
    const analytics = cluster.addTenant("analytics", {
      consumeBytesPerSecond: 20 * 1024 * 1024,
    });
    analytics.addTopic("reports", { partitions: 1 });
    analytics.grantConsume(orders);
    if (props.extraTenant !== undefined) {
      const extra = cluster.addTenant(props.extraTenant);
      extra.addTopic("events", { partitions: 1 });
    }
    this.cluster = cluster;
  }
}

/**
 * The Apache Kafka brokers both Kafka apps run: three KRaft brokers of 1 CPU, 1 GiB and a 10 GiB
 * volume, of `kafkaVersion` from `kafkaRepository`, with `toolBaseImage` under `sluice apply`.
 */
export function threeKafkaBrokers(
  props: Pick<KafkaClusterStackProps, "kafkaVersion" | "kafkaRepository" | "toolBaseImage">,
): Pick<
  StreamingClusterProps,
  "engine" | "brokers" | "brokerCpus" | "brokerMemoryMiB" | "storageGiB"
> {
  return {
    engine: Engine.apacheKafka({
      version: props.kafkaVersion ?? DEFAULT_KAFKA_VERSION,
      repository: props.kafkaRepository,
      toolBaseImage: props.toolBaseImage,
    }),
    brokers: 3,
    brokerCpus: 1,
    brokerMemoryMiB: 1024,
    storageGiB: 10,
  };
}

/** Reads {@link KafkaClusterStackProps} from environment variables. */
export function kafkaClusterStackPropsFromEnv(env: NodeJS.ProcessEnv): KafkaClusterStackProps {
  return {
    kafkaRepository: env["SLUICE_KAFKA_REPOSITORY"] || undefined,
    kafkaVersion: env["SLUICE_KAFKA_VERSION"] || undefined,
    toolBaseImage: env["SLUICE_BASE_IMAGE"] || undefined,
    hostPort: integerFromEnv(env, "SLUICE_HOST_PORT"),
    lockFile: env["SLUICE_LOCK_FILE"] || "sluice.lock.json",
    dockerHost: env["DOCKER_HOST"] || undefined,
    extraTenant: env["SLUICE_KAFKA_EXTRA_TENANT"] || undefined,
  };
}
