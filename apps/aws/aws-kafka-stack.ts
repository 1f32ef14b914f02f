import { TerraformStack } from "cdktf";
import type { Construct } from "constructs";
import { Engine, StreamingCluster } from "sluice";
import { AwsTarget } from "sluice/aws";

/** The Apache Kafka release the app deploys unless told otherwise (as apps/kafka-cluster). */
export const AWS_KAFKA_VERSION = "4.3.1";

/** Settings of the 3-AZ Apache Kafka app. */
export interface AwsKafkaStackProps {
  /** Path of the Kafka distribution (`kafka_2.13-<version>.tgz`, or a directory with `libs/`). */
  readonly kafkaDistribution: string;
  readonly kafkaVersion?: string;
  readonly region?: string;
  readonly clientCidrs?: readonly string[];
}

/**
 * Apache Kafka across three availability zones: three brokers on `m7i.xlarge`, one per zone, each
 * also a KRaft controller, `broker.rack` = its zone ID; topics replicated three times with
 * `min.insync.replicas` 2, so a zone can go without losing an acknowledged write or the quorum;
 * SCRAM-SHA-512 tenants whose passwords live in Secrets Manager.
 */
export class AwsKafkaStack extends TerraformStack {
  /** The cluster. */
  readonly cluster: StreamingCluster;

  constructor(scope: Construct, id: string, props: AwsKafkaStackProps) {
    super(scope, id);
    const target = new AwsTarget(this, "aws", {
      region: props.region ?? "eu-west-1",
      clientCidrs: props.clientCidrs,
      kafkaDistribution: props.kafkaDistribution,
      tags: { "sluice:app": id },
    });
    const cluster = new StreamingCluster(this, "cluster", {
      target,
      clusterName: "sluice-kafka",
      engine: Engine.apacheKafka({ version: props.kafkaVersion ?? AWS_KAFKA_VERSION }),
      brokers: 3,
      brokerCpus: 4,
      brokerMemoryMiB: 8192,
      storageGiB: 500,
    });
    const orders = cluster.addTopic("orders", { partitions: 12, retentionHours: 72 });
    const billing = cluster.addTenant("billing", {
      produceBytesPerSecond: 10 * 1024 * 1024,
      storageGiB: 100,
    });
    billing.addTopic("payments", { partitions: 6 });
    billing.grantProduce(orders);
    const analytics = cluster.addTenant("analytics", { consumeBytesPerSecond: 20 * 1024 * 1024 });
    analytics.grantConsume(orders);
    this.cluster = cluster;
  }
}
