import { TerraformStack } from "cdktf";
import type { Construct } from "constructs";
import { CleanupPolicy, StreamingCluster } from "sluice";
import { AwsTarget } from "sluice/aws";

/** Settings of the AWS example app. */
export interface AwsStackProps {
  readonly region?: string;
  readonly clientCidrs?: readonly string[];
}

/** One bundled broker on EC2 with two topics and a tenant. */
export class AwsStack extends TerraformStack {
  /** The cluster. */
  readonly cluster: StreamingCluster;

  constructor(scope: Construct, id: string, props: AwsStackProps = {}) {
    super(scope, id);
    const target = new AwsTarget(this, "aws", {
      region: props.region ?? "eu-west-1",
      clientCidrs: props.clientCidrs,
      tags: { "sluice:app": id },
    });
    const cluster = new StreamingCluster(this, "cluster", {
      target,
      clusterName: "sluice-aws",
      brokerCpus: 2,
      brokerMemoryMiB: 4096,
      storageGiB: 100,
    });
    const orders = cluster.addTopic("orders", { partitions: 6, retentionHours: 72 });
    const billing = cluster.addTenant("billing", {
      produceBytesPerSecond: 5 * 1024 * 1024,
      storageGiB: 20,
      maxTopics: 20,
    });
    billing.addTopic("payments", { partitions: 3, cleanupPolicy: CleanupPolicy.COMPACT });
    billing.grantProduce(orders);
    this.cluster = cluster;
  }
}
