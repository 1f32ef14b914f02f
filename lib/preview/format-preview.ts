import {
  type Hazard,
  type PlanPreview,
  type PreviewChange,
  type TerraformResource,
  unacknowledgedHazards,
} from "./plan-preview";

/** The one-line verdict: `2 hazards · 3 topics added · 1 broker restart`, or `no changes`. */
export function verdict(preview: PlanPreview): string {
  const parts: string[] = [];
  const open = unacknowledgedHazards(preview).length;
  const acknowledged = preview.clusters.flatMap((c) => c.hazards).length - open;
  if (open > 0) parts.push(plural(open, "hazard"));
  if (acknowledged > 0) parts.push(`${plural(acknowledged, "acknowledged hazard")}`);
  const changes = preview.clusters.flatMap((c) => c.changes);
  const counts = new Map<string, number>();
  for (const c of changes) {
    const label = `${c.subject} ${pastTense(c.action)}`;
    counts.set(label, (counts.get(label) ?? 0) + 1);
  }
  for (const [label, n] of counts) {
    const [subject = "", action = ""] = label.split(" ");
    parts.push(`${plural(n, subject === "acl" ? "ACL" : subject)} ${action}`);
  }
  const restarts = changes.filter(
    (c) => c.consequence === "broker restart" || c.consequence === "rolling restart",
  ).length;
  if (restarts > 0) parts.push(plural(restarts, "broker restart"));
  if (preview.terraform !== undefined)
    parts.push(`Terraform: ${terraformCounts(preview.terraform.resources)}`);
  return parts.length === 0 ? "no changes" : parts.join(" · ");
}

/** `1 to replace, 2 to update`, or `no changes`, as Terraform counts them. */
function terraformCounts(resources: readonly TerraformResource[]): string {
  const order = ["create", "update", "replace", "delete"] as const;
  const counts = order
    .map((a) => [a, resources.filter((r) => r.action === a).length] as const)
    .filter(([, n]) => n > 0)
    .map(([a, n]) => `${n} to ${a === "delete" ? "destroy" : a}`);
  return counts.length === 0 ? "no changes" : counts.join(", ");
}

/** `live cluster 127.0.0.1:9092 (events): 2 changes sluice apply would make now, 1 refused`. */
function liveHeading(live: NonNullable<PlanPreview["live"]>): string {
  const refused =
    live.refusals.length > 0 ? `, ${live.refusals.length} refused (see the hazards)` : "";
  return `live cluster ${live.bootstrap} (${live.cluster}): ${plural(live.pendingChanges.length, "change")} sluice apply would make now${refused}`;
}

const TERRAFORM_SIGN: Record<TerraformResource["action"], string> = {
  create: "+",
  update: "~",
  replace: "-/+",
  delete: "-",
};

