/**
 * A cdktf app with the bundled broker on AWS: `npx cdktf synth --app "npx tsx apps/aws/main.ts"`
 * (offline: synth needs no AWS credentials). Environment: SLUICE_AWS_REGION (default eu-west-1),
 * SLUICE_AWS_CLIENT_CIDRS (comma-separated CIDR blocks that may connect; default none — clients join
 * the output client security group instead).
 */
import { App } from "cdktf";
import { AwsStack } from "./aws-stack";

const app = new App();
new AwsStack(app, "sluice-aws", {
  region: process.env["SLUICE_AWS_REGION"] || undefined,
  clientCidrs: process.env["SLUICE_AWS_CLIENT_CIDRS"]?.split(",").filter((c) => c !== ""),
});
app.synth();
