import { z } from "zod";
import { EXIT_CODES } from "../exit-codes";

/** Version of the `sluice plan --format json` document. */
export const PLAN_PREVIEW_VERSION = 1;

/** What a change does to the running platform. */
export const consequenceSchema = z.enum([
  "applied live",
  "broker restart",
  "rolling restart",
  "data loss",
  "credential rotation",
  "left on the cluster",
  "refused",
]);
export type Consequence = z.output<typeof consequenceSchema>;

/** What a change is about, keyed by its Kafka identity (never by Terraform address). */
export const subjectKindSchema = z.enum([
  "topic",
  "tenant",
  "principal",
  "acl",
  "quota",
  "broker",
  "volume",
]);
export type SubjectKind = z.output<typeof subjectKindSchema>;

/** The name of a change that concerns every broker of a cluster. */
export const ALL_BROKERS = "(all)";

/** One field of a change, old → new, as people read it (units, defaults). */
export const fieldChangeSchema = z.strictObject({
  field: z.string(),
  before: z.string(),
  after: z.string(),
});
export type FieldChange = z.output<typeof fieldChangeSchema>;

/** One change to a cluster. */
export const previewChangeSchema = z.strictObject({
  subject: subjectKindSchema,
  /** The Kafka identity: topic name, principal, tenant, ACL or quota entity, broker id. */
  name: z.string(),
  action: z.enum(["add", "remove", "change"]),
  /** The tenant it belongs to, or null. */
  tenant: z.string().nullable(),
  /** One line, e.g. `partitions 3 → 5`. */
  summary: z.string(),
  fields: z.array(fieldChangeSchema),
  consequence: consequenceSchema,
});
export type PreviewChange = z.output<typeof previewChangeSchema>;

/** Hazard codes, each one kind of risk (docs/plan-preview.md explains each). */
export const hazardCodeSchema = z.enum([
  "TOPIC_DELETED",
  "PARTITIONS_DECREASED",
  "PARTITIONS_GROWN_COMPACTED",
  "RETENTION_CUT",
  "CLEANUP_POLICY_CHANGED",
  "REPLICATION_FACTOR_CHANGED",
  "MIN_INSYNC_REPLICAS_UNSAFE",
  "PRINCIPAL_LOCKED_OUT",
  "VOLUME_DESTROYED",
  "VOLUME_REPLACED",
  "VOLUME_SHRUNK",
  "BROKER_RESTART",
  "BROKER_MOVED",
  "TERRAFORM_DISAGREES",
  "CLUSTER_REFUSES",
  "ACL_UNKNOWN_PRINCIPAL",
  "ENGINE_SWITCHED",
  "AUTHENTICATION_REQUIRED",
]);
export type HazardCode = z.output<typeof hazardCodeSchema>;

/** A risk a change carries. */
export const hazardSchema = z.strictObject({
  code: hazardCodeSchema,
  severity: z.enum(["error", "warning"]),
  subject: subjectKindSchema,
  name: z.string(),
  reason: z.string(),
  /** The app acknowledges it explicitly (e.g. `allowPartitionDecrease`, `allowVolumeShrink`). */
  acknowledged: z.boolean(),
});
export type Hazard = z.output<typeof hazardSchema>;

/** The preview of one cluster. */
export const clusterPreviewSchema = z.strictObject({
  cluster: z.string(),
  action: z.enum(["add", "remove", "change"]),
  changes: z.array(previewChangeSchema),
  /** Errors first, then by code and subject. */
  hazards: z.array(hazardSchema),
});
export type ClusterPreview = z.output<typeof clusterPreviewSchema>;

/** What Terraform would do to one resource (`terraform show -json`, reads and no-ops left out). */
export const terraformActionSchema = z.enum(["create", "update", "replace", "delete"]);
export type TerraformAction = z.output<typeof terraformActionSchema>;

/** One resource of Terraform's plan, mapped back to the app and to the preview. */
export const terraformResourceSchema = z.strictObject({
  /** Terraform's address, `docker_container.cluster_broker-0_…`. */
  address: z.string(),
  action: terraformActionSchema,
  /** The construct path (cdktf's metadata in the head's `cdk.tf.json`), or null if not found. */
  constructPath: z.string().nullable(),
  /** The cluster it belongs to, or null. */
  cluster: z.string().nullable(),
  /** What it is to the platform, e.g. `broker-0's container`. */
  part: z.string(),
  /** The preview's changes it carries out, or `no change in the offline preview`. */
  belongsTo: z.string(),
});
export type TerraformResource = z.output<typeof terraformResourceSchema>;

