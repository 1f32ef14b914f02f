import type { Broker } from "../../constructs/broker";
import { EngineKind } from "../../constructs/engine";
import { SluiceValidationError } from "../../constructs/sluice-validation-error";
import type { StreamingCluster } from "../../constructs/streaming-cluster";
import type { DockerHost } from "./docker-host";

/** Host ports one broker publishes. */
export interface DockerBrokerPorts {
  /** Clients. */
  readonly client: number;
  /** Replication from the other brokers (only when the cluster spans hosts). */
  readonly replication?: number;
  /** The KRaft controller quorum (only when the cluster spans hosts). */
  readonly controller?: number;
}

/** One broker on its Docker host: what it advertises and which host ports it publishes. */
export interface DockerBrokerPlacement {
  /** The broker. */
  readonly broker: Broker;
  /** The host it runs on. */
  readonly host: DockerHost;
  /** Host name or IP clients and the other hosts reach the broker's ports at. */
  readonly address: string;
  /** The host IP the ports are published on. */
  readonly publishAddress: string;
  /** The host ports it publishes. */
  readonly ports: DockerBrokerPorts;
  /** `broker.rack` (the host's construct id) when the cluster spans hosts, so replicas spread over them. */
  readonly rack?: string;
}

/** A cluster's brokers on Docker hosts, as {@link dockerPlacement} decides. */
export interface DockerClusterPlacement {
  /** In broker order. */
  readonly brokers: readonly DockerBrokerPlacement[];
  /** The distinct hosts, the cluster's first target first. */
  readonly hosts: readonly DockerHost[];
  /** More than one host: what crosses hosts goes through published ports and host addresses. */
  readonly spansHosts: boolean;
}

/**
 * Where each broker of a cluster placed on Docker hosts (`cluster.placement`) is reached. On one host
 * nothing changes from before: the cluster's (or the host's) address, the client port published, and
 * replication and the controller quorum on the cluster's Docker network. Across hosts every broker
 * advertises its host's `address`, and also publishes its replication and controller ports there.
 *
 * @param isDockerHost tells the targets this binding can drive (the cluster's others are refused).
 * @throws SluiceValidationError when a broker is placed on a target that is not a Docker host, a
 * cluster across hosts sets one advertisedHost or publishAddress for all, or a host has no address.
 */
export function dockerPlacement(
  cluster: StreamingCluster,
  isDockerHost: (target: unknown) => target is DockerHost,
): DockerClusterPlacement {
  const hosts: DockerHost[] = [];
  for (const { broker, target } of cluster.placement) {
    if (!isDockerHost(target)) {
      throw new SluiceValidationError(
        `${cluster.node.path}/broker-${broker.nodeId}`,
        "placement",
        target.node.path,
        `a DockerHost like the cluster's first target ${cluster.target.node.path}: one cluster does not mix kinds of target`,
      );
    }
    if (!hosts.includes(target)) hosts.push(target);
  }
  // The cluster's first target first: it runs `sluice apply` and keeps the resource ids it had.
  const first = hosts.indexOf(cluster.target as DockerHost);
  if (first > 0) hosts.unshift(...hosts.splice(first, 1));
  const spansHosts = hosts.length > 1;
  if (spansHosts) {
    for (const field of ["advertisedHost", "publishAddress"] as const) {
      const given = cluster.addressing[field];
      if (given !== undefined) {
        throw new SluiceValidationError(
          cluster.node.path,
          field,
          given,
          `unset on a cluster over several hosts: each broker uses its host's ${field === "advertisedHost" ? "address" : "publishAddress"} (set it on each DockerHost)`,
        );
      }
    }
  }
  const kafka = cluster.engine.kind === EngineKind.APACHE_KAFKA;
  const brokers = cluster.placement.map(({ broker, target }): DockerBrokerPlacement => {
    const host = target as DockerHost;
    if (spansHosts && host.address === undefined) {
      throw new SluiceValidationError(
        host.node.path,
        "address",
        undefined,
        `the host's IP address or DNS name, which clients and the other hosts reach: broker-${broker.nodeId} of ${cluster.clusterName} runs on it, and a cluster over several hosts advertises each host's address`,
      );
    }
    const address = cluster.addressing.advertisedHost ?? host.address ?? cluster.advertisedHost;
    const publishAddress =
      cluster.addressing.publishAddress ?? host.publishAddress ?? cluster.publishAddress;
    return {
      broker,
      host,
      address,
      publishAddress,
      ports:
        spansHosts && kafka
          ? {
              client: broker.hostPort,
              replication: broker.replicationHostPort,
              controller: broker.controllerHostPort,
            }
          : { client: broker.hostPort },
      rack: spansHosts ? host.node.id : undefined,
    };
  });
  return { brokers, hosts, spansHosts };
}
