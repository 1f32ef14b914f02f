import { TerraformStack } from "cdktf";
import type { Construct } from "constructs";
import { Engine } from "../../lib/constructs/engine";
import { StreamingCluster } from "../../lib/constructs/streaming-cluster";
import { DockerHost } from "../../lib/targets/docker/docker-host";

/** Size of a synthetic stack. */
export interface LargeStackProps {
  readonly topics: number;
  readonly tenants: number;
  readonly lockFile?: string;
}

/**
 * A cluster with many topics and tenants: each tenant owns an equal share of the topics, and every
 * tenant consumes one shared topic (so ACLs grow with tenants × principals too).
 */
export class LargeStack extends TerraformStack {
  readonly cluster: StreamingCluster;

  constructor(scope: Construct, id: string, props: LargeStackProps) {
    super(scope, id);
    const host = new DockerHost(this, "host", { cpus: 64, memoryMiB: 262_144, storageGiB: 10_000 });
    this.cluster = new StreamingCluster(this, "cluster", {
      target: host,
      clusterName: "large",
      engine: Engine.bundled(),
      lockFile: props.lockFile,
    });
    const shared = this.cluster.addTopic("shared", { partitions: 12 });
    const perTenant = Math.max(1, Math.floor((props.topics - 1) / Math.max(1, props.tenants)));
    let made = 1;
    for (let t = 0; t < props.tenants; t++) {
      const name = `tenant-${String(t).padStart(3, "0")}`;
      const tenant = this.cluster.addTenant(name, {
        principals: [`${name}-app`, `${name}-ops`],
        produceBytesPerSecond: 1_048_576,
        consumeBytesPerSecond: 2_097_152,
        storageGiB: 10,
        cpus: 0.5,
        maxTopics: perTenant + 5,
      });
      tenant.grantConsume(shared);
      for (let i = 0; i < perTenant && made < props.topics; i++, made++) {
        tenant.addTopic(`t${String(i).padStart(4, "0")}`, {
          partitions: 1 + (i % 6),
          retentionHours: 24,
        });
      }
    }
    for (; made < props.topics; made++) {
      this.cluster.addTopic(`extra-${made}`);
    }
  }
}
