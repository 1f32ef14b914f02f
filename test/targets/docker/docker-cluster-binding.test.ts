import { gunzipSync } from "node:zlib";
import { Container } from "@cdktf/provider-docker/lib/container";
import { Image } from "@cdktf/provider-docker/lib/image";
import { Network } from "@cdktf/provider-docker/lib/network";
import { Volume } from "@cdktf/provider-docker/lib/volume";
import { TerraformStack, Testing } from "cdktf";
import { describe, expect, it } from "vitest";
import { BrokerNetwork } from "../../../lib/constructs/broker-network";
import { ClientAuthentication } from "../../../lib/constructs/client-authentication";
import { Engine } from "../../../lib/constructs/engine";
import { RemovalPolicy } from "../../../lib/constructs/removal-policy";
import { SaslMechanism } from "../../../lib/constructs/sasl-mechanism";
import { StreamingCluster } from "../../../lib/constructs/streaming-cluster";
import { DockerHost } from "../../../lib/targets/docker/docker-host";
import { clusterFixture, synthJson, validationErrors } from "../../constructs/fixtures";

function containers(json: ReturnType<typeof synthJson>) {
  return Object.values(json.resource["docker_container"] ?? {});
}

function broker(json: ReturnType<typeof synthJson>) {
  const found = containers(json).find((c) => String(c["name"]).includes("-broker-"));
  if (found === undefined) throw new Error("no broker container");
  return found;
}

function apply(json: ReturnType<typeof synthJson>) {
  const found = containers(json).find((c) => String(c["name"]).endsWith("-apply"));
  if (found === undefined) throw new Error("no apply container");
  return found;
}

