import { TerraformStack, Testing } from "cdktf";
import { describe, expect, it } from "vitest";
import { Engine } from "../../lib/constructs/engine";
import {
  StreamingCluster,
  type StreamingClusterProps,
} from "../../lib/constructs/streaming-cluster";
import { DockerHost } from "../../lib/targets/docker/docker-host";

function hostsFixture(count: number) {
  const stack = new TerraformStack(Testing.app(), "s");
  const hosts = Array.from(
    { length: count },
    (_, i) => new DockerHost(stack, `h${i + 1}`, { address: `10.77.0.${i + 2}` }),
  );
  const cluster = (props: Partial<StreamingClusterProps>) =>
    new StreamingCluster(stack, "c", {
      clusterName: "c",
      engine: Engine.apacheKafka({ version: "4.1.0" }),
      brokers: 3,
      ...props,
    });
  return { stack, hosts, cluster };
}

const placedOn = (c: StreamingCluster) => c.placement.map((p) => p.target.node.id);

describe("broker placement", () => {
  it("spreads the brokers round-robin over the targets given", () => {
    const { hosts, cluster } = hostsFixture(3);
    expect(placedOn(cluster({ targets: hosts, brokers: 5 }))).toEqual([
      "h1",
      "h2",
      "h3",
      "h1",
      "h2",
    ]);
  });

  it("places each broker where placement says", () => {
    const { hosts, cluster } = hostsFixture(3);
    const [h1, h2, h3] = hosts as [DockerHost, DockerHost, DockerHost];
    const c = cluster({ targets: hosts, brokers: 3, placement: [h3, h1, h2] });
    expect(placedOn(c)).toEqual(["h3", "h1", "h2"]);
    expect(c.target).toBe(h1);
  });

  it("keeps target (one host) as before: every broker on it", () => {
    const { hosts, cluster } = hostsFixture(1);
    const c = cluster({ target: hosts[0], brokers: 3 });
    expect(placedOn(c)).toEqual(["h1", "h1", "h1"]);
    expect(c.targets).toEqual(hosts);
  });

  it("refuses a broker placed on a host that is not a target of the cluster, naming the broker, the host and the fix", () => {
    const { hosts, cluster } = hostsFixture(4);
    const [h1, h2, h3, h4] = hosts as [DockerHost, DockerHost, DockerHost, DockerHost];
    expect(() => cluster({ targets: [h1, h2, h3], placement: [h1, h2, h4] })).toThrow(
      's/c/broker-2: placement = "s/h4" is not allowed: one of the cluster\'s targets (s/h1, s/h2, s/h3): add the host to targets, or place broker-2 on one of them',
    );
  });

  it.each([
    [
      "neither target nor targets",
      {},
      "s/c: target = undefined is not allowed: a host: give target (one host) or targets (several)",
    ],
    ["both", "both", "either target or targets, not both"],
    ["no targets", { targets: [] }, "s/c: targets = [] is not allowed: at least one host"],
    [
      "a host listed twice",
      "twice",
      "s/h1 is listed twice (to run several brokers on it, use placement)",
    ],
    ["a placement of the wrong length", "short", "one host per broker: 3 entries for brokers 0-2"],
    [
      "a host left without a broker",
      "idle",
      's/c: targets = "s/h3" is not allowed: a host that runs at least one broker: s/h3 holds none of the 3 broker(s); remove it from targets or place a broker on it',
    ],
  ])("refuses %s", (_, input, message) => {
    const { hosts, cluster } = hostsFixture(3);
    const [h1, h2, h3] = hosts as [DockerHost, DockerHost, DockerHost];
    const props: Partial<StreamingClusterProps> =
      input === "both"
        ? { target: h1, targets: hosts }
        : input === "twice"
          ? { targets: [h1, h1, h2] }
          : input === "short"
            ? { targets: hosts, placement: [h1, h2] }
            : input === "idle"
              ? { targets: hosts, placement: [h1, h2, h1] }
              : (input as Partial<StreamingClusterProps>);
    expect(() => cluster(props)).toThrow(message);
    void h3;
  });
});
