import * as fs from "node:fs";
import * as path from "node:path";
import { Instance } from "@cdktf/provider-aws/lib/instance";
import { Testing } from "cdktf";
import { describe, expect, it } from "vitest";
import { AwsStack } from "../../apps/aws/aws-stack";

describe("apps/aws", () => {
  it("synthesizes one hardened broker instance with its cluster model", () => {
    const stack = new AwsStack(Testing.app(), "sluice-aws", { region: "us-east-2" });
    expect(Testing.synth(stack)).toHaveResourceWithProperties(Instance, {
      instance_type: "m7i.large",
      metadata_options: {
        http_tokens: "required",
        http_put_response_hop_limit: 1,
        http_endpoint: "enabled",
      },
    });
    expect(stack.cluster.toModel().manifest.topics?.map((t) => t.name)).toEqual([
      "billing.payments",
      "orders",
    ]);
  });
});

describe("apps/", () => {
  it("import Sluice only through its public entry points, as a user does", () => {
    const dir = path.join(__dirname, "..", "..", "apps");
    const files = fs
      .readdirSync(dir, { recursive: true })
      .map(String)
      .filter((f) => f.endsWith(".ts"));
    const deep = files.filter((f) =>
      /from\s+["'](\.\.\/)+lib\//.test(fs.readFileSync(path.join(dir, f), "utf8")),
    );
    expect(files.length).toBeGreaterThan(2);
    expect(deep).toEqual([]);
  });
});
