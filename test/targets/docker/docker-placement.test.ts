import { TerraformStack, Testing } from "cdktf";
import { describe, expect, it } from "vitest";
import { Engine } from "../../../lib/constructs/engine";
import {
  StreamingCluster,
  type StreamingClusterProps,
} from "../../../lib/constructs/streaming-cluster";
import { DockerHost, type DockerHostProps } from "../../../lib/targets/docker/docker-host";
import { synthJson, validationErrors } from "../../constructs/fixtures";

type Json = ReturnType<typeof synthJson>;

/** Three Docker hosts, each with its own engine endpoint and address, in one stack. */
function threeHosts(hostProps: Partial<DockerHostProps>[] = []) {
  const stack = new TerraformStack(Testing.app(), "s");
  const endpoints = ["unix:///run/h1/docker.sock", "tcp://10.77.0.3:2376", "ssh://root@10.77.0.4"];
  const hosts = endpoints.map(
    (host, i) =>
      new DockerHost(stack, `h${i + 1}`, {
        host,
        address: `10.77.0.${i + 2}`,
        ...(i === 1 ? { certPath: "/certs/h2" } : {}),
        ...hostProps[i],
      }),
  );
  return { stack, hosts };
}

function kafkaOver(
  stack: TerraformStack,
  hosts: readonly DockerHost[],
  props: Partial<StreamingClusterProps> = {},
) {
  return new StreamingCluster(stack, "cluster", {
    targets: hosts,
    clusterName: "multi",
    engine: Engine.apacheKafka({ version: "4.1.0", toolBaseImage: "sluice/node-base:local" }),
    brokers: 3,
    hostPort: 19092,
    ...props,
  });
}

function brokerContainer(json: Json, nodeId: number): Record<string, unknown> {
  const found = Object.values(json.resource["docker_container"] ?? {}).find(
    (c) => c["name"] === `multi-broker-${nodeId}`,
  );
  if (found === undefined) throw new Error(`no container multi-broker-${nodeId}`);
  return found;
}

function env(container: Record<string, unknown>): Record<string, string> {
  return Object.fromEntries(
    (container["env"] as string[]).map((e) => [
      e.slice(0, e.indexOf("=")),
      e.slice(e.indexOf("=") + 1),
    ]),
  );
}

/** The provider alias a resource uses (`docker` for the default one). */
function providerOf(resource: Record<string, unknown>): string {
  return String(resource["provider"] ?? "docker");
}

