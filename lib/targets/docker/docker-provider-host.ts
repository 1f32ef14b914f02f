import type { DockerProvider } from "@cdktf/provider-docker/lib/provider";

/**
 * What a {@link DockerClusterBinding} needs of its Docker host: the `kreuzwerker/docker` provider
 * every resource of the cluster is created with. {@link DockerHost} is one.
 */
export interface IDockerProviderHost {
  /** The provider the cluster's images, networks, volumes and containers use. */
  readonly provider: DockerProvider;
}
