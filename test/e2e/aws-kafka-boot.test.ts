import { randomBytes } from "node:crypto";
import * as path from "node:path";
import { TerraformStack, Testing } from "cdktf";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DEFAULT_KAFKA_VERSION } from "../../apps/kafka-cluster/kafka-cluster-stack";
import { Engine } from "../../lib/constructs/engine";
import { StreamingCluster } from "../../lib/constructs/streaming-cluster";
import { cachedImageBundle } from "../../lib/image/image-bundle";
import { AwsTarget } from "../../lib/targets/aws/aws-target";
import {
  BOOT_VM,
  BootVm,
  bootTestPrerequisites,
  LoopVolume,
  Moto,
  reportBranchesNotRun,
  TestNetwork,
} from "./support/aws-boot-vm";
import { waitFor } from "./support/docker-cli";
import {
  type KcatSettings,
  kcatConsume,
  kcatMetadata,
  kcatPartitionCounts,
  kcatProduce,
  WRONG_PASSWORD,
} from "./support/kcat";
import { applyTerraform, bootSetting, synthesizeBoot } from "./support/terraform-standin";

// Apache Kafka on AWS, booted for real: three Debian VM containers (one per "zone") run the user data
// the AWS target synthesizes for Engine.apacheKafka, each with its own loop device as its EBS volume,
// Kafka's jars and the Sluice bundle from moto's S3, passwords from its Secrets Manager and the
// manifest from its SSM. The instances' network interfaces stand in as the VM containers' addresses.

const REGION = "eu-west-1";
const ZONE_IDS: Record<string, string> = {
  "eu-west-1a": "euw1-az1",
  "eu-west-1b": "euw1-az2",
  "eu-west-1c": "euw1-az3",
};
const BUCKET = `sluice-artifacts-${randomBytes(4).toString("hex")}`;
const distribution = process.env["SLUICE_KAFKA_DISTRIBUTION"] ?? "";

/** The cluster under test: three brokers over three zones, a topic and a SCRAM tenant. */
function kafkaStack(): { stack: TerraformStack; cluster: StreamingCluster } {
  if (distribution === "") {
    throw new Error(
      "SLUICE_KAFKA_DISTRIBUTION is not set: run the e2e suite with `bash scripts/e2e/run.sh` (it fetches Kafka's jars)",
    );
  }
  const stack = new TerraformStack(Testing.app(), "sluice-aws-kafka");
  const target = new AwsTarget(stack, "aws", { region: REGION, kafkaDistribution: distribution });
  const cluster = new StreamingCluster(stack, "cluster", {
    target,
    clusterName: "kafka-boot",
    engine: Engine.apacheKafka({ version: DEFAULT_KAFKA_VERSION }),
    brokers: 3,
    brokerMemoryMiB: 1024,
    storageGiB: 1,
  });
  const orders = cluster.addTopic("orders", { partitions: 3 });
  const billing = cluster.addTenant("billing");
  billing.addTopic("payments", { partitions: 3 });
  billing.grantProduce(orders);
  return { stack, cluster };
}

interface Instance {
  readonly vm: BootVm;
  readonly zone: string;
  readonly volume: LoopVolume;
}

const { image, motoBin } = bootTestPrerequisites();
let network: TestNetwork;
let moto: Moto;
const instances: Instance[] = [];
const passwords: Record<string, string> = {};
let boots: { code: number; log: string }[] = [];

