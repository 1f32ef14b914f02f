import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { TerraformStack, Testing } from "cdktf";
import {
  StreamingCluster,
  type StreamingClusterProps,
} from "../../../lib/constructs/streaming-cluster";
import { AwsTarget, type AwsTargetProps } from "../../../lib/targets/aws/aws-target";

/** Resources of a synthesized stack: type → id → attributes. */
export type Resources = Record<string, Record<string, Record<string, unknown>>>;

/** A stack with one AWS target and one cluster; `define` adds topics and tenants. */
export function awsCluster(
  target: Partial<AwsTargetProps> = {},
  cluster: Partial<StreamingClusterProps> = {},
  define: (c: StreamingCluster) => void = () => {},
) {
  const stack = new TerraformStack(Testing.app(), "s");
  const aws = new AwsTarget(stack, "aws", { region: "eu-west-1", ...target });
  const c = new StreamingCluster(stack, "cluster", {
    target: aws,
    clusterName: "events",
    ...cluster,
  });
  define(c);
  const synth = Testing.synth(stack, true);
  return {
    synth,
    json: JSON.parse(synth) as { resource: Resources; output: Record<string, unknown> },
  };
}

/** The resources of one type, in synth order. */
export function resources(json: { resource: Resources }, type: string) {
  return Object.values(json.resource[type] ?? {});
}

/**
 * A stand-in Apache Kafka distribution: a directory whose `libs/` holds the named core jar (no AWS
 * resource reads its content at synth, only its name and hash). Removed with `removeKafkaDirs`.
 */
export function fakeKafkaDistribution(version: string): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "sluice-kafka-dist-"));
  kafkaDirs.push(dir);
  fs.mkdirSync(path.join(dir, "libs"));
  fs.writeFileSync(path.join(dir, "libs", `kafka_2.13-${version}.jar`), `stand-in ${version}`);
  return dir;
}

const kafkaDirs: string[] = [];

/** Removes the directories `fakeKafkaDistribution` made. */
export function removeKafkaDirs(): void {
  for (const d of kafkaDirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
}
