import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { IamRolePolicy } from "@cdktf/provider-aws/lib/iam-role-policy";
import { Instance } from "@cdktf/provider-aws/lib/instance";
import { NetworkInterface } from "@cdktf/provider-aws/lib/network-interface";
import { S3Object } from "@cdktf/provider-aws/lib/s3-object";
import { SecretsmanagerSecret } from "@cdktf/provider-aws/lib/secretsmanager-secret";
import { VpcSecurityGroupIngressRule } from "@cdktf/provider-aws/lib/vpc-security-group-ingress-rule";
import { afterAll, describe, expect, it } from "vitest";
import { Engine } from "../../../lib/constructs/engine";
import { SaslMechanism } from "../../../lib/constructs/sasl-mechanism";
import type { StreamingClusterProps } from "../../../lib/constructs/streaming-cluster";
import type { AwsTargetProps } from "../../../lib/targets/aws/aws-target";
import { removeTempDirs } from "../../constructs/fixtures";
import { awsCluster, fakeKafkaDistribution, removeKafkaDirs, resources } from "./fixtures";

afterAll(() => {
  removeTempDirs();
  removeKafkaDirs();
});

const VERSION = "4.1.1";

/** A cluster of the Apache Kafka engine on AWS (3 brokers unless told). */
function kafkaCluster(
  target: Partial<AwsTargetProps> = {},
  cluster: Partial<StreamingClusterProps> = {},
  define: Parameters<typeof awsCluster>[2] = () => {},
) {
  return awsCluster(
    { kafkaDistribution: fakeKafkaDistribution(VERSION), ...target },
    { engine: Engine.apacheKafka({ version: VERSION }), brokers: 3, ...cluster },
    define,
  );
}

/** Each instance's `server.properties` template (from its user data), as a map. */
function serverProperties(json: Parameters<typeof resources>[0]): Map<string, string>[] {
  return resources(json, Instance.tfResourceType).map((instance) => {
    const userData = String(instance["user_data"]);
    const text = /cat > \/etc\/sluice\/kafka\.properties <<'(\w+)'\n([\s\S]*?)\n\1\n/.exec(
      userData,
    )?.[2];
    if (text === undefined) throw new Error("no kafka.properties in the user data");
    return new Map(
      text.split("\n").map((line) => {
        const i = line.indexOf("=");
        return [line.slice(0, i), line.slice(i + 1)];
      }),
    );
  });
}

const ENI_IP =
  /^\$\{aws_network_interface\.cluster_broker-(\d)_broker_aws_network-interface_[0-9A-F]+\.private_ip\}$/;