beforeAll(async () => {
  reportBranchesNotRun(["sluice-boot.sh", "sluice-kafka.sh"]);
  const app = synthesizeBoot(kafkaStack().stack);
  expect(app.userData).toHaveLength(3);
  const eniNames = Object.keys(app.resources["aws_network_interface"] ?? {});
  const subnetOf = (eni: string) =>
    String(app.resources["aws_network_interface"]?.[eni]?.["subnet_id"]);
  network = await TestNetwork.create();
  moto = await Moto.start(motoBin, network.gateway, REGION);
  const first = app.userData[0] ?? "";
  const bundleKey = bootSetting(first, "SLUICE_BUNDLE_KEY");
  const kafkaKey = bootSetting(first, "SLUICE_KAFKA_KEY");
  expect(kafkaKey).toMatch(/^kafka\/[\d.]+-[0-9a-f]{16}\.zip$/);
  const bundle = cachedImageBundle({ baseImage: "node:22-bookworm-slim" });
  expect(bundleKey).toBe(`bundles/${bundle.contentHash}.zip`);
  for (const name of app.secretNames) passwords[name] = randomBytes(18).toString("hex");
  const { secretArns } = await moto.seed({
    bucket: BUCKET,
    objects: {
      [bundleKey]: bundle.contextDir,
      // The target zips the directory that holds libs/, as the fixture does.
      [kafkaKey]:
        path.basename(distribution) === "libs" ? path.dirname(distribution) : distribution,
    },
    secrets: passwords,
  });

  // One instance per broker, in the zone of its network interface's subnet.
  const volumeIds = app.userData.map(() => `vol-0${randomBytes(8).toString("hex")}`);
  for (const [i, eni] of eniNames.entries()) {
    const zone = /private-(eu-west-1[a-c])/.exec(subnetOf(eni))?.[1] ?? "";
    const volume = await LoopVolume.create(1024);
    const vm = await BootVm.start({
      image,
      network,
      volume,
      volumeId: volumeIds[i] ?? "",
      moto,
      zone: ZONE_IDS[zone] ?? "",
    });
    instances.push({ vm, zone, volume });
  }
  const values = (i: number) => (type: string, name: string, attribute: string) => {
    const key = `${type}.${attribute}`;
    if (key === "aws_s3_bucket.bucket") return BUCKET;
    if (key === "aws_ebs_volume.id") return volumeIds[i];
    if (key === "aws_network_interface.private_ip") {
      return instances[eniNames.indexOf(name)]?.vm.address;
    }
    if (key === "aws_subnet.availability_zone_id") {
      return ZONE_IDS[/private-(eu-west-1[a-c])/.exec(name)?.[1] ?? ""];
    }
    if (key === "aws_secretsmanager_secret.arn") return secretArns[name];
    return undefined;
  };
  const parameters = Object.fromEntries(
    Object.entries(app.parameters).map(([k, v]) => [k, applyTerraform(v, values(0))]),
  );
  await moto.seed({ parameters });
  // The three instances boot at once, as Terraform creates them.
  boots = await Promise.all(
    instances.map(async ({ vm }, i) => {
      const r = await vm.runUserData(applyTerraform(app.userData[i] ?? "", values(i)));
      return { code: r.code, log: `${r.stdout}${r.stderr}` };
    }),
  );
}, 600_000);

afterAll(async () => {
  for (const { vm } of instances) await vm.terminate().catch(() => undefined);
  for (const { volume } of instances) await volume.remove().catch(() => undefined);
  moto?.stop();
  await network?.remove();
});

/** The administrator (PLAIN, defined in the brokers' settings) with the password in its secret. */
function admin(): KcatSettings {
  const secret = Object.keys(passwords).find((n) => n.includes("admin")) ?? "";
  return {
    "security.protocol": "SASL_PLAINTEXT",
    "sasl.mechanisms": "PLAIN",
    "sasl.username": "sluice-admin",
    "sasl.password": passwords[secret] ?? "",
  };
}

/** A tenant principal (SCRAM-SHA-512, created by `sluice apply`) with its secret's password. */
function tenant(name: string): KcatSettings {
  const secret = Object.keys(passwords).find((n) => n.includes(`secret-${name}`)) ?? "";
  return {
    "security.protocol": "SASL_PLAINTEXT",
    "sasl.mechanisms": "SCRAM-SHA-512",
    "sasl.username": name,
    "sasl.password": passwords[secret] ?? "",
  };
}

function bootstrap(of: readonly Instance[] = instances): string {
  return of.map(({ vm }) => `${vm.address}:9092`).join(",");
}

async function journals(unit: string): Promise<string> {
  const parts = await Promise.all(instances.map(({ vm }) => vm.journal(unit).catch(String)));
  return parts.join("\n----\n");
}

