import * as fs from "node:fs";
import { z } from "zod";
import type { ClusterModel } from "./cluster-model";
import {
  ALL_BROKERS,
  type ClusterPreview,
  type Hazard,
  type PlanPreview,
  type PreviewChange,
  type SubjectKind,
  type TerraformAction,
  type TerraformResource,
  withHazards,
} from "./plan-preview";
import { PlanInputError, type SynthOutput } from "./synth-output";

/** The parts of `terraform show -json PLANFILE` the cross-check reads. */
const terraformPlanSchema = z.looseObject({
  format_version: z.string(),
  resource_changes: z
    .array(
      z.looseObject({
        address: z.string(),
        type: z.string(),
        mode: z.string().optional(),
        change: z.looseObject({ actions: z.array(z.string()) }),
      }),
    )
    .optional(),
});

/** One resource change of a Terraform plan. */
export interface TerraformChange {
  readonly address: string;
  readonly type: string;
  readonly action: TerraformAction;
}

/**
 * Reads `terraform show -json` output: the resources Terraform would create, update, replace or
 * destroy (reads and no-ops left out). Throws {@link PlanInputError} naming the file and what is wrong.
 */
export function readTerraformPlan(file: string): TerraformChange[] {
  let raw: unknown;
  try {
    raw = JSON.parse(fs.readFileSync(file, "utf8"));
  } catch (e) {
    const reason =
      (e as NodeJS.ErrnoException).code === "ENOENT" ? "no such file" : (e as Error).message;
    throw new PlanInputError(
      `${file}: ${reason}; pass the output of \`terraform show -json PLANFILE\` (after \`terraform plan -out PLANFILE\`)`,
    );
  }
  const parsed = terraformPlanSchema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new PlanInputError(
      `${file}: not the JSON of a Terraform plan (\`terraform show -json PLANFILE\`): ${issue?.path.join(".") || "(root)"} ${issue?.message ?? ""}`.trim(),
    );
  }
  const changes: TerraformChange[] = [];
  for (const rc of parsed.data.resource_changes ?? []) {
    if (rc.mode === "data") continue;
    const action = terraformAction(rc.change.actions);
    if (action !== undefined) changes.push({ address: rc.address, type: rc.type, action });
  }
  return changes;
}

/** Terraform's action list as one verb; undefined for no-op and read. */
function terraformAction(actions: readonly string[]): TerraformAction | undefined {
  const key = [...actions].sort().join(",");
  switch (key) {
    case "create":
      return "create";
    case "update":
      return "update";
    case "delete":
      return "delete";
    case "create,delete":
      return "replace";
    default:
      return undefined;
  }
}

/** cdktf's metadata of a resource in `cdk.tf.json`: the construct path. */
interface CdktfJson {
  resource?: Record<string, Record<string, { "//"?: { metadata?: { path?: string } } }>>;
}

/** Resource address (`type.name`) → construct path, over every stack of a synth output. */
export function constructPaths(output: SynthOutput): Map<string, string> {
  const paths = new Map<string, string>();
  for (const file of output.stackFiles) {
    let json: CdktfJson;
    try {
      json = JSON.parse(fs.readFileSync(file, "utf8")) as CdktfJson;
    } catch (e) {
      throw new PlanInputError(`${file}: not valid JSON (${(e as Error).message})`);
    }
    for (const [type, resources] of Object.entries(json.resource ?? {})) {
      for (const [name, resource] of Object.entries(resources)) {
        const p = resource["//"]?.metadata?.path;
        if (p !== undefined) paths.set(`${type}.${name}`, p);
      }
    }
  }
  return paths;
}

/** What a resource is to the platform. */
interface Part {
  readonly cluster: string | null;
  /** `broker` (what runs a broker), `volume`, `apply`, `tenant`, `image`, `infrastructure`. */
  readonly role: "broker" | "volume" | "apply" | "tenant" | "image" | "infrastructure";
  /** broker-N, tenant name, or null. */
  readonly name: string | null;
  /** How people call it: `broker-0's container`. */
  readonly label: string;
}

/** Resource types that run a broker: replacing one restarts it. */
const BROKER_RUNTIME_TYPES = new Set(["docker_container", "aws_instance"]);
/** Resource types that hold a broker's data. */
const VOLUME_TYPES = new Set(["docker_volume", "aws_ebs_volume"]);