/** One resource of Terraform's plan, as a line: sign, address, construct, what it carries out. */
function terraformLine(r: TerraformResource): string {
  return `${TERRAFORM_SIGN[r.action]} ${r.address} (${r.constructPath ?? "no construct path"}): ${r.part} — ${r.belongsTo}`;
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? "" : "s"}`;
}

function pastTense(action: PreviewChange["action"]): string {
  return action === "add" ? "added" : action === "remove" ? "removed" : "changed";
}

const SIGN: Record<PreviewChange["action"], string> = { add: "+", remove: "-", change: "~" };

/** Changes of one cluster, grouped by tenant (cluster-wide first). */
export function groupByTenant(
  changes: readonly PreviewChange[],
): [string | null, PreviewChange[]][] {
  const groups = new Map<string | null, PreviewChange[]>();
  for (const c of changes) {
    const list = groups.get(c.tenant) ?? [];
    list.push(c);
    groups.set(c.tenant, list);
  }
  return [...groups.entries()].sort(([a], [b]) =>
    a === b ? 0 : a === null ? -1 : b === null ? 1 : a < b ? -1 : 1,
  );
}

/** The preview for a terminal: verdict, hazards, then the changes per cluster and tenant. */
export function formatPreviewText(preview: PlanPreview): string {
  const lines = [`sluice plan: ${verdict(preview)}`];
  for (const cluster of preview.clusters) {
    lines.push(
      "",
      `cluster ${cluster.cluster}${cluster.action === "change" ? "" : ` (${pastTense(cluster.action)})`}`,
    );
    for (const h of cluster.hazards) {
      const state = h.acknowledged ? "acknowledged" : h.severity.toUpperCase();
      lines.push(`  ! ${state} ${h.code} ${h.subject} ${h.name}: ${h.reason}`);
    }
    for (const [tenant, changes] of groupByTenant(cluster.changes)) {
      const indent = tenant === null ? "  " : "    ";
      if (tenant !== null) lines.push(`  tenant ${tenant}`);
      for (const c of changes) {
        lines.push(
          `${indent}${SIGN[c.action]} ${c.subject} ${c.name}: ${c.summary} [${c.consequence}]`,
        );
      }
    }
  }
  if (preview.terraform !== undefined) {
    lines.push(
      "",
      `terraform plan ${preview.terraform.plan}: ${terraformCounts(preview.terraform.resources)}`,
    );
    for (const r of preview.terraform.resources) lines.push(`  ${terraformLine(r)}`);
  }
  if (preview.live !== undefined) {
    lines.push("", liveHeading(preview.live));
    for (const c of preview.live.pendingChanges) lines.push(`  ${c}`);
  }
  return `${lines.join("\n")}\n`;
}

/** The preview as JSON: the versioned document of `docs/plan-preview.schema.json`. */
export function formatPreviewJson(preview: PlanPreview): string {
  return `${JSON.stringify({ ...preview, verdict: verdict(preview) }, null, 2)}\n`;
}

/** The hidden marker of the pull-request comment: CI finds the comment by it and updates it in place. */
export const PREVIEW_COMMENT_MARKER = "<!-- sluice-plan-preview -->";

/** GitHub refuses comments over 65,536 characters; stay below with room for the footer. */
export const MARKDOWN_LIMIT = 65_536;

/** Escapes text for a Markdown table cell or list item. */
function md(text: string): string {
  return text.replace(/\|/g, "\\|").replace(/</g, "&lt;").replace(/\n/g, " ");
}

/**
 * The preview as a pull-request comment: the marker, the verdict, every hazard, then the changes per
 * cluster and tenant in collapsed sections. Always under {@link MARKDOWN_LIMIT} characters: details
 * are cut (with a note) before the verdict or a hazard ever is.
 */
export function formatPreviewMarkdown(preview: PlanPreview, limit = MARKDOWN_LIMIT): string {
  const head: string[] = [PREVIEW_COMMENT_MARKER, `### Sluice plan: ${md(verdict(preview))}`, ""];
  const hazards = preview.clusters.flatMap((c) =>
    c.hazards.map((h) => ({ cluster: c.cluster, h })),
  );
  if (hazards.length > 0) {
    const state = (h: Hazard) =>
      h.acknowledged ? "✅ acknowledged" : h.severity === "error" ? "⛔ error" : "⚠️ warning";
    const table = [
      "| | hazard | cluster | subject | why |",
      "|---|---|---|---|---|",
      ...hazards.map(
        ({ cluster, h }) =>
          `| ${state(h)} | \`${h.code}\` | ${md(cluster)} | ${h.subject} \`${md(h.name)}\` | ${md(h.reason)} |`,
      ),
    ];
    // Very many hazards: every one still listed, grouped by kind, without its reason.
    const groups = new Map<string, string[]>();
    for (const { cluster, h } of hazards) {
      const key = `- ${state(h)} \`${h.code}\` ${md(cluster)} ${h.subject}:`;
      const names = groups.get(key) ?? [];
      names.push(`\`${md(h.name)}\``);
      groups.set(key, names);
    }
    const compact = [...groups].map(([key, names]) => `${key} ${names.join(", ")}`);
    // The hazards may take all but the room the verdict and a note need; details go first.
    const room = limit - 4000;
    const fits = (lines: string[]) => lines.join("\n").length < room;
    head.push(...(fits(table) ? table : fits(compact) ? compact : truncated(compact, room)), "");
  }
  const footer =
    "\n<sub>`sluice plan` compares two synth outputs offline; `--format json` has every detail.</sub>\n";
  const closing = "</details>\n";
  let text = `${head.join("\n")}\n`;
  // Room kept for closing an open section, the omission note and the footer.
  const budget = limit - footer.length - closing.length - 300;
  let omitted = 0;
  for (const cluster of preview.clusters) {
    const summary = `<details><summary>cluster <b>${md(cluster.cluster)}</b>: ${plural(cluster.changes.length, "change")}</summary>\n\n`;
    if (omitted > 0 || text.length + summary.length > budget) {
      omitted += cluster.changes.length;
      continue;
    }
    text += summary;
    for (const [tenant, changes] of groupByTenant(cluster.changes)) {
      for (const [i, c] of changes.entries()) {
        const title = i === 0 && tenant !== null ? `\n**tenant ${md(tenant)}**\n\n` : "";
        const line = `${title}- \`${SIGN[c.action]}\` ${c.subject} \`${md(c.name)}\`: ${md(c.summary)} — *${c.consequence}*\n`;
        if (omitted > 0 || text.length + line.length > budget) omitted++;
        else text += line;
      }
    }
    text += `\n${closing}\n`;
  }
  const terraform = preview.terraform;
  if (terraform !== undefined && omitted === 0) {
    const lines = terraform.resources.map((r) => `- \`${md(terraformLine(r))}\`\n`);
    const section = `<details><summary>Terraform plan: ${md(terraformCounts(terraform.resources))}</summary>\n\n${lines.join("")}\n${closing}\n`;
    if (text.length + section.length <= budget) text += section;
    else
      text += `_Terraform's plan (${md(terraformCounts(terraform.resources))}) not shown, to stay under GitHub's comment limit._\n`;
  }
  const live = preview.live;
  if (live !== undefined && omitted === 0) {
    const lines = live.pendingChanges.map((c) => `- \`${md(c)}\`\n`);
    const section = `<details><summary>${md(liveHeading(live))}</summary>\n\n${lines.join("")}\n${closing}\n`;
    if (text.length + section.length <= budget) text += section;
  }
  if (omitted > 0) {
    text += `_${plural(omitted, "more change")} not shown, to stay under GitHub's comment limit: run \`sluice plan --format text\` for all of them._\n`;
  }
  return text + footer;
}

/** The last resort for tens of thousands of hazards: as many as fit, then how many more there are. */
function truncated(lines: readonly string[], limit: number): string[] {
  const out: string[] = [];
  let length = 0;
  for (const line of lines) {
    if (length + line.length + 1 > limit - 200) break;
    out.push(line);
    length += line.length + 1;
  }
  out.push(
    `- … and ${lines.length - out.length} more hazards: run \`sluice plan --format text\` for all of them`,
  );
  return out;
}