describe("AwsTarget with Engine.apacheKafka", () => {
  it("spreads the brokers over the zones, each on a network interface of its own", () => {
    const { json } = kafkaCluster();
    const enis = resources(json, NetworkInterface.tfResourceType);
    expect(enis.map((e) => e["subnet_id"])).toEqual([
      expect.stringContaining("private-eu-west-1a"),
      expect.stringContaining("private-eu-west-1b"),
      expect.stringContaining("private-eu-west-1c"),
    ]);
    for (const eni of enis) {
      expect(eni["security_groups"]).toEqual([expect.stringContaining("aws_security_group.")]);
    }
    const instances = resources(json, Instance.tfResourceType);
    expect(instances).toHaveLength(3);
    for (const [i, instance] of instances.entries()) {
      expect(instance["primary_network_interface"]).toEqual({
        network_interface_id: expect.stringContaining(`cluster_broker-${i}_broker_aws_network`),
      });
      // The interface decides the subnet and groups; an existing interface gets no public address.
      expect(instance).not.toHaveProperty("subnet_id");
      expect(instance).not.toHaveProperty("associate_public_ip_address");
    }
  });

  it("runs one KRaft controller per zone, rack = zone ID, RF 3 and min.insync 2 by default", () => {
    const props = serverProperties(kafkaCluster({}, { brokers: 5 }).json);
    expect(props.map((p) => p.get("process.roles"))).toEqual([
      "broker,controller",
      "broker,controller",
      "broker,controller",
      "broker",
      "broker",
    ]);
    const voters = props[0]?.get("controller.quorum.voters")?.split(",") ?? [];
    expect(voters).toHaveLength(3);
    voters.forEach((voter, i) => {
      const [id, address] = voter.split("@");
      expect(id).toBe(String(i));
      expect(address?.replace(/:9093$/, "")).toMatch(ENI_IP);
      expect(ENI_IP.exec(address?.replace(/:9093$/, "") ?? "")?.[1]).toBe(String(i));
    });
    const zones = ["1a", "1b", "1c", "1a", "1b"];
    props.forEach((p, i) => {
      expect(p.get("node.id")).toBe(String(i));
      expect(p.get("controller.quorum.voters")).toBe(voters.join(","));
      expect(p.get("broker.rack")).toMatch(
        new RegExp(
          `^\\$\\{aws_subnet\\.aws_network_private-eu-west-${zones[i]}_[0-9A-F]+\\.availability_zone_id\\}$`,
        ),
      );
      expect(p.get("listeners")).toBe(
        i < 3
          ? "CLIENT://:9092,CONTROLLER://:9093,INTERNAL://:9094"
          : "CLIENT://:9092,INTERNAL://:9094",
      );
      const own = ENI_IP.exec(p.get("advertised.listeners")?.split(",")[0]?.slice(9, -5) ?? "");
      expect(own?.[1]).toBe(String(i));
      expect(p.get("log.dirs")).toBe("/var/lib/sluice/kafka");
      expect(p.get("default.replication.factor")).toBe("3");
      expect(p.get("min.insync.replicas")).toBe("2");
      expect(p.get("offsets.topic.replication.factor")).toBe("3");
      expect(p.get("auto.create.topics.enable")).toBe("false");
    });
  });

  it("allows an even broker count: only three of them vote", () => {
    expect(serverProperties(kafkaCluster({}, { brokers: 4 }).json)).toHaveLength(4);
  });

  it("advertises the interfaces' addresses, which survive instance replacement", () => {
    const { json } = kafkaCluster();
    const bootstrap = json.output["events-bootstrap-servers"] as { value: string };
    const addresses = bootstrap.value.split(",");
    expect(addresses).toHaveLength(3);
    for (const a of addresses) expect(a.replace(/:9092$/, "")).toMatch(ENI_IP);
  });

  it("uploads the distribution next to the bundle and lets the brokers read it", () => {
    const { json } = kafkaCluster();
    const objects = resources(json, S3Object.tfResourceType);
    const kafka = objects.find((o) => String(o["key"]).startsWith("kafka/"));
    expect(kafka?.["key"]).toMatch(/^kafka\/4\.1\.1-[0-9a-f]{16}\.zip$/);
    const [instance] = resources(json, Instance.tfResourceType);
    const userData = String(instance?.["user_data"]);
    expect(userData).toContain(`SLUICE_KAFKA_KEY='${String(kafka?.["key"])}'`);
    expect(userData).toContain("SLUICE_ENGINE='apache-kafka'");
    expect(userData).toContain("cat > /usr/local/sbin/sluice-kafka <<'SLUICE_EOF'");
    const [policy] = resources(json, IamRolePolicy.tfResourceType);
    const bundle = (
      JSON.parse(String(policy?.["policy"])) as { Statement: { Sid: string; Resource: unknown }[] }
    ).Statement.find((s) => s.Sid === "Bundle");
    expect(bundle?.Resource).toEqual([
      expect.stringMatching(/\/bundles\/[0-9a-f]{64}\.zip$/),
      expect.stringMatching(/\/kafka\/4\.1\.1-[0-9a-f]{16}\.zip$/),
    ]);
  });

  it("takes Apache's release archive as it is", () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "sluice-kafka-tgz-"));
    const tgz = path.join(dir, `kafka_2.13-${VERSION}.tgz`);
    fs.writeFileSync(tgz, "not really gzip: only its name and hash matter at synth");
    try {
      const { json } = kafkaCluster({ kafkaDistribution: tgz });
      const keys = resources(json, S3Object.tfResourceType).map((o) => String(o["key"]));
      expect(keys).toContainEqual(expect.stringMatching(/^kafka\/4\.1\.1-[0-9a-f]{16}\.tgz$/));
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it("keeps the replication and controller ports between the brokers' own group", () => {
    const { json } = kafkaCluster({ clientCidrs: ["10.20.0.0/24"] }, {}, (c) =>
      c.addTenant("billing"),
    );
    const rules = resources(json, VpcSecurityGroupIngressRule.tfResourceType);
    for (const rule of rules) {
      const reaches9093 = Number(rule["from_port"]) <= 9094 && Number(rule["to_port"]) >= 9093;
      if (!reaches9093) continue;
      expect(rule["referenced_security_group_id"]).toBe(rule["security_group_id"]);
      expect(rule).not.toHaveProperty("cidr_ipv4");
    }
    const brokers = rules.find(
      (r) => r["referenced_security_group_id"] === r["security_group_id"],
    )?.["security_group_id"];
    const clientRules = rules.filter(
      (r) => r["security_group_id"] === brokers && r["referenced_security_group_id"] !== brokers,
    );
    expect(clientRules.length).toBeGreaterThan(0);
    for (const r of clientRules) expect([r["from_port"], r["to_port"]]).toEqual([9092, 9092]);
  });

  it("authenticates tenants with SCRAM from Secrets Manager; the admin's password never in user data", () => {
    const { json } = kafkaCluster({}, {}, (c) => c.addTenant("billing"));
    const secrets = resources(json, SecretsmanagerSecret.tfResourceType).map((s) => s["name"]);
    expect(secrets).toEqual(["sluice/events/admin", "sluice/events/principal/billing"]);
    const [props] = serverProperties(json);
    expect(props?.get("listener.name.internal.plain.sasl.jaas.config")).toContain(
      'password="@ADMIN_PASSWORD@"',
    );
    expect(props?.get("super.users")).toBe("User:sluice-admin");
    const [instance] = resources(json, Instance.tfResourceType);
    const userData = String(instance?.["user_data"]);
    expect(userData).toContain(
      "SLUICE_APPLY_ARGS='--bootstrap 127.0.0.1:9092 --sasl-mechanism PLAIN --username sluice-admin --password-env SLUICE_ADMIN_PASSWORD'",
    );
    expect(userData).not.toContain("random");
    expect(userData).not.toContain("terraform_data");
  });

  it("runs without SASL when the cluster has no tenants", () => {
    const [props] = serverProperties(kafkaCluster().json);
    expect(props?.get("listener.security.protocol.map")).toBe(
      "CLIENT:PLAINTEXT,CONTROLLER:PLAINTEXT,INTERNAL:PLAINTEXT",
    );
    expect(props?.has("super.users")).toBe(false);
  });
});

