import { EbsVolume } from "@cdktf/provider-aws/lib/ebs-volume";
import { Instance } from "@cdktf/provider-aws/lib/instance";
import { S3BucketPublicAccessBlock } from "@cdktf/provider-aws/lib/s3-bucket-public-access-block";
import { VpcSecurityGroupIngressRule } from "@cdktf/provider-aws/lib/vpc-security-group-ingress-rule";
import { TerraformStack, Testing } from "cdktf";
import type { IConstruct } from "constructs";
import { describe, expect, it } from "vitest";
import {
  PolicySuppressionError,
  PolicySuppressions,
} from "../../../lib/constructs/checks/policy-suppressions";
import { StreamingCluster } from "../../../lib/constructs/streaming-cluster";
import { AwsHardeningRule } from "../../../lib/targets/aws/aws-hardening-checks";
import { AwsTarget, type AwsTargetProps } from "../../../lib/targets/aws/aws-target";

/** An app with one AWS cluster; `weaken` changes something after construction, as an escape hatch would. */
function app(
  weaken: (stack: TerraformStack) => void = () => {},
  target: Partial<AwsTargetProps> = {},
) {
  const a = Testing.app();
  const stack = new TerraformStack(a, "s");
  const aws = new AwsTarget(stack, "aws", { region: "eu-west-1", ...target });
  new StreamingCluster(stack, "cluster", { target: aws, clusterName: "events" });
  weaken(stack);
  return () => a.synth();
}

/** The one construct of a class in the stack. */
function only<T extends IConstruct>(
  stack: TerraformStack,
  kind: abstract new (...args: never[]) => T,
): T {
  const found = stack.node.findAll().filter((c): c is T => c instanceof kind);
  if (found.length !== 1) throw new Error(`expected one ${kind.name}, found ${found.length}`);
  return found[0] as T;
}

describe("AwsHardeningChecks", () => {
  it("passes the target's defaults", () => {
    expect(app()).not.toThrow();
  });

  it.each([
    [
      AwsHardeningRule.IMDSV2,
      (s: TerraformStack) =>
        only(s, Instance).addOverride("metadata_options.http_tokens", "optional"),
    ],
    [
      AwsHardeningRule.IMDSV2,
      (s: TerraformStack) =>
        only(s, Instance).addOverride("metadata_options.http_put_response_hop_limit", 2),
    ],
    [
      AwsHardeningRule.PUBLIC_IP,
      (s: TerraformStack) => only(s, Instance).addOverride("associate_public_ip_address", true),
    ],
    [
      AwsHardeningRule.SSH_KEY,
      (s: TerraformStack) => only(s, Instance).addOverride("key_name", "ops"),
    ],
    [
      AwsHardeningRule.UNENCRYPTED_VOLUME,
      (s: TerraformStack) => only(s, Instance).addOverride("root_block_device.encrypted", false),
    ],
    [
      AwsHardeningRule.UNENCRYPTED_VOLUME,
      (s: TerraformStack) => only(s, EbsVolume).addOverride("encrypted", false),
    ],
    [
      AwsHardeningRule.PUBLIC_BUCKET,
      (s: TerraformStack) =>
        only(s, S3BucketPublicAccessBlock).addOverride("restrict_public_buckets", false),
    ],
  ])("fails synth when %s is weakened through an escape hatch", (rule, weaken) => {
    expect(app(weaken)).toThrow(`[${rule}]`);
  });

  it("fails synth for ingress from 0.0.0.0/0 that no opt-in allowed", () => {
    const synth = app((s) => {
      const rule = s.node
        .findAll()
        .find(
          (c): c is VpcSecurityGroupIngressRule =>
            c instanceof VpcSecurityGroupIngressRule && c.node.id === "from-client-group",
        );
      rule?.addOverride("cidr_ipv4", "0.0.0.0/0");
    });
    expect(synth).toThrow(`[${AwsHardeningRule.OPEN_TO_THE_WORLD}]`);
  });

  it("accepts a weakened default with an explicit, reasoned suppression", () => {
    const synth = app((s) => {
      const instance = only(s, Instance);
      instance.addOverride("key_name", "ops");
      PolicySuppressions.of(instance).add(
        AwsHardeningRule.SSH_KEY,
        "break-glass key, rotated by the security team",
      );
    });
    expect(synth).not.toThrow();
  });

  it("refuses a suppression without a reason", () => {
    const stack = new TerraformStack(Testing.app(), "s");
    expect(() => PolicySuppressions.of(stack).add(AwsHardeningRule.SSH_KEY, "ok")).toThrow(
      PolicySuppressionError,
    );
  });

  it("records allowClientsFromAnywhere as the reasoned suppression of 0.0.0.0/0", () => {
    expect(
      app(() => {}, { clientCidrs: ["0.0.0.0/0"], allowClientsFromAnywhere: true }),
    ).not.toThrow();
  });
});
