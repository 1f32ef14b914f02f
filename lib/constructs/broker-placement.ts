import type { Broker } from "./broker";
import type { IClusterTarget } from "./cluster-target";
import { SluiceValidationError } from "./sluice-validation-error";

/** Where one broker of a cluster runs. */
export interface BrokerPlacement {
  /** The broker. */
  readonly broker: Broker;
  /** The target (one machine) it runs on. */
  readonly target: IClusterTarget;
}

/** What a cluster was told about where its brokers run. */
export interface PlacementInput {
  /** The cluster's construct path (errors name it). */
  readonly clusterPath: string;
  /** The hosts, in the order given (`target` alone is a list of one). */
  readonly targets: readonly IClusterTarget[];
  /** Broker `i` runs on `placement[i]`; absent: round-robin over `targets`. */
  readonly placement?: readonly IClusterTarget[];
}

/**
 * Places each broker on a target: `placement[i]` when given, else round-robin (broker `i` on
 * `targets[i % targets.length]`). A pure decision at synth, made once per cluster; what each target
 * makes of it (addresses, ports) is the target's business.
 *
 * @throws SluiceValidationError for a placement of the wrong length, a broker placed on a host that
 * is not one of the targets, a target listed twice, or a target that would hold no broker.
 */
export function placeBrokers(
  input: PlacementInput,
  brokers: readonly Broker[],
): readonly BrokerPlacement[] {
  const { clusterPath, targets, placement } = input;
  const names = targets.map((t) => t.node.path).join(", ");
  if (targets.length === 0) {
    throw new SluiceValidationError(clusterPath, "targets", [], "at least one host");
  }
  const seen = new Set<IClusterTarget>();
  for (const t of targets) {
    if (seen.has(t)) {
      throw new SluiceValidationError(
        clusterPath,
        "targets",
        targets.map((x) => x.node.path),
        `each host once; ${t.node.path} is listed twice (to run several brokers on it, use placement)`,
      );
    }
    seen.add(t);
  }
  if (placement !== undefined && placement.length !== brokers.length) {
    throw new SluiceValidationError(
      clusterPath,
      "placement",
      placement.map((t) => t.node.path),
      `one host per broker: ${brokers.length} entries for brokers 0-${brokers.length - 1} (or leave placement out to spread the brokers round-robin over ${names})`,
    );
  }
  const placed = brokers.map((broker, i) => {
    const target = placement?.[i] ?? targets[i % targets.length];
    if (target === undefined || !seen.has(target)) {
      throw new SluiceValidationError(
        `${clusterPath}/broker-${broker.nodeId}`,
        "placement",
        target?.node.path,
        `one of the cluster's targets (${names}): add the host to targets, or place broker-${broker.nodeId} on one of them`,
      );
    }
    return { broker, target };
  });
  for (const t of targets) {
    if (!placed.some((p) => p.target === t)) {
      throw new SluiceValidationError(
        clusterPath,
        "targets",
        t.node.path,
        `a host that runs at least one broker: ${t.node.path} holds none of the ${brokers.length} broker(s); remove it from targets or place a broker on it`,
      );
    }
  }
  return placed;
}
