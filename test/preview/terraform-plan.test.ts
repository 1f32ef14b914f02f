import * as fs from "node:fs";
import * as path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { planCommand } from "../../lib/cli/plan-command";
import { Engine } from "../../lib/constructs/engine";
import { RemovalPolicy } from "../../lib/constructs/removal-policy";
import { planPreviewDocumentSchema } from "../../lib/preview/plan-preview";
import { type Define, removeSynthDirs, synth, tempDir } from "./fixtures";

// `sluice plan --terraform-plan`: real synth outputs, and Terraform plans in `terraform show -json`'s
// format naming the real addresses of the head's cdk.tf.json (the e2e suite runs a real `terraform plan`).

afterAll(removeSynthDirs);

const orders: Define = (c) => {
  c.addTopic("orders", { partitions: 3 });
};
const ordersGrown: Define = (c) => {
  c.addTopic("orders", { partitions: 6 });
};

/** The address of the head's resource whose construct path ends with `suffix`. */
function address(head: string, suffix: string): string {
  const json = JSON.parse(
    fs.readFileSync(path.join(head, "stacks", "app", "cdk.tf.json"), "utf8"),
  ) as Record<string, Record<string, Record<string, { "//"?: { metadata?: { path?: string } } }>>>;
  for (const [type, resources] of Object.entries(json["resource"] ?? {})) {
    for (const [name, r] of Object.entries(resources)) {
      if (r["//"]?.metadata?.path?.endsWith(suffix)) return `${type}.${name}`;
    }
  }
  throw new Error(`no resource at …${suffix}`);
}

/** A `terraform show -json` document with these resource changes. */
function terraformPlan(changes: { address: string; actions: string[] }[]): string {
  const file = path.join(tempDir("sluice-tfplan-"), "plan.json");
  fs.writeFileSync(
    file,
    JSON.stringify({
      format_version: "1.2",
      terraform_version: "1.5.7",
      resource_changes: changes.map((c) => {
        const [type = "", name = ""] = c.address.split(".");
        return {
          address: c.address,
          mode: "managed",
          type,
          name,
          provider_name: "registry.terraform.io/kreuzwerker/docker",
          change: { actions: c.actions, before: {}, after: {} },
        };
      }),
    }),
  );
  return file;
}

function plan(base: string, head: string, tfPlan: string, format = "json") {
  const out: string[] = [];
  const err: string[] = [];
  const code = planCommand(
    ["--base", base, "--head", head, "--terraform-plan", tfPlan, "--format", format],
    {
      out: (l) => out.push(l),
      err: (l) => err.push(l),
      env: {},
      readFile: (f) => fs.readFileSync(f, "utf8"),
    },
  );
  return { code, out: out.join("\n"), err: err.join("\n") };
}

function planJson(base: string, head: string, tfPlan: string) {
  const r = plan(base, head, tfPlan);
  expect(r.err).toBe("");
  return { code: r.code, preview: planPreviewDocumentSchema.parse(JSON.parse(r.out)) };
}

const REPLACE = ["delete", "create"];

describe("sluice plan --terraform-plan: agreement", () => {
  it("maps each resource to its construct and to the preview's change it carries out", () => {
    const base = synth(orders);
    const head = synth(ordersGrown);
    const apply = address(head, "/cluster/docker/apply");
    const { code, preview } = planJson(
      base,
      head,
      terraformPlan([{ address: apply, actions: REPLACE }]),
    );
    expect(code).toBe(2);
    expect(preview.terraform?.resources).toEqual([
      {
        address: apply,
        action: "replace",
        constructPath: "app/cluster/docker/apply",
        cluster: "events",
        part: "the desired state `sluice apply` brings the cluster to",
        belongsTo: "topic orders: partitions 3 → 6 [applied live]",
      },
    ]);
    expect(preview.clusters[0]?.hazards).toEqual([]);
    expect(preview.verdict).toBe("1 topic changed · Terraform: 1 to replace");
  });

  it("a new broker image: the broker's container replaced, as the preview said", () => {
    const base = synth(orders);
    const head = synth(orders, { engine: Engine.bundled({ baseImage: "local/node:test" }) });
    const container = address(head, "/cluster/broker-0/broker/container");
    const { code, preview } = planJson(
      base,
      head,
      terraformPlan([
        { address: container, actions: REPLACE },
        { address: address(head, "/cluster/docker/image"), actions: REPLACE },
      ]),
    );
    expect(preview.clusters[0]?.hazards.map((h) => h.code)).toEqual(["BROKER_RESTART"]);
    expect(code).toBe(3);
    const broker = preview.terraform?.resources.find((r) => r.address === container);
    expect(broker?.part).toBe("broker-0's container");
    expect(broker?.belongsTo).toMatch(/^broker \(all\): image .* \[broker restart\]$/);
  });

  it("shows Terraform's plan in text and markdown", () => {
    const base = synth(orders);
    const head = synth(ordersGrown);
    const apply = address(head, "/cluster/docker/apply");
    const tf = terraformPlan([{ address: apply, actions: REPLACE }]);
    const text = plan(base, head, tf, "text");
    expect(text.out).toContain(`terraform plan ${tf}: 1 to replace`);
    expect(text.out).toContain(`  -/+ ${apply} (app/cluster/docker/apply): the desired state`);
    const markdown = plan(base, head, tf, "markdown");
    expect(markdown.out).toContain("<details><summary>Terraform plan: 1 to replace</summary>");
  });
});

