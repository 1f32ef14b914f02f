import { Construct } from "constructs";
import type { StorageVolume } from "./storage-volume";

/** Props of {@link Broker}. */
export interface BrokerProps {
  /** Kafka node id. */
  readonly nodeId: number;
  /** Port published on the host for clients. */
  readonly hostPort: number;
  /** The broker's data volume. */
  readonly volume: StorageVolume;
}

/** One broker of a {@link StreamingCluster}; created by the cluster, one per `brokers`. */
export class Broker extends Construct {
  /** Kafka node id. */
  readonly nodeId: number;
  /** Port published on the host for clients. */
  readonly hostPort: number;
  /** The broker's data volume. */
  readonly volume: StorageVolume;

  constructor(scope: Construct, id: string, props: BrokerProps) {
    super(scope, id);
    this.nodeId = props.nodeId;
    this.hostPort = props.hostPort;
    this.volume = props.volume;
  }
}
