import { Testing } from "cdktf";
import { afterAll, describe, expect, it } from "vitest";
import { MultiHostStack, multiHostStackPropsFromEnv } from "../../apps/multi-host/multi-host-stack";
import { removeTempDirs, synthJson, tempLockFile, validationErrors } from "../constructs/fixtures";

const env = {
  SLUICE_HOST_H1: "unix:///run/sluice-hosts/h1/docker.sock",
  SLUICE_HOST_H1_ADDRESS: "10.77.0.2",
  SLUICE_HOST_H2: "tcp://10.77.0.3:2376",
  SLUICE_HOST_H2_ADDRESS: "10.77.0.3",
  SLUICE_HOST_H2_CERT_PATH: "/certs",
  SLUICE_HOST_H3: "ssh://root@10.77.0.4",
  SLUICE_HOST_H3_ADDRESS: "10.77.0.4",
  SLUICE_HOST_H3_SSH_OPTS: "-i /keys/id  -o StrictHostKeyChecking=no",
  SLUICE_KAFKA_REPOSITORY: "local/apache-kafka",
};

afterAll(removeTempDirs);

describe("apps/multi-host", () => {
  it("reads three hosts from the environment, with TLS and SSH settings", () => {
    const props = multiHostStackPropsFromEnv(env);
    expect(props.hosts.map((h) => [h.endpoint, h.address])).toEqual([
      ["unix:///run/sluice-hosts/h1/docker.sock", "10.77.0.2"],
      ["tcp://10.77.0.3:2376", "10.77.0.3"],
      ["ssh://root@10.77.0.4", "10.77.0.4"],
    ]);
    expect(props.hosts[1]?.certPath).toBe("/certs");
    expect(props.hosts[2]?.sshOptions).toEqual([
      "-i",
      "/keys/id",
      "-o",
      "StrictHostKeyChecking=no",
    ]);
  });

  it("refuses an environment without a host, naming the variables", () => {
    expect(() => multiHostStackPropsFromEnv({ ...env, SLUICE_HOST_H2_ADDRESS: "" })).toThrow(
      "SLUICE_HOST_H2 and SLUICE_HOST_H2_ADDRESS must name host 2's engine and address",
    );
  });

  it("synthesizes one broker per host and passes every synth check", () => {
    const stack = new MultiHostStack(Testing.app(), "sluice-multi", {
      ...multiHostStackPropsFromEnv(env),
      lockFile: tempLockFile(),
    });
    expect(validationErrors(stack)).toBe("");
    expect(stack.cluster.placement.map((p) => p.target.node.id)).toEqual(["h1", "h2", "h3"]);
    const json = synthJson(stack);
    expect(json.output["sluice-multi-bootstrap-servers"]?.value).toBe(
      "10.77.0.2:9092,10.77.0.3:9093,10.77.0.4:9094",
    );
  });
});
