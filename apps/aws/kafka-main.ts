/**
 * A cdktf app with Apache Kafka across three availability zones on AWS:
 *
 *   KAFKA_VERSION=4.3.1 bash scripts/kafka/fetch-kafka.sh   # prints the libs/ directory
 *   SLUICE_KAFKA_DISTRIBUTION=<that directory, or Apache's kafka_2.13-4.3.1.tgz> \
 *     npx cdktf synth --app "npx tsx apps/aws/kafka-main.ts"
 *
 * Synth is offline (no AWS credentials). Environment: SLUICE_KAFKA_DISTRIBUTION (required),
 * SLUICE_KAFKA_VERSION (default 4.3.1), SLUICE_AWS_REGION (default eu-west-1),
 * SLUICE_AWS_CLIENT_CIDRS (comma-separated CIDR blocks that may connect).
 */
import { App } from "cdktf";
import { AwsKafkaStack } from "./aws-kafka-stack";

const distribution = process.env["SLUICE_KAFKA_DISTRIBUTION"];
if (distribution === undefined || distribution === "") {
  console.error(
    "SLUICE_KAFKA_DISTRIBUTION must name Apache Kafka's kafka_2.13-<version>.tgz or a directory with its libs/ (bash scripts/kafka/fetch-kafka.sh prints one)",
  );
  process.exit(2);
}
const app = new App();
new AwsKafkaStack(app, "sluice-aws-kafka", {
  kafkaDistribution: distribution,
  kafkaVersion: process.env["SLUICE_KAFKA_VERSION"] || undefined,
  region: process.env["SLUICE_AWS_REGION"] || undefined,
  clientCidrs: process.env["SLUICE_AWS_CLIENT_CIDRS"]?.split(",").filter((c) => c !== ""),
});
app.synth();