/** A change the live cluster would refuse (`--bootstrap`). */
export const liveRefusalSchema = z.strictObject({
  subject: z.enum(["topic", "quota", "tenant", "principal", "acl"]),
  name: z.string(),
  /** What was asked, e.g. `partitions 6 → 3`. */
  change: z.string(),
  /** The broker's error message, or `sluice apply`'s reason. */
  error: z.string(),
  by: z.enum(["broker", "sluice apply"]),
});

/** What the live cluster said about the head's desired state (`--bootstrap`). */
export const liveCheckSchema = z.strictObject({
  bootstrap: z.string(),
  cluster: z.string(),
  /** What `sluice apply` would change on the live cluster now (its dry run), one line each. */
  pendingChanges: z.array(z.string()),
  refusals: z.array(liveRefusalSchema),
});
export type LiveCheck = z.output<typeof liveCheckSchema>;

/** The whole preview: what `sluice plan` computes. */
export const planPreviewSchema = z.strictObject({
  version: z.literal(PLAN_PREVIEW_VERSION),
  base: z.string(),
  head: z.string(),
  /** Only clusters with changes or hazards, by name. */
  clusters: z.array(clusterPreviewSchema),
  /** With `--terraform-plan`: Terraform's plan of the head, resource by resource. */
  terraform: z
    .strictObject({
      /** The `terraform show -json` file read. */
      plan: z.string(),
      resources: z.array(terraformResourceSchema),
    })
    .optional(),
  /** With `--bootstrap`: the head's desired state validated against the live cluster. */
  live: liveCheckSchema.optional(),
});
export type PlanPreview = z.output<typeof planPreviewSchema>;

/** The `--format json` document: the preview and its verdict line. */
export const planPreviewDocumentSchema = planPreviewSchema.extend({
  /** The one-line verdict, e.g. `2 hazards · 3 topics added · 1 broker restart`. */
  verdict: z.string(),
});

/** The JSON Schema of `sluice plan --format json` (published as docs/plan-preview.schema.json). */
export function planPreviewJsonSchema(): Record<string, unknown> {
  return {
    ...z.toJSONSchema(planPreviewDocumentSchema),
    $id: "https://sluice.dev/schemas/plan-preview-v1.json",
    title: "Sluice plan preview (version 1)",
  };
}

/** Hazards in the preview's stable order: errors first, then by code, subject and name. */
export function sortHazards(hazards: readonly Hazard[]): Hazard[] {
  const rank = (h: Hazard) => `${h.severity === "error" ? 0 : 1} ${h.code} ${h.subject} ${h.name}`;
  return [...hazards].sort((a, b) => (rank(a) < rank(b) ? -1 : rank(a) > rank(b) ? 1 : 0));
}

/**
 * The preview with `hazards` added to the named cluster's, in the stable order; a cluster the
 * preview did not list (no offline change) is added, in name order, when it gets any.
 */
export function withHazards(
  preview: PlanPreview,
  cluster: string,
  hazards: readonly Hazard[],
): PlanPreview {
  if (hazards.length === 0) return preview;
  const existing = preview.clusters.find((c) => c.cluster === cluster);
  const updated: ClusterPreview = {
    ...(existing ?? { cluster, action: "change", changes: [] }),
    hazards: sortHazards([...(existing?.hazards ?? []), ...hazards]),
  };
  const clusters = [...preview.clusters.filter((c) => c !== existing), updated].sort((a, b) =>
    a.cluster < b.cluster ? -1 : a.cluster > b.cluster ? 1 : 0,
  );
  return { ...preview, clusters };
}

/** Unacknowledged hazards over all clusters. */
export function unacknowledgedHazards(preview: PlanPreview): Hazard[] {
  return preview.clusters.flatMap((c) => c.hazards.filter((h) => !h.acknowledged));
}

/** The exit code a preview maps to. */
export function planExitCode(preview: PlanPreview): number {
  if (unacknowledgedHazards(preview).length > 0) return EXIT_CODES.hazards;
  return preview.clusters.length > 0 ? EXIT_CODES.changes : EXIT_CODES.ok;
}
