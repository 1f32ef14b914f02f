import { EbsVolume } from "@cdktf/provider-aws/lib/ebs-volume";
import { Instance } from "@cdktf/provider-aws/lib/instance";
import { S3BucketPublicAccessBlock } from "@cdktf/provider-aws/lib/s3-bucket-public-access-block";
import { VpcSecurityGroupIngressRule } from "@cdktf/provider-aws/lib/vpc-security-group-ingress-rule";
import { Annotations, type IAspect, type TerraformResource } from "cdktf";
import type { IConstruct } from "constructs";
import { PolicySuppressions } from "../../constructs/checks/policy-suppressions";

/** Rule ids of {@link AwsHardeningChecks}. */
export enum AwsHardeningRule {
  /** Instance metadata without IMDSv2 tokens, or reachable through more than one hop. */
  IMDSV2 = "Sluice.Aws.Imdsv2",
  /** A broker instance with a public IP address. */
  PUBLIC_IP = "Sluice.Aws.PublicIp",
  /** An SSH key pair on a broker instance (access is through SSM Session Manager). */
  SSH_KEY = "Sluice.Aws.SshKey",
  /** An unencrypted root or data volume. */
  UNENCRYPTED_VOLUME = "Sluice.Aws.UnencryptedVolume",
  /** Ingress from 0.0.0.0/0 or ::/0. */
  OPEN_TO_THE_WORLD = "Sluice.Aws.OpenToTheWorld",
  /** An artifact bucket whose public access is not fully blocked. */
  PUBLIC_BUCKET = "Sluice.Aws.PublicBucket",
}

/** The resource's attributes as they will be synthesized, escape-hatch overrides included. */
function synthesized(resource: TerraformResource): Record<string, unknown> {
  const json = resource.toTerraform() as {
    resource?: Record<string, Record<string, Record<string, unknown>>>;
  };
  const byType = json.resource?.[resource.terraformResourceType] ?? {};
  return Object.values(byType)[0] ?? {};
}

/** A nested block, whether synthesized as an object or a one-element list. */
function block(value: unknown): Record<string, unknown> {
  const first = Array.isArray(value) ? value[0] : value;
  return first !== null && typeof first === "object" ? (first as Record<string, unknown>) : {};
}

/**
 * The AWS target's hardening defaults, checked on what is synthesized (so an escape-hatch override
 * that weakens one is caught too). A finding is an error — synth fails — unless the construct or one
 * of its scopes carries an explicit, reasoned suppression (cdk-nag's model):
 * `PolicySuppressions.of(instance).add(AwsHardeningRule.PUBLIC_IP, "bastion-less lab account, torn down nightly")`.
 * Every {@link AwsTarget} applies it to its stack.
 */
export class AwsHardeningChecks implements IAspect {
  visit(node: IConstruct): void {
    if (node instanceof Instance) this.checkInstance(node);
    else if (node instanceof EbsVolume) this.checkVolume(node);
    else if (node instanceof VpcSecurityGroupIngressRule) this.checkIngress(node);
    else if (node instanceof S3BucketPublicAccessBlock) this.checkBucket(node);
  }

  private fail(node: IConstruct, rule: AwsHardeningRule, message: string): void {
    if (PolicySuppressions.of(node).isSuppressed(rule)) return;
    Annotations.of(node).addError(
      `[${rule}] ${message}; restore the default, or suppress with PolicySuppressions.of(construct).add("${rule}", reason)`,
    );
  }

  private checkInstance(instance: Instance): void {
    const attrs = synthesized(instance);
    const metadata = block(attrs["metadata_options"]);
    if (metadata["http_tokens"] !== "required" || metadata["http_put_response_hop_limit"] !== 1) {
      this.fail(
        instance,
        AwsHardeningRule.IMDSV2,
        `instance metadata must require IMDSv2 tokens with a hop limit of 1 (got http_tokens ${String(metadata["http_tokens"])}, hop limit ${String(metadata["http_put_response_hop_limit"])})`,
      );
    }
    // An instance on an existing network interface never gets a public address (AWS assigns those
    // only to interfaces it creates at launch); otherwise it must be refused explicitly.
    const onExistingInterface = attrs["primary_network_interface"] !== undefined;
    if (!onExistingInterface && attrs["associate_public_ip_address"] !== false) {
      this.fail(
        instance,
        AwsHardeningRule.PUBLIC_IP,
        "the broker instance must not have a public IP address",
      );
    }
    if (attrs["key_name"] !== undefined) {
      this.fail(
        instance,
        AwsHardeningRule.SSH_KEY,
        `the broker instance has the SSH key pair ${String(attrs["key_name"])}; access is through SSM Session Manager`,
      );
    }
    if (block(attrs["root_block_device"])["encrypted"] !== true) {
      this.fail(instance, AwsHardeningRule.UNENCRYPTED_VOLUME, "the root volume must be encrypted");
    }
  }

  private checkVolume(volume: EbsVolume): void {
    if (synthesized(volume)["encrypted"] !== true) {
      this.fail(volume, AwsHardeningRule.UNENCRYPTED_VOLUME, "the data volume must be encrypted");
    }
  }

  private checkIngress(rule: VpcSecurityGroupIngressRule): void {
    const attrs = synthesized(rule);
    if (attrs["cidr_ipv4"] === "0.0.0.0/0" || attrs["cidr_ipv6"] === "::/0") {
      this.fail(
        rule,
        AwsHardeningRule.OPEN_TO_THE_WORLD,
        `ingress from ${String(attrs["cidr_ipv4"] ?? attrs["cidr_ipv6"])} opens the port to every address`,
      );
    }
  }

  private checkBucket(access: S3BucketPublicAccessBlock): void {
    const attrs = synthesized(access);
    const flags = [
      "block_public_acls",
      "block_public_policy",
      "ignore_public_acls",
      "restrict_public_buckets",
    ];
    const off = flags.filter((f) => attrs[f] !== true);
    if (off.length > 0) {
      this.fail(
        access,
        AwsHardeningRule.PUBLIC_BUCKET,
        `public access must be fully blocked (${off.join(", ")} not true)`,
      );
    }
  }
}