function partOf(type: string, path: string | undefined, clusters: readonly ClusterModel[]): Part {
  const model = clusters.find((c) => path?.startsWith(`${c.constructPath}/`));
  if (path === undefined || model === undefined) {
    return {
      cluster: null,
      role: "infrastructure",
      name: null,
      label: "outside any Sluice cluster",
    };
  }
  const cluster = model.cluster;
  const rest = path.slice(model.constructPath.length + 1).split("/");
  const broker = /^broker-\d+$/.exec(rest[0] ?? "")?.[0];
  if (broker !== undefined) {
    if (VOLUME_TYPES.has(type))
      return { cluster, role: "volume", name: broker, label: `${broker}'s data volume` };
    if (BROKER_RUNTIME_TYPES.has(type)) {
      return {
        cluster,
        role: "broker",
        name: broker,
        label: `${broker}'s ${type === "aws_instance" ? "instance" : "container"}`,
      };
    }
    return { cluster, role: "infrastructure", name: broker, label: `${broker}'s ${type}` };
  }
  if (rest[0] === "tenants" && rest[1] !== undefined) {
    return { cluster, role: "tenant", name: rest[1], label: `tenant ${rest[1]}'s ${type}` };
  }
  if (rest.includes("apply") || rest.includes("manifest") || rest.includes("credentials")) {
    return {
      cluster,
      role: "apply",
      name: null,
      label: "the desired state `sluice apply` brings the cluster to",
    };
  }
  // Each host of a cluster has its own image resource (`image`, `image-<host>`, `broker-image-<host>`).
  const image = (id: string) => /^(broker-)?image(-[^/]+)?$/.test(id) && id !== "image-context";
  if (rest.some(image) || rest.includes("artifact") || rest.includes("kafka")) {
    return { cluster, role: "image", name: null, label: "the broker software" };
  }
  return { cluster, role: "infrastructure", name: null, label: `cluster infrastructure (${type})` };
}

/** The preview's changes a Terraform change belongs to, as one line. */
function belongsTo(part: Part, cluster: ClusterPreview | undefined): string {
  const changes = cluster?.changes ?? [];
  const pick = (keep: (c: PreviewChange) => boolean) => changes.filter(keep);
  let related: PreviewChange[];
  switch (part.role) {
    case "broker":
      related = pick(
        (c) => c.subject === "broker" && (c.name === part.name || c.name === ALL_BROKERS),
      );
      break;
    case "volume":
      related = pick((c) => c.subject === "volume" && c.name === part.name);
      break;
    case "apply":
      related = pick(
        (c) =>
          c.consequence !== "broker restart" &&
          c.consequence !== "rolling restart" &&
          c.subject !== "broker" &&
          c.subject !== "volume",
      );
      break;
    case "tenant":
      related = pick(
        (c) => c.tenant === part.name || (c.subject === "tenant" && c.name === part.name),
      );
      break;
    case "image":
      related = pick((c) => c.subject === "broker");
      break;
    default:
      related = [];
  }
  if (related.length === 0) return "no change in the offline preview";
  const shown = related
    .slice(0, 3)
    .map((c) => `${c.subject} ${c.name}: ${c.summary} [${c.consequence}]`);
  return related.length > 3
    ? `${shown.join("; ")}; and ${related.length - 3} more`
    : shown.join("; ");
}

const RESTARTS = new Set(["broker restart", "rolling restart"]);

/** A change that replaces broker containers: a restart, or an engine switch (data loss). */
function replacesBrokers(c: PreviewChange): boolean {
  return RESTARTS.has(c.consequence) || (c.subject === "broker" && c.consequence === "data loss");
}

/**
 * Checks the offline preview against Terraform's own plan of the head: maps every resource Terraform
 * would create, update, replace or destroy to its construct path and to the preview's change it
 * belongs to, and adds a `TERRAFORM_DISAGREES` hazard wherever the two tell different stories — a
 * broker's container or instance replaced where the preview called every change live, a data volume
 * destroyed or replaced where it saw no volume hazard, or a restart the preview expects that
 * Terraform does not plan.
 */
