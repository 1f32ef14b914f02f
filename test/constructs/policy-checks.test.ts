import { Testing } from "cdktf";
import type { IConstruct } from "constructs";
import { describe, expect, it } from "vitest";
import { PolicyRule } from "../../lib/constructs/checks/policy-checks";
import {
  PolicySuppressionError,
  PolicySuppressions,
} from "../../lib/constructs/checks/policy-suppressions";
import { RemovalPolicy } from "../../lib/constructs/removal-policy";
import { SaslMechanism } from "../../lib/constructs/sasl-mechanism";
import { clusterFixture } from "./fixtures";

/** Warnings annotated anywhere under `root` after the aspects ran. */
function warnings(root: IConstruct): string[] {
  return root.node
    .findAll()
    .flatMap((c) =>
      c.node.metadata
        .filter((m) => m.type === "@cdktf/warn")
        .map((m) => `${c.node.path}: ${m.data}`),
    );
}

describe("PolicyChecks", () => {
  it("has no findings for the defaults", () => {
    const { stack, cluster } = clusterFixture();
    cluster.addTenant("a", { produceBytesPerSecond: 1000 });
    cluster.addTenant("b", { storageGiB: 1 });
    Testing.synth(stack);
    expect(warnings(stack)).toEqual([]);
  });

  it("warns when the client port is published on every interface", () => {
    const { stack } = clusterFixture({ publishAddress: "0.0.0.0" });
    Testing.synth(stack);
    expect(warnings(stack)).toEqual([
      `test/cluster: [${PolicyRule.PUBLIC_LISTENER}] publishAddress 0.0.0.0 exposes the brokers' PLAINTEXT listener to every network the host is on (suppress with PolicySuppressions.of(construct).add("Sluice.PublicListener", reason))`,
    ]);
  });

  it("warns about PLAIN without TLS and about tenants without limits", () => {
    const { stack, cluster } = clusterFixture();
    cluster.addTenant("a", { saslMechanism: SaslMechanism.PLAIN, produceBytesPerSecond: 1 });
    cluster.addTenant("b");
    Testing.synth(stack);
    const found = warnings(stack);
    expect(found).toHaveLength(2);
    expect(found[0]).toContain(
      `test/cluster/tenants/a: [${PolicyRule.PLAIN_WITHOUT_TLS}] tenant a authenticates with PLAIN`,
    );
    expect(found[1]).toContain(
      `test/cluster/tenants/b: [${PolicyRule.UNBOUNDED_TENANT}] tenant b shares the cluster with other tenants but has no produceBytesPerSecond, consumeBytesPerSecond or storageGiB limit`,
    );
  });

  it("warns when a volume is destroyed with the stack", () => {
    const { stack } = clusterFixture({ storageRemovalPolicy: RemovalPolicy.DESTROY });
    Testing.synth(stack);
    expect(warnings(stack)[0]).toContain(
      `test/cluster/broker-0/data: [${PolicyRule.DATA_DESTROYED_WITH_STACK}] volume test-broker-0-data is deleted by \`cdktf destroy\``,
    );
  });

  it("honours a reasoned suppression on the construct or an ancestor", () => {
    const { stack, cluster } = clusterFixture({
      publishAddress: "0.0.0.0",
      storageRemovalPolicy: RemovalPolicy.DESTROY,
    });
    PolicySuppressions.of(cluster).add(
      PolicyRule.PUBLIC_LISTENER,
      "host only reachable through the VPN",
    );
    PolicySuppressions.of(stack).add(
      PolicyRule.DATA_DESTROYED_WITH_STACK,
      "scratch cluster for CI runs",
    );
    Testing.synth(stack);
    expect(warnings(stack)).toEqual([]);
  });

  it("refuses a suppression without a reason", () => {
    const { cluster } = clusterFixture();
    expect(() => PolicySuppressions.of(cluster).add(PolicyRule.PUBLIC_LISTENER, "ok")).toThrow(
      new PolicySuppressionError(
        "test/cluster: suppressing Sluice.PublicListener needs a reason of at least 10 characters, saying why the finding is acceptable",
      ),
    );
  });
});
