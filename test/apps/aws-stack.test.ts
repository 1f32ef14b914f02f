import * as fs from "node:fs";
import * as path from "node:path";
import { Instance } from "@cdktf/provider-aws/lib/instance";
import { Testing } from "cdktf";
import { afterAll, describe, expect, it } from "vitest";
import { AWS_KAFKA_VERSION, AwsKafkaStack } from "../../apps/aws/aws-kafka-stack";
import { AwsStack } from "../../apps/aws/aws-stack";
import { fakeKafkaDistribution, removeKafkaDirs } from "../targets/aws/fixtures";

afterAll(removeKafkaDirs);

describe("apps/aws", () => {
  it("synthesizes one hardened broker instance with its cluster model", () => {
    const stack = new AwsStack(Testing.app(), "sluice-aws", { region: "us-east-2" });
    expect(Testing.synth(stack)).toHaveResourceWithProperties(Instance, {
      instance_type: "m7i.large",
      metadata_options: {
        http_tokens: "required",
        http_put_response_hop_limit: 1,
        http_endpoint: "enabled",
      },
    });
    expect(stack.cluster.toModel().manifest.topics?.map((t) => t.name)).toEqual([
      "billing.payments",
      "orders",
    ]);
  });
});

describe("apps/aws, Apache Kafka", () => {
  it("synthesizes three brokers over three zones with RF 3 topics and SCRAM tenants", () => {
    const stack = new AwsKafkaStack(Testing.app(), "sluice-aws-kafka", {
      kafkaDistribution: fakeKafkaDistribution(AWS_KAFKA_VERSION),
    });
    const json = JSON.parse(Testing.synth(stack)) as {
      resource: Record<string, Record<string, Record<string, unknown>>>;
    };
    const instances = Object.values(json.resource["aws_instance"] ?? {});
    expect(instances.map((i) => i["instance_type"])).toEqual(Array(3).fill("m7i.xlarge"));
    const zones = Object.values(json.resource["aws_network_interface"] ?? {}).map(
      (e) => /private-(eu-west-1[a-c])/.exec(String(e["subnet_id"]))?.[1],
    );
    expect(zones).toEqual(["eu-west-1a", "eu-west-1b", "eu-west-1c"]);
    const manifest = stack.cluster.toModel().manifest;
    expect(manifest.topics?.map((t) => [t.name, t.replicationFactor])).toEqual([
      ["billing.payments", 3],
      ["orders", 3],
    ]);
    expect(stack.cluster.tenants.map((t) => t.saslMechanism)).toEqual([
      "SCRAM-SHA-512",
      "SCRAM-SHA-512",
    ]);
  });
});

describe("apps/", () => {
  it("import Sluice only through its public entry points, as a user does", () => {
    const dir = path.join(__dirname, "..", "..", "apps");
    const files = fs
      .readdirSync(dir, { recursive: true })
      .map(String)
      .filter((f) => f.endsWith(".ts"));
    const deep = files.filter((f) =>
      /from\s+["'](\.\.\/)+lib\//.test(fs.readFileSync(path.join(dir, f), "utf8")),
    );
    expect(files.length).toBeGreaterThan(2);
    expect(deep).toEqual([]);
  });
});