describe(`Apache Kafka on AWS, booted for real on OpenJDK 17 in three of ${BOOT_VM}`, () => {
  it("boots three brokers from their user data into one KRaft quorum, one controller per zone", async () => {
    for (const boot of boots) expect(boot.code, boot.log).toBe(0);
    expect(boots[0]?.log).toContain("formatting blank");
    // Every broker's apply timer (30 s after boot) brings the cluster to the manifest; the first run
    // that completes records it on its volume. Topics, SCRAM credentials and ACLs are then in place.
    const applied = await waitFor(
      async () => {
        for (const { vm } of instances) {
          const done = await vm.exec(
            ["test", "-s", "/var/lib/sluice/.sluice-applied-sha256"],
            [0, 1],
          );
          if (done.code === 0) return true;
        }
        return false;
      },
      240_000,
      3000,
    );
    expect(applied, await journals("sluice-apply.service")).toBe(true);
    const counts = await kcatPartitionCounts(bootstrap(), admin());
    expect(counts.get("orders")).toBe(3);
    expect(counts.get("billing.payments")).toBe(3);
    const metadata = await kcatMetadata(bootstrap(), admin());
    expect(metadata.brokers?.map((b) => b.id).sort()).toEqual([0, 1, 2]);
    const orders = metadata.topics?.find((t) => t.topic === "orders");
    // The topic and its three partitions first: a loop over nothing would check nothing.
    expect(orders?.partitions?.map((p) => p.partition).sort()).toEqual([0, 1, 2]);
    for (const p of orders?.partitions ?? []) expect(p.replicas).toHaveLength(3);
    // Each broker's rack is its zone's ID; three zones, three racks.
    const racks = await Promise.all(
      instances.map(async ({ vm }) => {
        const r = await vm.exec(["grep", "^broker.rack=", "/etc/kafka/server.properties"]);
        return r.stdout.trim();
      }),
    );
    expect(racks).toEqual(["broker.rack=euw1-az1", "broker.rack=euw1-az2", "broker.rack=euw1-az3"]);
    // The quorum, as Kafka's own tool describes it: three voters.
    const quorum = await instances[0]?.vm.exec([
      "bash",
      "-c",
      [
        'printf \'security.protocol=SASL_PLAINTEXT\\nsasl.mechanism=PLAIN\\nsasl.jaas.config=org.apache.kafka.common.security.plain.PlainLoginModule required username="sluice-admin" password="%s";\\n\' "$1" > /tmp/admin.properties',
        "java -cp '/opt/kafka/current/libs/*' org.apache.kafka.tools.MetadataQuorumCommand --bootstrap-server 127.0.0.1:9092 --command-config /tmp/admin.properties describe --status",
      ].join(" && "),
      "_",
      admin()["sasl.password"] ?? "",
    ]);
    // Kafka 3.9+ prints the voters as JSON objects ({"id": 0, …}); older releases as [0,1,2].
    const voters = /CurrentVoters:\s*(\[.*\])/.exec(quorum?.stdout ?? "")?.[1] ?? "[]";
    const ids = [...voters.matchAll(/"id":\s*(\d+)/g)].map((m) => Number(m[1]));
    const voterIds = ids.length > 0 ? ids : (JSON.parse(voters) as number[]);
    expect(voterIds.sort(), quorum?.stdout).toEqual([0, 1, 2]);
  }, 300_000);

  it("serves a SCRAM tenant with its secret's password, and acks=all writes survive losing a zone", async () => {
    const before = Array.from({ length: 100 }, (_, i) => `payment-${i}`);
    await kcatProduce(bootstrap(), "billing.payments", before, tenant("billing"));
    await expect(
      kcatPartitionCounts(bootstrap(), { ...tenant("billing"), "sasl.password": "wrong" }),
    ).rejects.toThrow(WRONG_PASSWORD);
    // Zone c goes: its broker (a controller) stops. Two of three voters and replicas remain.
    const lost = instances[2] as Instance;
    await lost.vm.terminate();
    const survivors = instances.slice(0, 2);
    const after = Array.from({ length: 100 }, (_, i) => `late-payment-${i}`);
    const written = await waitFor(
      async () => {
        await kcatProduce(bootstrap(survivors), "billing.payments", after, tenant("billing"));
        return true;
      },
      120_000,
      5000,
    );
    expect(written).toBe(true);
    const read = await kcatConsume(
      bootstrap(survivors),
      "billing.payments",
      before.length + after.length,
      admin(),
    );
    expect(new Set(read)).toEqual(new Set([...before, ...after]));
  }, 300_000);
});
