import { formatChange } from "../manifest/format-plan";
import type { ManifestValidation } from "../manifest/validate-manifest";
import { type Hazard, type PlanPreview, withHazards } from "./plan-preview";

/**
 * Adds what the live cluster said to a preview: the changes `sluice apply` would make now, and a
 * `CLUSTER_REFUSES` hazard (error) for each change the broker — or `sluice apply` — would refuse,
 * and an `ACL_UNKNOWN_PRINCIPAL` hazard (warning) for each ACL that would grant nobody.
 */
export function withLiveCheck(
  preview: PlanPreview,
  cluster: string,
  bootstrap: string,
  validation: ManifestValidation,
): PlanPreview {
  const hazards: Hazard[] = validation.refusals.map((r) => ({
    code: "CLUSTER_REFUSES",
    severity: "error",
    subject: r.subject,
    name: r.name,
    reason: `${r.change === "" ? "" : `${r.change}: `}${r.by === "broker" ? "the broker refuses it" : "sluice apply refuses it"}: ${r.error}`,
    acknowledged: false,
  }));
  for (const a of validation.unknownPrincipalAcls) {
    hazards.push({
      code: "ACL_UNKNOWN_PRINCIPAL",
      severity: "warning",
      subject: "acl",
      name: a.acl,
      reason: `${a.principal} has no credential on the cluster and is no principal of the app: the ACL would grant nobody (a typo, or a principal removed elsewhere?)`,
      acknowledged: false,
    });
  }
  return {
    ...withHazards(preview, cluster, hazards),
    live: {
      bootstrap,
      cluster,
      pendingChanges: validation.changes.map(formatChange),
      refusals: validation.refusals.map((r) => ({ ...r })),
    },
  };
}