describe("Docker target", () => {
  it("runs the broker hardened: read-only root, tmpfs, no capabilities, no-new-privileges", () => {
    const { stack } = clusterFixture();
    expect(Testing.synth(stack)).toHaveResourceWithProperties(Container, {
      name: "test-broker-0",
      read_only: true,
      tmpfs: { "/tmp": "rw,noexec,nosuid,size=64m" },
      capabilities: { drop: ["ALL"] },
      security_opts: ["no-new-privileges"],
      restart: "unless-stopped",
      wait: true,
    });
  });

  it("sizes the broker container from the model and publishes on 127.0.0.1", () => {
    const { stack } = clusterFixture({ brokerCpus: 1.5, brokerMemoryMiB: 1024, hostPort: 19092 });
    const c = broker(synthJson(stack));
    expect(c["memory"]).toBe(1024);
    expect(c["memory_swap"]).toBe(1024);
    expect(c["cpus"]).toBe("1.5");
    expect(broker(synthJson(clusterFixture().stack))["cpus"]).toBe("1.0");
    // Half the memory for the heap, a quarter for requests held at once (docs/broker.md).
    expect(c["env"]).toEqual(["NODE_OPTIONS=--max-old-space-size=512"]);
    const command = c["command"] as string[];
    const pool = command[command.indexOf("--queued-max-request-bytes") + 1];
    expect(pool).toBe(String(256 * 1024 * 1024));
    expect(c["ports"]).toEqual([{ internal: 9092, external: 19092, ip: "127.0.0.1" }]);
  });

  it("advertises the published address so clients on the host can connect", () => {
    const { stack } = clusterFixture({ hostPort: 19092 });
    const command = broker(synthJson(stack))["command"] as string[];
    expect(
      command.slice(
        command.indexOf("--advertised-listeners"),
        command.indexOf("--advertised-listeners") + 2,
      ),
    ).toEqual(["--advertised-listeners", "PLAINTEXT://127.0.0.1:19092"]);
    expect(command).toContain("--data-dir");
    expect(command).toContain("--admin-listener");
  });

  it("checks health through the admin /healthz endpoint", () => {
    const { stack } = clusterFixture();
    const health = broker(synthJson(stack))["healthcheck"] as { test: string[] };
    expect(health.test[0]).toBe("CMD");
    expect(health.test.join(" ")).toContain("http://127.0.0.1:9644/healthz");
  });

  it("mounts a retained volume by name without managing it (destroy cannot delete it)", () => {
    const { stack } = clusterFixture();
    const json = synthJson(stack);
    expect(json.resource["docker_volume"]).toBeUndefined();
    expect(broker(json)["mounts"]).toEqual([
      { type: "volume", source: "test-broker-0-data", target: "/var/lib/sluice" },
    ]);
  });

  it("manages a DESTROY volume, and protects a PROTECT volume with prevent_destroy", () => {
    const destroy = clusterFixture({ storageRemovalPolicy: RemovalPolicy.DESTROY });
    expect(Testing.synth(destroy.stack)).toHaveResourceWithProperties(Volume, {
      name: "test-broker-0-data",
    });
    const protect = synthJson(
      clusterFixture({ storageRemovalPolicy: RemovalPolicy.PROTECT }).stack,
    );
    const volume = Object.values(protect.resource["docker_volume"] ?? {})[0];
    expect(volume?.["lifecycle"]).toEqual({ prevent_destroy: true });
  });

  it("creates the cluster's own, non-internal network (ports are published from it)", () => {
    const { stack, cluster } = clusterFixture();
    expect(Testing.synth(stack)).toHaveResourceWithProperties(Network, {
      name: "test",
      internal: false,
    });
    expect(cluster.network.networkName).toBe("test");
  });

  it("attaches brokers to internal client networks", () => {
    const stack = new TerraformStack(Testing.app(), "s");
    const host = new DockerHost(stack, "host");
    const tenantNet = new BrokerNetwork(stack, "tenant-net", {
      networkName: "tenant-a",
      internal: true,
    });
    new StreamingCluster(stack, "c", {
      target: host,
      clusterName: "c",
      engine: Engine.bundled({ prebuiltImage: "sluice:test" }),
      clientNetworks: [tenantNet],
    });
    const synth = Testing.synth(stack);
    expect(synth).toHaveResourceWithProperties(Network, { name: "tenant-a", internal: true });
    const networks = broker(JSON.parse(synth))["networks_advanced"] as Array<{ name: string }>;
    expect(networks.map((n) => n.name)).toEqual([
      expect.stringMatching(/^\$\{docker_network\.c_network_docker_[A-F0-9]+\.name\}$/),
      expect.stringMatching(/^\$\{docker_network\.tenant-net_docker_[A-F0-9]+\.name\}$/),
    ]);
  });

  it("builds the image with the content hash as tag and trigger (no rebuild when unchanged)", () => {
    // A prebuilt image is referenced, not built.
    const { stack } = clusterFixture();
    expect(Testing.synth(stack)).toHaveResourceWithProperties(Image, {
      name: "sluice:test",
      keep_locally: true,
    });
  });

  it("runs sluice apply once with the manifest in its environment, replaced only by manifest changes", () => {
    const { stack, cluster } = clusterFixture();
    cluster.addTopic("orders", { partitions: 3 });
    const a = apply(synthJson(stack));
    expect(a["must_run"]).toBe(false);
    expect(a["attach"]).toBe(true);
    expect(a["network_mode"]).toBe("host");
    expect(a["entrypoint"]).toEqual(["/bin/sh", "/app/bin/sluice"]);
    expect(a["command"]).toEqual([
      "apply",
      "--manifest-env",
      "SLUICE_MANIFEST",
      "--bootstrap",
      "127.0.0.1:9092",
    ]);
    // The container is read-only, and Docker uploads files into one only below a volume: the
    // manifest travels in a variable, gzip-compressed JSON in base64.
    expect(a["read_only"]).toBe(true);
    const packed = (a["env"] as string[]).find((e) => e.startsWith("SLUICE_MANIFEST="));
    const manifest = JSON.parse(
      gunzipSync(Buffer.from(packed?.slice("SLUICE_MANIFEST=".length) ?? "", "base64")).toString(),
    );
    expect(manifest).toEqual(JSON.parse(cluster.manifestJson()));
    expect(a["upload"]).toBeUndefined();
    expect(a["labels"]).toContainEqual({
      label: "sluice.manifest-sha256",
      value: cluster.manifestHash(),
    });
    expect(a["lifecycle"]).toEqual({
      postcondition: [
        {
          // biome-ignore lint/suspicious/noTemplateCurlyInString: a Terraform expression
          condition: "${self.exit_code == 0}",
          error_message: "sluice apply failed; see: docker logs test-apply",
        },
      ],
    });
  });

  it("never changes a broker container when only topics or tenants change", () => {
    const before = clusterFixture();
    before.cluster.addTopic("orders");
    before.cluster.addTenant("billing");
    const after = clusterFixture();
    after.cluster.addTopic("orders", { partitions: 12 });
    after.cluster.addTopic("payments");
    after.cluster.addTenant("billing", { produceBytesPerSecond: 1000 });
    after.cluster.addTenant("audit", { principals: ["auditor"], maxTopics: 3 });
    const a = synthJson(before.stack);
    const b = synthJson(after.stack);
    expect(broker(b)).toEqual(broker(a));
    expect(b.resource["docker_network"]).toEqual(a.resource["docker_network"]);
    expect(apply(b)["env"]).not.toEqual(apply(a)["env"]);
  });

  it("with clientAuthentication SASL set, even the first tenant changes no broker container", () => {
    const before = clusterFixture({ clientAuthentication: ClientAuthentication.SASL });
    const after = clusterFixture({ clientAuthentication: ClientAuthentication.SASL });
    after.cluster.addTenant("billing");
    expect(broker(synthJson(after.stack))).toEqual(broker(synthJson(before.stack)));
  });

  it("serves SASL with ACLs and a generated administrator once the app has tenants", () => {
    const plain = clusterFixture();
    const plainCommand = broker(synthJson(plain.stack))["command"] as string[];
    expect(plainCommand).toContain("PLAINTEXT://0.0.0.0:9092");
    expect(plainCommand).not.toContain("--authorizer");
    expect(apply(synthJson(plain.stack))["command"]).not.toContain("--sasl-mechanism");

    const { stack, cluster } = clusterFixture({ hostPort: 19092 });
    cluster.addTenant("billing");
    const json = synthJson(stack);
    const command = broker(json)["command"] as string[];
    const flag = (name: string) => command[command.indexOf(name) + 1];
    expect(flag("--listeners")).toBe("SASL_PLAINTEXT://0.0.0.0:9092");
    expect(flag("--advertised-listeners")).toBe("SASL_PLAINTEXT://127.0.0.1:19092");
    expect(flag("--authorizer")).toBe("true");
    expect(flag("--super-users")).toBe("User:sluice-admin");
    expect(flag("--bootstrap-users")).toBe("sluice-admin:SLUICE_ADMIN_PASSWORD");
    expect(broker(json)["env"]).toContainEqual(
      expect.stringMatching(/^SLUICE_ADMIN_PASSWORD=\$\{sensitive\(terraform_data\..+\)\}$/),
    );
    const applyCommand = apply(json)["command"] as string[];
    expect(applyCommand.slice(-6)).toEqual([
      "--sasl-mechanism",
      "SCRAM-SHA-512",
      "--username",
      "sluice-admin",
      "--password-env",
      "SLUICE_ADMIN_PASSWORD",
    ]);
    expect(json.output["test-admin-password"]?.sensitive).toBe(true);
    expect(json.output["test-admin"]?.value).toEqual({
      bootstrapServers: "127.0.0.1:19092",
      securityProtocol: "SASL_PLAINTEXT",
      saslMechanism: "SCRAM-SHA-512",
      username: "sluice-admin",
      passwordOutput: "test-admin-password",
    });
  });

  it("refuses tenants on a cluster without authentication, and PLAIN tenants on Apache Kafka", () => {
    const none = clusterFixture({ clientAuthentication: ClientAuthentication.NONE });
    none.cluster.addTenant("billing");
    expect(() => Testing.fullSynth(none.stack)).toThrow(
      /clientAuthentication.*ClientAuthentication\.SASL \(or unset\).*billing/s,
    );
    const kafka = clusterFixture({ engine: Engine.apacheKafka({ version: "4.1.0" }) });
    kafka.cluster.addTenant("billing", { saslMechanism: SaslMechanism.PLAIN });
    expect(() => Testing.fullSynth(kafka.stack)).toThrow(
      'test/cluster/tenants/billing: saslMechanism = "PLAIN" is not allowed: SCRAM-SHA-512 or SCRAM-SHA-256 with apache-kafka; PLAIN is for the bundled broker',
    );
  });

  it("generates passwords at deploy time and exposes them only as sensitive outputs", () => {
    const { stack, cluster } = clusterFixture();
    cluster.addTenant("billing", { principals: ["writer", "reader"] });
    const text = Testing.synth(stack, true);
    const json = JSON.parse(text) as ReturnType<typeof synthJson>;
    const data = json.resource["terraform_data"] ?? {};
    const generated = { input: { value: `$\{uuid()}` }, lifecycle: { ignore_changes: ["input"] } };
    // The cluster administrator's and the two principals'.
    expect(Object.values(data)).toEqual([generated, generated, generated]);
    expect(json.output["test-tenant-billing-writer-password"]?.sensitive).toBe(true);
    expect(String(json.output["test-tenant-billing-writer-password"]?.value)).toMatch(
      /^\$\{sensitive\(terraform_data\.[A-Za-z0-9_-]+\.output\.value\)\}$/,
    );
    expect(apply(json)["env"]).toEqual([
      expect.stringMatching(/^SLUICE_MANIFEST=[A-Za-z0-9+/=]+$/),
      expect.stringMatching(
        /^SLUICE_ADMIN_PASSWORD=\$\{sensitive\(terraform_data\..+\.output\.value\)\}$/,
      ),
      expect.stringMatching(
        /^SLUICE_PASSWORD_BILLING_WRITER=\$\{sensitive\(terraform_data\..+\.output\.value\)\}$/,
      ),
      expect.stringMatching(
        /^SLUICE_PASSWORD_BILLING_READER=\$\{sensitive\(terraform_data\..+\.output\.value\)\}$/,
      ),
    ]);
    expect(json.output["test-tenant-billing"]?.value).toEqual({
      bootstrapServers: "127.0.0.1:9092",
      securityProtocol: "SASL_PLAINTEXT",
      saslMechanism: "SCRAM-SHA-512",
      usernames: ["writer", "reader"],
      passwordOutputs: {
        writer: "test-tenant-billing-writer-password",
        reader: "test-tenant-billing-reader-password",
      },
      topicPrefix: "billing.",
      groupPrefix: "billing.",
    });
  });

  it("outputs the bootstrap servers", () => {
    const { stack } = clusterFixture({ hostPort: 29092 });
    expect(synthJson(stack).output["test-bootstrap-servers"]?.value).toBe("127.0.0.1:29092");
  });

  it("runs Apache Kafka in KRaft combined mode from the official image", () => {
    const { stack } = clusterFixture({
      engine: Engine.apacheKafka({ version: "3.9.0" }),
      brokers: 3,
      hostPort: 19092,
    });
    const json = synthJson(stack);
    expect(
      Object.values(json.resource["docker_image"] ?? {})
        .map((i) => i["name"])
        .sort(),
    ).toContain("apache/kafka:3.9.0");
    const b1 = containers(json).find((c) => c["name"] === "test-broker-1");
    const env = b1?.["env"] as string[];
    expect(env).toContain("KAFKA_NODE_ID=1");
    expect(env).toContain("KAFKA_PROCESS_ROLES=broker,controller");
    expect(env).toContain(
      "KAFKA_CONTROLLER_QUORUM_VOTERS=0@test-broker-0:9093,1@test-broker-1:9093,2@test-broker-2:9093",
    );
    expect(env).toContain(
      "KAFKA_ADVERTISED_LISTENERS=CLIENT://127.0.0.1:19093,INTERNAL://test-broker-1:9094",
    );
    expect(env).toContain(
      "KAFKA_LISTENER_SECURITY_PROTOCOL_MAP=CLIENT:PLAINTEXT,CONTROLLER:PLAINTEXT,INTERNAL:PLAINTEXT",
    );
    expect(env).toContain("KAFKA_OFFSETS_TOPIC_REPLICATION_FACTOR=3");
    expect(env).toContain("KAFKA_TRANSACTION_STATE_LOG_MIN_ISR=2");
    expect(env.find((e) => e.startsWith("CLUSTER_ID="))).toMatch(/^CLUSTER_ID=[A-Za-z0-9_-]{22}$/);
    // Read-only like the bundled broker: what the image writes at start is on tmpfs.
    expect(b1?.["read_only"]).toBe(true);
    expect(Object.keys(b1?.["tmpfs"] as object).sort()).toEqual([
      "/opt/kafka/config",
      "/opt/kafka/logs",
      "/tmp",
    ]);
    expect(b1?.["mounts"]).toEqual([
      expect.objectContaining({ target: "/var/lib/kafka/data", type: "volume" }),
    ]);
  });

  it("secures Apache Kafka with SASL when it has tenants: SCRAM for tenants, PLAIN for the administrator, ACLs enforced", () => {
    const { stack, cluster } = clusterFixture({
      engine: Engine.apacheKafka({ version: "4.1.0" }),
      brokers: 3,
    });
    cluster.addTenant("billing");
    const json = synthJson(stack);
    const env = containers(json).find((c) => c["name"] === "test-broker-0")?.["env"] as string[];
    const value = (name: string) =>
      env.find((e) => e.startsWith(`${name}=`))?.slice(name.length + 1);
    const password = /^\$\{sensitive\(terraform_data\.[A-Za-z0-9_-]+\.output\.value\)\}$/;
    expect(value("KAFKA_LISTENER_SECURITY_PROTOCOL_MAP")).toBe(
      "CLIENT:SASL_PLAINTEXT,CONTROLLER:SASL_PLAINTEXT,INTERNAL:SASL_PLAINTEXT",
    );
    expect(value("KAFKA_SASL_ENABLED_MECHANISMS")).toBe("SCRAM-SHA-512,SCRAM-SHA-256,PLAIN");
    expect(value("KAFKA_LISTENER_NAME_INTERNAL_SASL_ENABLED_MECHANISMS")).toBe("PLAIN");
    expect(value("KAFKA_LISTENER_NAME_CONTROLLER_SASL_ENABLED_MECHANISMS")).toBe("PLAIN");
    expect(value("KAFKA_LISTENER_NAME_CLIENT_SCRAM___SHA___512_SASL_JAAS_CONFIG")).toBe(
      "org.apache.kafka.common.security.scram.ScramLoginModule required;",
    );
    // PLAIN on the client listener knows the administrator only.
    const clientPlain = value("KAFKA_LISTENER_NAME_CLIENT_PLAIN_SASL_JAAS_CONFIG") ?? "";
    expect(clientPlain).toMatch(
      /^org\.apache\.kafka\.common\.security\.plain\.PlainLoginModule required user_sluice-admin="\$\{sensitive\([^"]+\)\}";$/,
    );
    expect(value("KAFKA_LISTENER_NAME_CONTROLLER_PLAIN_SASL_JAAS_CONFIG")).toContain(
      'username="sluice-admin"',
    );
    expect(value("KAFKA_SASL_MECHANISM_CONTROLLER_PROTOCOL")).toBe("PLAIN");
    expect(value("KAFKA_AUTHORIZER_CLASS_NAME")).toBe(
      "org.apache.kafka.metadata.authorizer.StandardAuthorizer",
    );
    expect(value("KAFKA_SUPER_USERS")).toBe("User:sluice-admin");
    const applyCommand = apply(json)["command"] as string[];
    expect(
      applyCommand.slice(
        applyCommand.indexOf("--sasl-mechanism"),
        applyCommand.indexOf("--sasl-mechanism") + 4,
      ),
    ).toEqual(["--sasl-mechanism", "PLAIN", "--username", "sluice-admin"]);
    expect(apply(json)["read_only"]).toBe(true);
    expect(json.output["test-admin"]?.value).toMatchObject({ saslMechanism: "PLAIN" });
    expect(String(json.output["test-admin-password"]?.value)).toMatch(password);
  });

  it("adds a tenant without touching an Apache Kafka broker container", () => {
    const brokersOf = (withSecond: boolean) => {
      const { stack, cluster } = clusterFixture({
        engine: Engine.apacheKafka({ version: "4.1.0" }),
        brokers: 3,
      });
      cluster.addTenant("billing");
      if (withSecond) {
        cluster.addTenant("audit");
        cluster.addTopic("extra");
      }
      return containers(synthJson(stack)).filter((c) => String(c["name"]).includes("broker"));
    };
    expect(brokersOf(true)).toEqual(brokersOf(false));
  });
});

