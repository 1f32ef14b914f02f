import { Construct } from "constructs";
import { z } from "zod";
import { validateProps } from "./validate-props";

/** Props of {@link BrokerNetwork}. */
export interface BrokerNetworkProps {
  /**
   * Name of the network on the host.
   * @default - derived from the construct path
   */
  readonly networkName?: string;
  /**
   * Internal networks have no route outside the host and are not shared with other networks:
   * containers on one tenant's internal network cannot reach another tenant's. Ports cannot be
   * published from a container that is only on internal networks.
   * @default false
   */
  readonly internal?: boolean;
}

const networkPropsSchema = z
  .object({
    networkName: z.string().regex(/^[a-zA-Z0-9][a-zA-Z0-9_.-]{0,62}$/, {
      error:
        "must be 1-63 characters of a-z, A-Z, 0-9, '_', '.' or '-', starting with a letter or digit",
    }),
    internal: z.boolean({ error: "must be true or false" }),
  })
  // Every prop is optional; defaults are applied before validation. Built once, not per construct.
  .partial();

/** A network the brokers join. The cluster always has one (published ports); add internal ones for isolated clients. */
export class BrokerNetwork extends Construct {
  /** Name of the network on the host. */
  readonly networkName: string;
  /** Whether the network is internal. */
  readonly internal: boolean;

  constructor(scope: Construct, id: string, props: BrokerNetworkProps = {}) {
    super(scope, id);
    const networkName = props.networkName ?? defaultResourceName(this);
    validateProps(this, networkPropsSchema, { ...props, networkName });
    this.networkName = networkName;
    this.internal = props.internal ?? false;
  }
}

/** A host-unique, readable name from a construct path: `sluice-local/cluster/net` → `sluice-local-cluster-net`. */
export function defaultResourceName(scope: Construct): string {
  return scope.node.path
    .split("/")
    .filter((p) => p.length > 0)
    .join("-")
    .toLowerCase()
    .replace(/[^a-z0-9_.-]/g, "-")
    .slice(0, 63);
}