describe("a cluster over several Docker hosts", () => {
  it("runs each broker on its host's engine, with that host's image, network and volume", () => {
    const { stack, hosts } = threeHosts();
    kafkaOver(stack, hosts);
    const json = synthJson(stack);
    const providers = json.provider?.["docker"] ?? [];
    expect(providers.map((p) => [p["alias"], p["host"]])).toEqual([
      [undefined, "unix:///run/h1/docker.sock"],
      ["h2", "tcp://10.77.0.3:2376"],
      ["h3", "ssh://root@10.77.0.4"],
    ]);
    expect([0, 1, 2].map((i) => providerOf(brokerContainer(json, i)))).toEqual([
      "docker",
      "docker.h2",
      "docker.h3",
    ]);
    const images = Object.values(json.resource["docker_image"] ?? {});
    expect(
      images
        .filter(
          (i) =>
            i["name"] === "local/apache-kafka:4.1.0" ||
            String(i["name"]).startsWith("apache/kafka"),
        )
        .map(providerOf)
        .sort(),
    ).toEqual(["docker", "docker.h2", "docker.h3"]);
    // The Sluice image (it runs `sluice apply`) is built on the first host only.
    const sluiceImages = images.filter((i) => String(i["name"]).startsWith("sluice-broker:"));
    expect(sluiceImages.map(providerOf)).toEqual(["docker"]);
    const networks = Object.values(json.resource["docker_network"] ?? {});
    expect(networks.map((n) => [n["name"], providerOf(n)]).sort()).toEqual([
      ["multi", "docker"],
      ["multi", "docker.h2"],
      ["multi", "docker.h3"],
    ]);
    // The apply job runs once, on the first host, and bootstraps from every broker's address.
    const applies = Object.values(json.resource["docker_container"] ?? {}).filter(
      (c) => c["name"] === "multi-apply",
    );
    expect(applies.map(providerOf)).toEqual(["docker"]);
    expect(String(applies[0]?.["command"])).toContain(
      "10.77.0.2:19092,10.77.0.3:19093,10.77.0.4:19094",
    );
    expect(json.output["multi-bootstrap-servers"]?.value).toBe(
      "10.77.0.2:19092,10.77.0.3:19093,10.77.0.4:19094",
    );
  });

  it("publishes client, replication and controller ports on each host's address and advertises them", () => {
    const { stack, hosts } = threeHosts();
    kafkaOver(stack, hosts);
    const json = synthJson(stack);
    const b1 = brokerContainer(json, 1);
    expect(b1["ports"]).toEqual([
      { internal: 9092, external: 19093, ip: "10.77.0.3" },
      { internal: 9094, external: 19193, ip: "10.77.0.3" },
      { internal: 9093, external: 19293, ip: "10.77.0.3" },
    ]);
    const e = env(b1);
    expect(e["KAFKA_ADVERTISED_LISTENERS"]).toBe(
      "CLIENT://10.77.0.3:19093,INTERNAL://10.77.0.3:19193",
    );
    expect(e["KAFKA_CONTROLLER_QUORUM_VOTERS"]).toBe(
      "0@10.77.0.2:19292,1@10.77.0.3:19293,2@10.77.0.4:19294",
    );
    // Rack-aware replica placement keeps a partition's replicas on different hosts.
    expect(e["KAFKA_BROKER_RACK"]).toBe("h2");
    // Peers' addresses resolve from /etc/hosts (Kafka looks up the name of each peer that connects).
    expect(b1["host"]).toEqual([
      { host: "multi-broker-0", ip: "10.77.0.2" },
      { host: "multi-broker-1", ip: "10.77.0.3" },
      { host: "multi-broker-2", ip: "10.77.0.4" },
    ]);
  });

  it("gives the ports explicit bases when asked", () => {
    const { stack, hosts } = threeHosts();
    kafkaOver(stack, hosts, {
      hostPort: 9092,
      replicationHostPort: 9192,
      controllerHostPort: 9292,
    });
    const e = env(brokerContainer(synthJson(stack), 0));
    expect(e["KAFKA_CONTROLLER_QUORUM_VOTERS"]).toBe(
      "0@10.77.0.2:9292,1@10.77.0.3:9293,2@10.77.0.4:9294",
    );
  });

  it("publishes on the host's publishAddress when it differs from the advertised name", () => {
    const { stack, hosts } = threeHosts([
      { address: "kafka-a.example.internal", publishAddress: "0.0.0.0" },
    ]);
    kafkaOver(stack, hosts);
    const b0 = brokerContainer(synthJson(stack), 0);
    expect((b0["ports"] as Array<{ ip: string }>).map((p) => p.ip)).toEqual([
      "0.0.0.0",
      "0.0.0.0",
      "0.0.0.0",
    ]);
    expect(env(b0)["KAFKA_ADVERTISED_LISTENERS"]).toBe(
      "CLIENT://kafka-a.example.internal:19092,INTERNAL://kafka-a.example.internal:19192",
    );
  });

  it("runs five brokers over three hosts (2, 2, 1) without a quorum warning", () => {
    const { stack, hosts } = threeHosts();
    kafkaOver(stack, hosts, { brokers: 5 });
    expect(validationErrors(stack)).toBe("");
    const json = synthJson(stack);
    expect(env(brokerContainer(json, 3))["KAFKA_BROKER_RACK"]).toBe("h1");
    expect(brokerContainer(json, 3)["ports"]).toContainEqual({
      internal: 9092,
      external: 19095,
      ip: "10.77.0.2",
    });
  });

  it("places a bundled broker on a chosen remote host, advertising its address", () => {
    const stack = new TerraformStack(Testing.app(), "s");
    const remote = new DockerHost(stack, "remote", {
      host: "ssh://root@10.77.0.4",
      address: "10.77.0.4",
    });
    new StreamingCluster(stack, "cluster", {
      target: remote,
      clusterName: "multi",
      engine: Engine.bundled({ prebuiltImage: "sluice:test" }),
    });
    const b0 = brokerContainer(synthJson(stack), 0);
    expect(b0["ports"]).toEqual([{ internal: 9092, external: 9092, ip: "10.77.0.4" }]);
    const command = b0["command"] as string[];
    expect(command[command.indexOf("--advertised-listeners") + 1]).toBe(
      "PLAINTEXT://10.77.0.4:9092",
    );
  });

  describe("refuses at synth, naming the broker, the host and the fix", () => {
    it("two of three KRaft voters on one host when three hosts are given", () => {
      const { stack, hosts } = threeHosts();
      const [h1, h2] = hosts as [DockerHost, DockerHost, DockerHost];
      kafkaOver(stack, hosts, { brokers: 5, placement: [h1, h1, h1, h2, hosts[2] as DockerHost] });
      expect(validationErrors(stack)).toContain(
        's/cluster/broker-2: placement = "s/h1" is not allowed: a host holding fewer than 3 of the 5 KRaft voters: s/h1 would hold broker-0, broker-1, broker-2, so losing it stops the quorum; place broker-2 on s/h2, or leave placement out to spread the brokers round-robin',
      );
    });

    it("three voters over two hosts: a warning, not an error (one host always holds a majority)", () => {
      const stack = new TerraformStack(Testing.app(), "s");
      const hosts = [1, 2].map(
        (i) =>
          new DockerHost(stack, `h${i}`, {
            host: `ssh://root@10.77.0.${i + 1}`,
            address: `10.77.0.${i + 1}`,
          }),
      );
      kafkaOver(stack, hosts);
      expect(validationErrors(stack)).toBe("");
      Testing.synth(stack);
      const warnings = stack.node.findAll().flatMap((c) => c.node.metadata);
      expect(JSON.stringify(warnings)).toContain(
        "s/h1 holds 2 of the 3 KRaft voters (broker-0, broker-2), a majority: losing that host stops the cluster",
      );
    });

    it("a host port used twice on one host", () => {
      const { stack, hosts } = threeHosts();
      const [h1, h2, h3] = hosts as [DockerHost, DockerHost, DockerHost];
      // broker-3's replication port (19192 + 3) is another cluster's client port on h1.
      kafkaOver(stack, hosts, { brokers: 5, placement: [h1, h2, h3, h1, h2] });
      new StreamingCluster(stack, "other", {
        target: h1,
        clusterName: "other",
        engine: Engine.bundled({ prebuiltImage: "sluice:test" }),
        hostPort: 19195,
      });
      expect(validationErrors(stack)).toContain(
        "s/other/broker-0/broker: hostPort = 19195 is not allowed: already published on unix:///run/h1/docker.sock by s/cluster/broker-3/broker (replicationHostPort); give the cluster another hostPort",
      );
    });

    it("the brokers placed on a host exceeding its declared capacity", () => {
      const { stack, hosts } = threeHosts([{ memoryMiB: 1536, cpus: 4, storageGiB: 100 }]);
      kafkaOver(stack, hosts, { brokers: 5, brokerMemoryMiB: 1024 });
      expect(validationErrors(stack)).toContain(
        "s/h1: memoryMiB = 1536 is not allowed: the brokers placed on this host need 2048 MiB (multi broker-0 1024, multi broker-3 1024), more than it declares; raise the host's memoryMiB, size the brokers down, or place some on another host",
      );
    });

    it("a host without an address", () => {
      const { stack, hosts } = threeHosts([{}, { address: undefined }]);
      expect(() => kafkaOver(stack, hosts)).toThrow(
        "s/h2: address = undefined is not allowed: the host's IP address or DNS name, which clients and the other hosts reach: broker-1 of multi runs on it, and a cluster over several hosts advertises each host's address",
      );
    });

    it("one advertisedHost for brokers on several hosts", () => {
      const { stack, hosts } = threeHosts();
      expect(() => kafkaOver(stack, hosts, { advertisedHost: "kafka.example" })).toThrow(
        's/cluster: advertisedHost = "kafka.example" is not allowed: unset on a cluster over several hosts: each broker uses its host\'s address (set it on each DockerHost)',
      );
    });
  });
});
