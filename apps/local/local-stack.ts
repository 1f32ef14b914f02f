import { TerraformStack } from "cdktf";
import type { Construct } from "constructs";
import { CleanupPolicy, DockerHost, Engine, StreamingCluster } from "sluice";
import { integerFromEnv } from "../app-env";

/** Settings of the default app that come from the environment. */
export interface LocalStackProps {
  /** `SLUICE_BASE_IMAGE`: base image of the broker image (the e2e suite builds a local one). */
  readonly baseImage?: string;
  /** `SLUICE_HOST_PORT`: host port of the broker. */
  readonly hostPort?: number;
  /** `SLUICE_ORDERS_PARTITIONS`: partitions of `orders` (the e2e suite grows it). */
  readonly ordersPartitions?: number;
  /** `SLUICE_ORDERS_RETENTION_HOURS`: retention of `orders` (the e2e suite raises it). @default 72 */
  readonly ordersRetentionHours?: number;
  /** `SLUICE_LOCK_FILE`: the lock file of partition counts and volume sizes. */
  readonly lockFile?: string;
  /** `DOCKER_HOST`: the Docker Engine endpoint. */
  readonly dockerHost?: string;
  /**
   * `SLUICE_LOCAL_TENANTS=false`: leave the two example tenants out (topics only), for brokers that do
   * not yet offer SCRAM credentials, ACLs and client quotas — `sluice apply` refuses a manifest it cannot
   * fully apply, and the deploy fails on its exit code.
   * @default true
   */
  readonly tenants?: boolean;
  /**
   * `SLUICE_LOCAL_EXTRA_TENANT=NAME`: one more tenant, `NAME`, with a topic `NAME.events` (the e2e
   * suite adds it to show that a new tenant changes no broker container).
   * @default - none
   */
  readonly extraTenant?: string;
}

/**
 * The default cluster the README deploys: one bundled broker on the local Docker engine, two
 * example topics and two tenants (billing produces orders, analytics consumes them).
 */
export class LocalStack extends TerraformStack {
  /** The cluster. */
  readonly cluster: StreamingCluster;

  constructor(scope: Construct, id: string, props: LocalStackProps = {}) {
    super(scope, id);
    const host = new DockerHost(this, "host", {
      host: props.dockerHost,
      cpus: 2,
      memoryMiB: 4096,
      storageGiB: 50,
    });
    const cluster = new StreamingCluster(this, "cluster", {
      target: host,
      clusterName: "sluice-local",
      engine: Engine.bundled({ baseImage: props.baseImage }),
      brokerCpus: 1,
      brokerMemoryMiB: 512,
      storageGiB: 10,
      hostPort: props.hostPort ?? 9092,
      lockFile: props.lockFile,
    });
    const orders = cluster.addTopic("orders", {
      partitions: props.ordersPartitions ?? 3,
      retentionHours: props.ordersRetentionHours ?? 72,
    });
    this.cluster = cluster;
    if (props.tenants === false) return;
    const billing = cluster.addTenant("billing", {
      produceBytesPerSecond: 5 * 1024 * 1024,
      consumeBytesPerSecond: 10 * 1024 * 1024,
      storageGiB: 4,
      cpus: 0.5,
      memoryMiB: 256,
      maxTopics: 20,
      maxConnections: 50,
    });
    billing.addTopic("payments", {
      partitions: 2,
      cleanupPolicy: CleanupPolicy.COMPACT,
      minInsyncReplicas: 1,
    });
    billing.grantProduce(orders);
    const analytics = cluster.addTenant("analytics", {
      consumeBytesPerSecond: 20 * 1024 * 1024,
      storageGiB: 2,
      cpus: 0.5,
      maxTopics: 10,
    });
    analytics.grantConsume(orders);
    if (props.extraTenant !== undefined) {
      const extra = cluster.addTenant(props.extraTenant, { maxTopics: 5 });
      extra.addTopic("events", { partitions: 1 });
    }
  }
}

/** Reads {@link LocalStackProps} from environment variables. */
export function localStackPropsFromEnv(env: NodeJS.ProcessEnv): LocalStackProps {
  const int = (name: string) => integerFromEnv(env, name);
  return {
    baseImage: env["SLUICE_BASE_IMAGE"] || undefined,
    hostPort: int("SLUICE_HOST_PORT"),
    ordersPartitions: int("SLUICE_ORDERS_PARTITIONS"),
    ordersRetentionHours: int("SLUICE_ORDERS_RETENTION_HOURS"),
    lockFile: env["SLUICE_LOCK_FILE"] || "sluice.lock.json",
    dockerHost: env["DOCKER_HOST"] || undefined,
    tenants: env["SLUICE_LOCAL_TENANTS"] === "false" ? false : undefined,
    extraTenant: env["SLUICE_LOCAL_EXTRA_TENANT"] || undefined,
  };
}