export function crossCheckTerraform(
  preview: PlanPreview,
  plan: readonly TerraformChange[],
  planFile: string,
  head: SynthOutput,
): PlanPreview {
  const paths = constructPaths(head);
  const models = [...head.clusters.values()];
  const unknown = plan.filter((c) => !paths.has(c.address));
  if (unknown.length > 0 && unknown.length === plan.length) {
    throw new PlanInputError(
      `${planFile}: none of its ${plan.length} resource changes (${unknown
        .slice(0, 3)
        .map((c) => c.address)
        .join(", ")}…) is in ${head.dir}: the plan is not of the head's synth output`,
    );
  }
  const offline = new Map(preview.clusters.map((c) => [c.cluster, c]));
  const added = new Map<string, Hazard[]>();
  const disagree = (cluster: string, hazard: Hazard) =>
    added.set(cluster, [...(added.get(cluster) ?? []), hazard]);
  const resources: TerraformResource[] = [];
  const runtimeChanged = new Map<string, Set<string>>();
  for (const change of plan) {
    const constructPath = paths.get(change.address) ?? null;
    const part = partOf(change.type, constructPath ?? undefined, models);
    const cluster = part.cluster === null ? undefined : offline.get(part.cluster);
    resources.push({
      address: change.address,
      action: change.action,
      constructPath,
      cluster: part.cluster,
      part: part.label,
      belongsTo: belongsTo(part, cluster),
    });
    if (part.cluster === null || part.name === null) continue;
    if (part.role === "broker" && change.action !== "create") {
      const set = runtimeChanged.get(part.cluster) ?? new Set<string>();
      set.add(part.name);
      runtimeChanged.set(part.cluster, set);
      const restarting = (cluster?.changes ?? []).some(
        (c) => replacesBrokers(c) && (c.name === part.name || c.name === ALL_BROKERS),
      );
      const removed = (cluster?.changes ?? []).some(
        (c) => c.subject === "broker" && c.name === part.name && c.action === "remove",
      );
      if (!restarting && !removed) {
        disagree(
          part.cluster,
          disagreement(
            change.action === "update" ? "warning" : "error",
            "broker",
            part.name,
            `Terraform would ${change.action === "update" ? "update in place" : change.action} ${change.address} (${constructPath}), ${part.label}, but the offline preview has no restart of ${part.name}: its clients would see it ${change.action === "update" ? "change" : "restart"}`,
          ),
        );
      }
    }
    if (part.role === "volume" && (change.action === "delete" || change.action === "replace")) {
      const flagged = (cluster?.hazards ?? []).some(
        (h) =>
          (h.code === "VOLUME_DESTROYED" ||
            h.code === "VOLUME_REPLACED" ||
            h.code === "BROKER_MOVED") &&
          h.name === part.name,
      );
      if (!flagged) {
        disagree(
          part.cluster,
          disagreement(
            "error",
            "volume",
            part.name,
            `Terraform would ${change.action} ${change.address} (${constructPath}), ${part.label}, with its records, but the offline preview has no volume hazard for ${part.name}`,
          ),
        );
      }
    }
  }
  // Restarts the preview expects that Terraform does not plan: the plan may not be of the head.
  for (const c of preview.clusters) {
    const changed = runtimeChanged.get(c.cluster) ?? new Set<string>();
    for (const change of c.changes) {
      if (!replacesBrokers(change) || change.action !== "change") continue;
      if (change.name === ALL_BROKERS ? changed.size > 0 : changed.has(change.name)) continue;
      disagree(
        c.cluster,
        disagreement(
          "warning",
          "broker",
          change.name,
          `the offline preview expects ${change.consequence} (${change.summary}), but Terraform's plan changes no broker container or instance of ${c.cluster}; is the plan of the head?`,
        ),
      );
    }
  }
  let checked = preview;
  for (const [cluster, hazards] of added) checked = withHazards(checked, cluster, hazards);
  return { ...checked, terraform: { plan: planFile, resources } };
}

function disagreement(
  severity: Hazard["severity"],
  subject: SubjectKind,
  name: string,
  reason: string,
): Hazard {
  return { code: "TERRAFORM_DISAGREES", severity, subject, name, reason, acknowledged: false };
}
