import { DockerProvider } from "@cdktf/provider-docker/lib/provider";
import { TerraformStack, Testing } from "cdktf";
import { describe, expect, it } from "vitest";
import { Engine } from "../../../lib/constructs/engine";
import { StreamingCluster } from "../../../lib/constructs/streaming-cluster";
import { DockerHost } from "../../../lib/targets/docker/docker-host";
import { clusterFixture, validationErrors } from "../../constructs/fixtures";

describe("DockerHost", () => {
  it("uses the local Docker socket by default", () => {
    const { stack } = clusterFixture();
    expect(Testing.synth(stack)).toHaveProviderWithProperties(DockerProvider, {
      host: "unix:///var/run/docker.sock",
    });
  });

  it.each([
    ["tcp://10.0.0.5:2376", undefined],
    ["ssh://deploy@build-box", ["-o", "StrictHostKeyChecking=no"]],
  ])("configures a remote host %s", (host, sshOptions) => {
    const { stack } = clusterFixture({}, { host, sshOptions });
    expect(Testing.synth(stack)).toHaveProviderWithProperties(DockerProvider, {
      host,
      ...(sshOptions ? { ssh_opts: sshOptions } : {}),
    });
  });

  it.each([
    [
      { host: "http://x" },
      'host = "http://x" is not allowed: must be unix:///path/to/docker.sock, tcp://HOST:PORT or ssh://[USER@]HOST[:PORT]',
    ],
    [{ cpus: 0 }, "cpus = 0 is not allowed: must be > 0 CPUs"],
    [{ memoryMiB: 0.5 }, "memoryMiB = 0.5 is not allowed: must be an integer"],
    [{ storageGiB: -1 }, "storageGiB = -1 is not allowed: must be > 0 GiB"],
    [{ sshOptions: ["-v"] }, 'sshOptions = ["-v"] is not allowed: only apply to ssh:// hosts'],
  ])("refuses %j", (props, message) => {
    const stack = new TerraformStack(Testing.app(), "s");
    expect(() => new DockerHost(stack, "host", props)).toThrow(`s/host: ${message}`);
  });

  it("gives a second host in the same stack its own provider alias", () => {
    const stack = new TerraformStack(Testing.app(), "s");
    new DockerHost(stack, "a");
    const b = new DockerHost(stack, "b", { host: "tcp://10.0.0.6:2376" });
    expect(b.provider.alias).toBe("b");
  });

  function twoClusters(portA: number, portB: number, addressB = "127.0.0.1"): TerraformStack {
    const stack = new TerraformStack(Testing.app(), "s");
    const host = new DockerHost(stack, "host");
    const engine = Engine.bundled({ prebuiltImage: "sluice:test" });
    new StreamingCluster(stack, "a", { target: host, engine, clusterName: "a", hostPort: portA });
    new StreamingCluster(stack, "b", {
      target: host,
      engine,
      clusterName: "b",
      hostPort: portB,
      publishAddress: addressB,
    });
    return stack;
  }

  it("refuses two brokers publishing the same host port", () => {
    expect(validationErrors(twoClusters(9092, 9092))).toContain(
      "s/b/broker-0/broker: hostPort = 9092 is not allowed: already published on unix:///var/run/docker.sock by s/a/broker-0/broker; give the cluster another hostPort",
    );
  });

  it("refuses a wildcard publish that overlaps a loopback one", () => {
    expect(validationErrors(twoClusters(9092, 9092, "0.0.0.0"))).toContain(
      "s/b/broker-0/broker: hostPort = 9092 is not allowed: already published",
    );
  });

  it("accepts distinct ports", () => {
    expect(validationErrors(twoClusters(9092, 9093))).toBe("");
  });

  it("refuses tenants whose CPUs, memory and storage exceed the host's declared capacity", () => {
    const { stack, cluster } = clusterFixture({}, { cpus: 1, memoryMiB: 512, storageGiB: 10 });
    cluster.addTenant("a", { cpus: 0.75, memoryMiB: 256, storageGiB: 6 });
    cluster.addTenant("b", { cpus: 0.5, memoryMiB: 512, storageGiB: 6 });
    const errors = validationErrors(stack);
    expect(errors).toContain(
      "test/host: cpus = 1 is not allowed: the tenants' cpus add up to 1.25 CPUs (a 0.75, b 0.5), more than the host declares; raise the host's cpus or lower the tenants'",
    );
    expect(errors).toContain(
      "test/host: memoryMiB = 512 is not allowed: the tenants' memoryMiB add up to 768 MiB (a 256, b 512), more than the host declares; raise the host's memoryMiB or lower the tenants'",
    );
    expect(errors).toContain(
      "test/host: storageGiB = 10 is not allowed: the tenants' storageGiB add up to 12 GiB (a 6, b 6), more than the host declares; raise the host's storageGiB or lower the tenants'",
    );
  });

  it("accepts tenants within capacity, and does not check what the host does not declare", () => {
    const { stack, cluster } = clusterFixture({}, { cpus: 2 });
    cluster.addTenant("a", { cpus: 1, memoryMiB: 100_000 });
    cluster.addTenant("b", { cpus: 1 });
    expect(validationErrors(stack)).toBe("");
  });
});
