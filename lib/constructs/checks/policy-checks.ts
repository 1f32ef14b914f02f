import { Annotations, type IAspect } from "cdktf";
import type { IConstruct } from "constructs";
import { RemovalPolicy } from "../removal-policy";
import { SaslMechanism } from "../sasl-mechanism";
import { StorageVolume } from "../storage-volume";
import { StreamingCluster } from "../streaming-cluster";
import { Tenant } from "../tenant";
import { PolicySuppressions } from "./policy-suppressions";

/** Rule ids of {@link PolicyChecks}. */
export enum PolicyRule {
  /** Client ports published on every interface: anyone on the network reaches the brokers. */
  PUBLIC_LISTENER = "Sluice.PublicListener",
  /** PLAIN sends passwords in clear text unless the listener uses TLS. */
  PLAIN_WITHOUT_TLS = "Sluice.PlainWithoutTls",
  /** A tenant without produce, fetch or storage limits can starve the other tenants. */
  UNBOUNDED_TENANT = "Sluice.UnboundedTenant",
  /** The volume (and its data) is deleted with the stack. */
  DATA_DESTROYED_WITH_STACK = "Sluice.DataDestroyedWithStack",
}

/**
 * Security and safety findings that are legitimate choices in some deployments, so they warn (as
 * annotations, shown by `cdktf synth`) rather than fail. Each can be suppressed with a reason:
 * `PolicySuppressions.of(construct).add(PolicyRule.PUBLIC_LISTENER, "only reachable from the VPN")`.
 * Every {@link StreamingCluster} applies it to itself.
 */
export class PolicyChecks implements IAspect {
  visit(node: IConstruct): void {
    if (node instanceof StreamingCluster) this.checkCluster(node);
    else if (node instanceof Tenant) this.checkTenant(node);
    else if (node instanceof StorageVolume) this.checkVolume(node);
  }

  private warn(node: IConstruct, rule: PolicyRule, message: string): void {
    if (PolicySuppressions.of(node).isSuppressed(rule)) return;
    Annotations.of(node).addWarning(
      `[${rule}] ${message} (suppress with PolicySuppressions.of(construct).add("${rule}", reason))`,
    );
  }

  private checkCluster(cluster: StreamingCluster): void {
    if (cluster.publishAddress === "0.0.0.0" || cluster.publishAddress === "::") {
      this.warn(
        cluster,
        PolicyRule.PUBLIC_LISTENER,
        `publishAddress ${cluster.publishAddress} exposes the brokers' PLAINTEXT listener to every network the host is on`,
      );
    }
  }

  private checkTenant(tenant: Tenant): void {
    if (tenant.saslMechanism === SaslMechanism.PLAIN) {
      this.warn(
        tenant,
        PolicyRule.PLAIN_WITHOUT_TLS,
        `tenant ${tenant.tenantName} authenticates with PLAIN over a PLAINTEXT listener: passwords cross the network in clear text; use SCRAM-SHA-512`,
      );
    }
    const q = tenant.quotas;
    if (
      tenant.cluster.tenants.length > 1 &&
      q.produceBytesPerSecond === undefined &&
      q.consumeBytesPerSecond === undefined &&
      q.storageGiB === undefined
    ) {
      this.warn(
        tenant,
        PolicyRule.UNBOUNDED_TENANT,
        `tenant ${tenant.tenantName} shares the cluster with other tenants but has no produceBytesPerSecond, consumeBytesPerSecond or storageGiB limit`,
      );
    }
  }

  private checkVolume(volume: StorageVolume): void {
    if (volume.removalPolicy === RemovalPolicy.DESTROY) {
      this.warn(
        volume,
        PolicyRule.DATA_DESTROYED_WITH_STACK,
        `volume ${volume.volumeName} is deleted by \`cdktf destroy\` (removalPolicy DESTROY)`,
      );
    }
  }
}
