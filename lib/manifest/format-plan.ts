import { formatAcl } from "./effective-acls";
import type { Change, Plan } from "./plan";
import { clusterQuotaEntityKey } from "./reconcile";

/** One line describing a change, prefixed `+` (create), `~` (update) or `-` (delete). */
export function formatChange(c: Change): string {
  switch (c.kind) {
    case "putTenant":
      return `${c.exists ? "~" : "+"} tenant ${c.name} (topics ${c.definition.topicPrefix}*, groups ${c.definition.groupPrefix}*, ${c.definition.principals.length} principal(s))`;
    case "createTopic": {
      const configs = Object.entries(c.topic.configs)
        .map(([k, v]) => `${k}=${v}`)
        .join(", ");
      const rf =
        c.topic.replicationFactor === undefined ? "" : `, replication ${c.topic.replicationFactor}`;
      return `+ topic ${c.topic.name} (${c.topic.partitions} partitions${rf}${configs ? `, ${configs}` : ""})`;
    }
    case "createPartitions":
      return `~ topic ${c.topic}: partitions ${c.from} -> ${c.to}`;
    case "alterTopicConfigs": {
      const parts = [
        ...c.set.map((s) => `${s.key}: ${s.previous ?? "(unset)"} -> ${s.value}`),
        ...c.reset.map((r) => `${r.key}: ${r.previous ?? "(unset)"} -> (default)`),
      ];
      return `~ topic ${c.topic} configs: ${parts.join(", ")}`;
    }
    case "upsertScramCredential":
      return `~ credential ${c.user} ${c.mechanism} (${c.iterations} iterations; ${c.reason})`;
    case "createAcl":
      return `+ acl ${formatAcl(c.acl)}`;
    case "alterQuota": {
      const parts = [
        ...Object.entries(c.set).map(([k, v]) => `${k}=${v}`),
        ...c.remove.map((k) => `-${k}`),
      ];
      const sign = Object.keys(c.set).length === 0 ? "-" : "~";
      return `${sign} quota ${clusterQuotaEntityKey(c.entity)}: ${parts.join(", ")}`;
    }
    case "deleteAcl":
      return `- acl ${formatAcl(c.acl)}`;
    case "deleteScramCredential":
      return `- credential ${c.user} ${c.mechanism}`;
    case "deleteTenant":
      return `- tenant ${c.name}`;
    case "deleteTopic":
      return `- topic ${c.topic} (${c.partitions} partitions; DATA IS DELETED)`;
  }
}

/** The whole plan as text: errors, warnings, changes (or "no changes"), notes. */
export function formatPlan(plan: Plan): string {
  const lines: string[] = [];
  for (const e of plan.errors) lines.push(`error: ${e}`);
  for (const w of plan.warnings) lines.push(`warning: ${w}`);
  if (plan.changes.length === 0) lines.push("no changes");
  else for (const c of plan.changes) lines.push(formatChange(c));
  for (const n of plan.notes) lines.push(`note: ${n}`);
  return lines.join("\n");
}