describe("AwsTarget with Engine.apacheKafka: bad input", () => {
  it("refuses fewer than three brokers", () => {
    expect(() => kafkaCluster({}, { brokers: 1 })).toThrow(
      "s/cluster: brokerCount = 1 is not allowed: at least 3 with Engine.apacheKafka on AWS: one KRaft controller and one replica per availability zone",
    );
  });

  it("refuses a network in fewer zones than the spread needs", () => {
    expect(() =>
      kafkaCluster({ network: { availabilityZones: ["eu-west-1a", "eu-west-1b"] } }),
    ).toThrow(
      's/aws: network.availabilityZones = ["eu-west-1a","eu-west-1b"] is not allowed: at least 3 availability zones for Engine.apacheKafka: its 3 brokers and 3 KRaft controllers are spread one per zone so the cluster outlives the loss of a zone; the network has 2',
    );
  });

  it("refuses a replication factor above the broker count", () => {
    expect(() =>
      kafkaCluster({}, {}, (c) => c.addTopic("orders", { partitions: 3, replicationFactor: 4 })),
    ).toThrow(
      "s/cluster/topics/orders: replicationFactor = 4 is not allowed: must be <= the cluster's 3 broker(s); lower it or add brokers",
    );
  });

  it("refuses a PLAIN tenant: Kafka's PLAIN users live in the brokers' settings", () => {
    expect(() =>
      kafkaCluster({}, {}, (c) => c.addTenant("billing", { saslMechanism: SaslMechanism.PLAIN })),
    ).toThrow(
      's/cluster/tenants/billing: saslMechanism = "PLAIN" is not allowed: SCRAM-SHA-512 or SCRAM-SHA-256 with apache-kafka',
    );
  });

  it("needs the distribution, and refuses one of another version", () => {
    expect(() =>
      awsCluster({}, { engine: Engine.apacheKafka({ version: VERSION }), brokers: 3 }),
    ).toThrow(
      "s/aws: kafkaDistribution = undefined is not allowed: the path of Apache Kafka 4.1.1 for the brokers (they have no internet access to download it)",
    );
    expect(() => kafkaCluster({ kafkaDistribution: fakeKafkaDistribution("3.9.0") })).toThrow(
      "is not allowed: a directory whose libs/ holds kafka_2.13-4.1.1.jar",
    );
    expect(() => kafkaCluster({ kafkaDistribution: "/nonexistent/kafka" })).toThrow(
      's/aws: kafkaDistribution = "/nonexistent/kafka" is not allowed: no such file or directory',
    );
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "sluice-kafka-tgz-"));
    const wrong = path.join(dir, "kafka_2.13-3.9.0.tgz");
    fs.writeFileSync(wrong, "");
    try {
      expect(() => kafkaCluster({ kafkaDistribution: wrong })).toThrow(
        "is not allowed: a file named kafka_2.13-4.1.1.tgz (the engine's version)",
      );
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
