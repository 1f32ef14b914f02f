/**
 * The AWS target: `import { AwsTarget } from "sluice/aws"`. Needs the optional peer `@cdktf/provider-aws`.
 *
 * @module sluice/aws
 */
// The AWS target (`sluice/aws`): re-exports only. The one entry point that uses @cdktf/provider-aws,
// an optional peer dependency; importing it without the provider fails at once, naming the package.
import { assertAwsProviderInstalled } from "./aws-provider";

assertAwsProviderInstalled();

export * from "./aws-cluster-binding";
export * from "./aws-hardening-checks";
export * from "./aws-network";
export * from "./aws-provider";
export * from "./aws-target";
export * from "./broker-artifact";
export * from "./generated-secret";
export * from "./instance-types";
export * from "./ipv4-cidr";
export * from "./kafka-distribution";