describe("Apache Kafka on Docker: bad input at synth", () => {
  const kafka = () => Engine.apacheKafka({ version: "4.1.0" });

  it("refuses a topic replicated more times than there are brokers, and min.insync above it", () => {
    const { stack, cluster } = clusterFixture({ engine: kafka(), brokers: 3 });
    cluster.addTopic("wide", { replicationFactor: 5 });
    cluster.addTopic("strict", { minInsyncReplicas: 4 });
    const errors = validationErrors(stack);
    expect(errors).toContain(
      "test/cluster/topics/wide: replicationFactor = 5 is not allowed: must be <= the cluster's 3 broker(s); lower it or add brokers",
    );
    expect(errors).toContain(
      "test/cluster/topics/strict: minInsyncReplicas = 4 is not allowed: must be <= replicationFactor (3), or every acks=all write fails",
    );
  });

  it("refuses two Kafka brokers on one host port", () => {
    const stack = new TerraformStack(Testing.app(), "s");
    const host = new DockerHost(stack, "host");
    // a's brokers take 19092-19094; b starts on 19094.
    new StreamingCluster(stack, "a", {
      target: host,
      engine: kafka(),
      brokers: 3,
      clusterName: "a",
      hostPort: 19092,
    });
    new StreamingCluster(stack, "b", {
      target: host,
      engine: kafka(),
      brokers: 3,
      clusterName: "b",
      hostPort: 19094,
    });
    expect(validationErrors(stack)).toContain(
      "s/b/broker-0/broker: hostPort = 19094 is not allowed: already published on unix:///var/run/docker.sock by s/a/broker-2/broker; give the cluster another hostPort",
    );
  });
});
