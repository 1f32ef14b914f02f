import { Container } from "@cdktf/provider-docker/lib/container";
import { Testing } from "cdktf";
import { describe, expect, it } from "vitest";
import {
  KafkaClusterStack,
  kafkaClusterStackPropsFromEnv,
} from "../../apps/kafka-cluster/kafka-cluster-stack";
import { removeTempDirs, tempLockFile } from "../constructs/fixtures";

describe("apps/kafka-cluster", () => {
  it("synthesizes three SASL Apache Kafka brokers and the apply container, topics at RF 3 / min.insync 2", () => {
    const lockFile = tempLockFile();
    const stack = new KafkaClusterStack(Testing.app(), "sluice-kafka", {
      kafkaRepository: "local/apache-kafka",
      lockFile,
    });
    const json = JSON.parse(Testing.synth(stack)) as {
      resource: Record<string, Record<string, Record<string, unknown>>>;
    };
    const containers = Object.values(json.resource[Container.tfResourceType] ?? {});
    expect(containers.map((c) => c["name"]).sort()).toEqual([
      "sluice-kafka-apply",
      "sluice-kafka-broker-0",
      "sluice-kafka-broker-1",
      "sluice-kafka-broker-2",
    ]);
    // One data volume per broker (retained: Docker creates it, no plan deletes it).
    expect(
      containers
        .filter((c) => String(c["name"]).includes("broker"))
        .map((c) => (c["mounts"] as { source: string }[])[0]?.source),
    ).toEqual([
      "sluice-kafka-broker-0-data",
      "sluice-kafka-broker-1-data",
      "sluice-kafka-broker-2-data",
    ]);
    const manifest = stack.cluster.toModel().manifest;
    expect(
      manifest.topics?.map((t) => [
        t.name,
        t.replicationFactor,
        t.configs?.["min.insync.replicas"],
      ]),
    ).toEqual([
      ["analytics.reports", 3, "2"],
      ["billing.payments", 3, "2"],
      ["orders", 3, "2"],
    ]);
    expect(manifest.principals?.map((p) => p.mechanism)).toEqual([
      "SCRAM-SHA-512",
      "SCRAM-SHA-512",
    ]);
    removeTempDirs();
  });

  it("reads its settings from the environment", () => {
    expect(
      kafkaClusterStackPropsFromEnv({
        SLUICE_KAFKA_REPOSITORY: "local/apache-kafka",
        SLUICE_HOST_PORT: "29092",
        SLUICE_KAFKA_EXTRA_TENANT: "audit",
      }),
    ).toMatchObject({
      kafkaRepository: "local/apache-kafka",
      hostPort: 29092,
      extraTenant: "audit",
    });
    expect(() => kafkaClusterStackPropsFromEnv({ SLUICE_HOST_PORT: "x" })).toThrow(
      "SLUICE_HOST_PORT=x is not an integer",
    );
  });
});