describe("sluice plan --terraform-plan: disagreement (TERRAFORM_DISAGREES)", () => {
  it("a broker container Terraform replaces where the preview called every change live: error, exit 3", () => {
    const base = synth(orders);
    const head = synth(ordersGrown);
    const container = address(head, "/cluster/broker-0/broker/container");
    const { code, preview } = planJson(
      base,
      head,
      terraformPlan([{ address: container, actions: REPLACE }]),
    );
    expect(code).toBe(3);
    expect(preview.clusters[0]?.hazards).toEqual([
      {
        code: "TERRAFORM_DISAGREES",
        severity: "error",
        subject: "broker",
        name: "broker-0",
        reason: `Terraform would replace ${container} (app/cluster/broker-0/broker/container), broker-0's container, but the offline preview has no restart of broker-0: its clients would see it restart`,
        acknowledged: false,
      },
    ]);
  });

  it("an in-place update of a broker container is a warning", () => {
    const base = synth(orders);
    const container = address(base, "/cluster/broker-0/broker/container");
    const { code, preview } = planJson(
      base,
      base,
      terraformPlan([{ address: container, actions: ["update"] }]),
    );
    expect(code).toBe(3);
    expect(preview.clusters).toEqual([
      expect.objectContaining({
        cluster: "events",
        changes: [],
        hazards: [expect.objectContaining({ code: "TERRAFORM_DISAGREES", severity: "warning" })],
      }),
    ]);
  });

  it("a data volume Terraform replaces without a volume hazard in the preview: error", () => {
    const props = { storageRemovalPolicy: RemovalPolicy.DESTROY };
    const base = synth(orders, props);
    const volume = address(base, "/cluster/broker-0/data/docker");
    const { code, preview } = planJson(
      base,
      base,
      terraformPlan([{ address: volume, actions: REPLACE }]),
    );
    expect(code).toBe(3);
    expect(preview.clusters[0]?.hazards[0]).toMatchObject({
      code: "TERRAFORM_DISAGREES",
      severity: "error",
      subject: "volume",
      name: "broker-0",
    });
    expect(preview.clusters[0]?.hazards[0]?.reason).toContain("with its records");
  });

  it("a restart the preview expects but Terraform does not plan: a warning (is the plan of the head?)", () => {
    const base = synth(orders);
    const head = synth(orders, { brokerMemoryMiB: 1024 });
    const apply = address(head, "/cluster/docker/apply");
    const { code, preview } = planJson(
      base,
      head,
      terraformPlan([{ address: apply, actions: ["update"] }]),
    );
    expect(code).toBe(3);
    const disagree = preview.clusters[0]?.hazards.filter((h) => h.code === "TERRAFORM_DISAGREES");
    expect(disagree).toEqual([
      expect.objectContaining({
        severity: "warning",
        name: "broker-0",
        reason: expect.stringContaining(
          "Terraform's plan changes no broker container or instance of events; is the plan of the head?",
        ),
      }),
    ]);
  });
});

describe("sluice plan --terraform-plan: bad input (exit 1)", () => {
  it.each([
    [
      "a missing file",
      () => "/nonexistent/plan.json",
      "/nonexistent/plan.json: no such file; pass the output of `terraform show -json PLANFILE`",
    ],
    [
      "not JSON",
      () => {
        const f = path.join(tempDir("sluice-tfplan-"), "plan.json");
        fs.writeFileSync(f, "Terraform will perform the following actions:");
        return f;
      },
      "plan.json: Unexpected token",
    ],
    [
      "JSON that is not a plan",
      () => {
        const f = path.join(tempDir("sluice-tfplan-"), "plan.json");
        fs.writeFileSync(f, JSON.stringify({ resources: [] }));
        return f;
      },
      "plan.json: not the JSON of a Terraform plan (`terraform show -json PLANFILE`): format_version",
    ],
    [
      "a plan of another app",
      () => terraformPlan([{ address: "aws_instance.web", actions: ["create"] }]),
      "none of its 1 resource changes (aws_instance.web…) is in",
    ],
  ])("%s", (_what, file, message) => {
    const r = plan(synth(orders), synth(ordersGrown), file());
    expect(r.code).toBe(1);
    expect(r.err).toContain(message);
  });
});
