import type { IConstruct } from "constructs";
import type { StreamingCluster } from "./streaming-cluster";
import type { Tenant } from "./tenant";

/** Capacity a target declares, for the synth-time quota-sum checks. Omitted = not checked. */
export interface TargetCapacity {
  /** CPUs available to Sluice on the target. */
  readonly cpus?: number;
  /** Memory available to Sluice, in MiB. */
  readonly memoryMiB?: number;
  /** Storage available to Sluice, in GiB. */
  readonly storageGiB?: number;
}

/**
 * Where a cluster runs. A target turns the model into provider resources; adding a target never
 * changes the constructs. `DockerHost` (lib/targets/docker) is the first; an AWS target would
 * implement the same interface and load `@cdktf/provider-aws` submodules only when constructed.
 */
export interface IClusterTarget extends IConstruct {
  /** The declared capacity. */
  readonly capacity: TargetCapacity;
  /**
   * Called once by the cluster's constructor, on its first target; a target that can span machines
   * reads the others from `cluster.placement`.
   */
  bindCluster(cluster: StreamingCluster): IClusterBinding;
}

/** What a target does for things added to a cluster after its construction. */
export interface IClusterBinding {
  /** Bootstrap servers as clients outside the target reach them (`host:port,…`). */
  readonly bootstrapServers: string;
  /**
   * The image reference the brokers run, when the target knows it at synth (the bundled image's tag
   * is its content hash): a change of it restarts the brokers.
   */
  readonly brokerImage?: string;
  /** Called once per tenant added to the cluster (credentials, outputs). */
  bindTenant(tenant: Tenant): void;
}
