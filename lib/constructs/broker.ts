import { Construct } from "constructs";
import type { StorageVolume } from "./storage-volume";

/** Props of {@link Broker}. */
export interface BrokerProps {
  /** Kafka node id. */
  readonly nodeId: number;
  /** Port published on the host for clients. */
  readonly hostPort: number;
  /** Port published for replication when the cluster spans several hosts. */
  readonly replicationHostPort: number;
  /** Port published for the KRaft controller when the cluster spans several hosts. */
  readonly controllerHostPort: number;
  /** The broker's data volume. */
  readonly volume: StorageVolume;
}

/** One broker of a {@link StreamingCluster}; created by the cluster, one per `brokers`. */
export class Broker extends Construct {
  /** Kafka node id. */
  readonly nodeId: number;
  /** Port published on the host for clients. */
  readonly hostPort: number;
  /** Port published for replication when the cluster spans several hosts. */
  readonly replicationHostPort: number;
  /** Port published for the KRaft controller when the cluster spans several hosts. */
  readonly controllerHostPort: number;
  /** The broker's data volume. */
  readonly volume: StorageVolume;

  constructor(scope: Construct, id: string, props: BrokerProps) {
    super(scope, id);
    this.nodeId = props.nodeId;
    this.hostPort = props.hostPort;
    this.replicationHostPort = props.replicationHostPort;
    this.controllerHostPort = props.controllerHostPort;
    this.volume = props.volume;
  }
}
