import { Container } from "@cdktf/provider-docker/lib/container";
import { DockerProvider } from "@cdktf/provider-docker/lib/provider";
import { Testing } from "cdktf";
import { describe, expect, it } from "vitest";

describe("cdktf matchers under vitest", () => {
  const synthesized = Testing.synthScope((scope) => {
    new DockerProvider(scope, "docker", {});
    new Container(scope, "c", { name: "broker", image: "sha256:abc" });
  });

  it("finds a resource with matching properties", () => {
    expect(synthesized).toHaveResourceWithProperties(Container, { name: "broker" });
  });

  it("fails when properties do not match", () => {
    expect(synthesized).not.toHaveResourceWithProperties(Container, { name: "other" });
  });

  it("finds the provider", () => {
    expect(synthesized).toHaveProvider(DockerProvider);
  });
});
