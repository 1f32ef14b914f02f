import * as fs from "node:fs";
import * as path from "node:path";
import { CLUSTER_MODEL_PREFIX, type ClusterModel, clusterModelSchema } from "./cluster-model";

/** A synth output `sluice plan` cannot read, or two outputs it cannot compare. */
export class PlanInputError extends Error {
  override readonly name = "PlanInputError";
}

/** The cluster models of one `cdktf.out` directory. */
export interface SynthOutput {
  /** The directory, as given. */
  readonly dir: string;
  /** Stack names, from cdktf's `manifest.json`. */
  readonly stacks: readonly string[];
  /** Cluster models by cluster name. */
  readonly clusters: ReadonlyMap<string, ClusterModel>;
  /** Each stack's `cdk.tf.json` that exists. */
  readonly stackFiles: readonly string[];
}

interface CdktfManifest {
  stacks?: Record<string, { workingDirectory?: string }>;
}

/**
 * Reads the cluster models of a synth output (`cdktf.out`): `manifest.json` names the stacks, and
 * each stack directory holds a `sluice-cluster-<name>.json` per cluster. Throws
 * {@link PlanInputError} naming the directory and what is missing or unreadable.
 */
export function readSynthOutput(dir: string): SynthOutput {
  if (!fs.existsSync(dir)) throw new PlanInputError(`${dir}: no such directory`);
  if (!fs.statSync(dir).isDirectory()) throw new PlanInputError(`${dir}: not a directory`);
  const manifestFile = path.join(dir, "manifest.json");
  if (!fs.existsSync(manifestFile)) {
    throw new PlanInputError(
      `${dir}: not a cdktf synth output (no manifest.json); run \`cdktf synth\` and pass its output directory (cdktf.out)`,
    );
  }
  let manifest: CdktfManifest;
  try {
    manifest = JSON.parse(fs.readFileSync(manifestFile, "utf8")) as CdktfManifest;
  } catch (e) {
    throw new PlanInputError(`${manifestFile}: not valid JSON (${(e as Error).message})`);
  }
  const stacks = manifest.stacks ?? {};
  const clusters = new Map<string, ClusterModel>();
  const stackFiles: string[] = [];
  for (const [stack, entry] of Object.entries(stacks)) {
    const stackDir = path.join(dir, entry.workingDirectory ?? path.join("stacks", stack));
    if (!fs.existsSync(stackDir)) {
      throw new PlanInputError(`${dir}: stack ${stack}'s directory ${stackDir} is missing`);
    }
    const stackFile = path.join(stackDir, "cdk.tf.json");
    if (fs.existsSync(stackFile)) stackFiles.push(stackFile);
    for (const file of fs.readdirSync(stackDir).sort()) {
      if (!file.startsWith(CLUSTER_MODEL_PREFIX) || !file.endsWith(".json")) continue;
      const model = readModel(path.join(stackDir, file));
      const other = clusters.get(model.cluster);
      if (other !== undefined) {
        throw new PlanInputError(
          `${dir}: cluster ${model.cluster} is defined twice (${other.constructPath} and ${model.constructPath})`,
        );
      }
      clusters.set(model.cluster, model);
    }
  }
  if (clusters.size === 0) {
    throw new PlanInputError(
      `${dir}: no Sluice cluster model (stacks/*/${CLUSTER_MODEL_PREFIX}*.json) in stacks ${Object.keys(stacks).join(", ") || "(none)"}; synthesize an app with a StreamingCluster with this version of Sluice`,
    );
  }
  return { dir, stacks: Object.keys(stacks).sort(), clusters, stackFiles };
}

function readModel(file: string): ClusterModel {
  let raw: unknown;
  try {
    raw = JSON.parse(fs.readFileSync(file, "utf8"));
  } catch (e) {
    throw new PlanInputError(`${file}: not valid JSON (${(e as Error).message})`);
  }
  const parsed = clusterModelSchema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new PlanInputError(
      `${file}: not a Sluice cluster model: ${issue?.path.join(".") || "(root)"} ${issue?.message ?? ""}`.trim(),
    );
  }
  return parsed.data;
}

/**
 * Checks that two outputs are of the same app: they must share a stack or a cluster. Outputs of
 * unrelated apps would show everything removed and everything added, which is never a preview.
 */
export function checkSameApp(base: SynthOutput, head: SynthOutput): void {
  const sharedStack = base.stacks.some((s) => head.stacks.includes(s));
  const sharedCluster = [...base.clusters.keys()].some((c) => head.clusters.has(c));
  if (!sharedStack && !sharedCluster) {
    throw new PlanInputError(
      `${base.dir} and ${head.dir} are outputs of different apps: no stack (${base.stacks.join(", ")} vs ${head.stacks.join(", ")}) and no cluster (${[...base.clusters.keys()].join(", ")} vs ${[...head.clusters.keys()].join(", ")}) in common`,
    );
  }
}
