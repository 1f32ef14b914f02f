import { TerraformStack } from "cdktf";
import type { Construct } from "constructs";
import { DockerHost, Engine, RemovalPolicy, StreamingCluster } from "sluice";
import { integerFromEnv } from "../app-env";
import { threeKafkaBrokers } from "../kafka-cluster/kafka-cluster-stack";

/** One Docker host of the app: its engine endpoint and the address its brokers advertise. */
export interface HostSettings {
  /** `unix://…`, `tcp://HOST:2376` (with `certPath`) or `ssh://USER@HOST`. */
  readonly endpoint: string;
  /** The IP or DNS name clients and the other hosts reach it at. */
  readonly address: string;
  /** Directory with `ca.pem`, `cert.pem` and `key.pem` for a TLS `tcp://` endpoint. */
  readonly certPath?: string;
  /** Extra `ssh` options for an `ssh://` endpoint. */
  readonly sshOptions?: readonly string[];
}

/** Settings of the multi-host app that come from the environment. */
export interface MultiHostStackProps {
  /** Three hosts (`SLUICE_HOST_H1…H3`, see {@link multiHostStackPropsFromEnv}). */
  readonly hosts: readonly HostSettings[];
  /** `SLUICE_KAFKA_REPOSITORY`: image repository (the e2e suite passes its local build). */
  readonly kafkaRepository?: string;
  /** `SLUICE_KAFKA_VERSION`: Apache Kafka version, the image tag. */
  readonly kafkaVersion?: string;
  /** `SLUICE_BASE_IMAGE`: base image of the Sluice image that runs `sluice apply`. */
  readonly toolBaseImage?: string;
  /** `SLUICE_HOST_PORT`: client port of broker 0; broker `i` gets `+ i` (replication +100, controller +200). */
  readonly hostPort?: number;
  /** `SLUICE_LOCK_FILE`: the lock file of partition counts and volume sizes. */
  readonly lockFile?: string;
  /**
   * `SLUICE_MULTI_EXTRA_TOPIC=NAME`: one more topic (the e2e suite previews it with `sluice plan`).
   * @default - none
   */
  readonly extraTopic?: string;
}

/**
 * Apache Kafka over three Docker hosts: one KRaft broker (also a controller) per host, each advertised
 * at its host's address, replication and the quorum on published ports, `broker.rack` the host, so a
 * partition's three replicas sit on three machines and the cluster survives the loss of any one.
 * Two tenants with SCRAM credentials, ACLs and quotas. Beside it, `sluice-edge`: the bundled broker on
 * the third host alone, client port `hostPort + 300`. See docs/multi-host.md.
 */
export class MultiHostStack extends TerraformStack {
  /** The Apache Kafka cluster over the three hosts. */
  readonly cluster: StreamingCluster;
  /** A bundled-broker cluster on the third host alone (a cluster placed on a chosen remote host). */
  readonly edge: StreamingCluster;

  constructor(scope: Construct, id: string, props: MultiHostStackProps) {
    super(scope, id);
    if (props.hosts.length !== 3) throw new Error(`three hosts, not ${props.hosts.length}`);
    const hosts = props.hosts.map(
      (h, i) =>
        new DockerHost(this, `h${i + 1}`, {
          host: h.endpoint,
          address: h.address,
          certPath: h.certPath,
          sshOptions: h.sshOptions,
          cpus: 2,
          memoryMiB: 2048,
          storageGiB: 20,
        }),
    );
    const cluster = new StreamingCluster(this, "cluster", {
      targets: hosts,
      clusterName: "sluice-multi",
      ...threeKafkaBrokers(props),
      // A demonstration: `cdktf destroy` removes the data too. Keep the default (RETAIN) for data
      // that must outlive the stack.
      storageRemovalPolicy: RemovalPolicy.DESTROY,
      hostPort: props.hostPort ?? 9092,
      lockFile: props.lockFile,
    });
    const orders = cluster.addTopic("orders", { partitions: 6 });
    const billing = cluster.addTenant("billing", { produceBytesPerSecond: 10 * 1024 * 1024 });
    billing.addTopic("payments", { partitions: 3 });
    billing.grantProduce(orders);
    const analytics = cluster.addTenant("analytics");
    analytics.grantConsume(orders);
    if (props.extraTopic !== undefined) cluster.addTopic(props.extraTopic, { partitions: 3 });
    this.cluster = cluster;

    // The bundled broker on a chosen remote host: advertised at that host's address.
    const edge = new StreamingCluster(this, "edge", {
      target: hosts[2] as DockerHost,
      clusterName: "sluice-edge",
      engine: Engine.bundled({ baseImage: props.toolBaseImage }),
      brokerMemoryMiB: 512,
      storageGiB: 5,
      storageRemovalPolicy: RemovalPolicy.DESTROY,
      hostPort: (props.hostPort ?? 9092) + 300,
      lockFile: props.lockFile,
    });
    edge.addTopic("readings", { partitions: 2 });
    this.edge = edge;
  }
}

/**
 * Reads {@link MultiHostStackProps} from the environment: `SLUICE_HOST_H<n>` (endpoint),
 * `SLUICE_HOST_H<n>_ADDRESS`, and optionally `SLUICE_HOST_H<n>_CERT_PATH` and
 * `SLUICE_HOST_H<n>_SSH_OPTS` (space-separated), for n = 1, 2, 3 (scripts/e2e/docker-hosts.sh writes
 * them for three engines on one machine); `SLUICE_KAFKA_REPOSITORY`, `SLUICE_KAFKA_VERSION`,
 * `SLUICE_BASE_IMAGE`, `SLUICE_HOST_PORT`, `SLUICE_LOCK_FILE`, `SLUICE_MULTI_EXTRA_TOPIC`.
 */
export function multiHostStackPropsFromEnv(env: NodeJS.ProcessEnv): MultiHostStackProps {
  const hosts = [1, 2, 3].map((n): HostSettings => {
    const endpoint = env[`SLUICE_HOST_H${n}`];
    const address = env[`SLUICE_HOST_H${n}_ADDRESS`];
    if (!endpoint || !address) {
      throw new Error(
        `SLUICE_HOST_H${n} and SLUICE_HOST_H${n}_ADDRESS must name host ${n}'s engine and address (source the env file scripts/e2e/docker-hosts.sh up prints)`,
      );
    }
    const ssh = env[`SLUICE_HOST_H${n}_SSH_OPTS`];
    return {
      endpoint,
      address,
      certPath: env[`SLUICE_HOST_H${n}_CERT_PATH`] || undefined,
      sshOptions: ssh ? ssh.split(/\s+/).filter((o) => o !== "") : undefined,
    };
  });
  return {
    hosts,
    kafkaRepository: env["SLUICE_KAFKA_REPOSITORY"] || undefined,
    kafkaVersion: env["SLUICE_KAFKA_VERSION"] || undefined,
    toolBaseImage: env["SLUICE_BASE_IMAGE"] || undefined,
    hostPort: integerFromEnv(env, "SLUICE_HOST_PORT"),
    lockFile: env["SLUICE_LOCK_FILE"] || "sluice.lock.json",
    extraTopic: env["SLUICE_MULTI_EXTRA_TOPIC"] || undefined,
  };
}
