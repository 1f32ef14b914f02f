import { TerraformStack, Testing } from "cdktf";
import { describe, expect, it } from "vitest";
import { BrokerNetwork } from "../../lib/constructs/broker-network";
import { Engine, EngineKind } from "../../lib/constructs/engine";
import { RemovalPolicy } from "../../lib/constructs/removal-policy";
import { StorageVolume } from "../../lib/constructs/storage-volume";

function stack(): TerraformStack {
  return new TerraformStack(Testing.app(), "s");
}

describe("BrokerNetwork", () => {
  it("defaults to a non-internal network named after its path", () => {
    const n = new BrokerNetwork(stack(), "Net");
    expect(n.networkName).toBe("s-net");
    expect(n.internal).toBe(false);
  });

  it("refuses an invalid name", () => {
    expect(() => new BrokerNetwork(stack(), "n", { networkName: "-bad" })).toThrow(
      "s/n: networkName = \"-bad\" is not allowed: must be 1-63 characters of a-z, A-Z, 0-9, '_', '.' or '-', starting with a letter or digit",
    );
  });
});

describe("StorageVolume", () => {
  it("defaults to 10 GiB, retained, no shrink acknowledged", () => {
    const v = new StorageVolume(stack(), "data");
    expect([v.volumeName, v.sizeGiB, v.removalPolicy, v.allowVolumeShrink]).toEqual([
      "s-data",
      10,
      RemovalPolicy.RETAIN,
      false,
    ]);
  });

  it.each([
    [{ sizeGiB: 0 }, "sizeGiB = 0 is not allowed: must be > 0 GiB"],
    [
      { removalPolicy: "keep" as RemovalPolicy },
      'removalPolicy = "keep" is not allowed: must be RemovalPolicy.RETAIN, RemovalPolicy.PROTECT or RemovalPolicy.DESTROY',
    ],
    [
      { volumeName: "a/b" },
      "volumeName = \"a/b\" is not allowed: must be 1-63 characters of a-z, A-Z, 0-9, '_', '.' or '-', starting with a letter or digit",
    ],
  ])("refuses %j", (props, message) => {
    expect(() => new StorageVolume(stack(), "v", props)).toThrow(`s/v: ${message}`);
  });
});

describe("Engine", () => {
  it("bundled() defaults to the current Node LTS base image and one broker", () => {
    const e = Engine.bundled();
    expect([e.kind, e.baseImage, e.maxBrokers, e.prebuiltImage]).toEqual([
      EngineKind.BUNDLED,
      "node:22-bookworm-slim",
      1,
      undefined,
    ]);
  });

  it.each(["3.6.2", "latest", "4.0"])("apacheKafka() refuses the version %j", (version) => {
    expect(() => Engine.apacheKafka({ version })).toThrow(
      `Engine.apacheKafka: version = ${JSON.stringify(version)} is not allowed: must be an Apache Kafka release MAJOR.MINOR.PATCH, 3.7.0 or later (KRaft without ZooKeeper), e.g. 3.9.0`,
    );
  });

  it("apacheKafka() runs the official image of the given version", () => {
    const e = Engine.apacheKafka({ version: "3.9.0" });
    expect([e.kind, e.prebuiltImage, e.version]).toEqual([
      EngineKind.APACHE_KAFKA,
      "apache/kafka:3.9.0",
      "3.9.0",
    ]);
  });
});
