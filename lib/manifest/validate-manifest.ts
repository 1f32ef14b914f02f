import type { ClusterAdmin, ClusterValidator } from "./cluster-admin";
import { formatAcl } from "./effective-acls";
import type { Change } from "./plan";
import { planChanges } from "./reconcile";
import type { Manifest } from "./schema";

/** A change the live cluster would refuse, with the broker's error (or `sluice apply`'s). */
export interface Refusal {
  /** `topic`, `quota`, … */
  readonly subject: "topic" | "quota" | "tenant" | "principal" | "acl";
  readonly name: string;
  /** What was asked, e.g. `partitions 6 → 3`. */
  readonly change: string;
  /** Why it is refused: the broker's error message, or `sluice apply`'s own reason. */
  readonly error: string;
  /** Whether the broker said so (validateOnly), or `sluice apply` would refuse before asking. */
  readonly by: "broker" | "sluice apply";
}

/** What {@link validateManifest} learned from the live cluster. */
export interface ManifestValidation {
  /** The changes `sluice apply` would make now (its dry run). */
  readonly changes: readonly Change[];
  /** The changes the cluster (or `sluice apply`) would refuse. */
  readonly refusals: readonly Refusal[];
  /** `sluice apply`'s warnings (e.g. a replication factor it does not change). */
  readonly warnings: readonly string[];
  /**
   * ACLs to be created for a user the cluster has no credential for and the manifest does not
   * declare: Kafka accepts them, but they grant nobody (a typo, or a principal removed elsewhere).
   */
  readonly unknownPrincipalAcls: readonly { readonly principal: string; readonly acl: string }[];
}

/**
 * Validates a manifest against a live cluster without changing it: `sluice apply`'s dry run (what it
 * would change now), then every topic creation, partition change, topic config change and quota
 * change sent with Kafka's `validateOnly`, so the broker says what it would refuse. A partition count
 * below the current one — which `sluice apply` never sends — is sent as a validate-only request too,
 * to report the broker's own error. Credentials and ACLs have no validate-only form in Kafka: they
 * are listed as changes, not validated. Logs in as nobody (no passwords needed).
 */
export async function validateManifest(
  manifest: Manifest,
  admin: ClusterAdmin & ClusterValidator,
): Promise<ManifestValidation> {
  const state = await admin.readState([]);
  const plan = planChanges(manifest, state);
  const refusals: Refusal[] = [];
  const ask = async (
    subject: Refusal["subject"],
    name: string,
    change: string,
    request: () => Promise<void>,
  ): Promise<boolean> => {
    try {
      await request();
      return true;
    } catch (e) {
      refusals.push({ subject, name, change, error: errorText(e), by: "broker" });
      return false;
    }
  };
  for (const c of plan.changes) {
    switch (c.kind) {
      case "createTopic":
        await ask("topic", c.topic.name, `create with ${c.topic.partitions} partitions`, () =>
          admin.validateCreateTopic(c.topic),
        );
        break;
      case "createPartitions":
        await ask("topic", c.topic, `partitions ${c.from} → ${c.to}`, () =>
          admin.validateCreatePartitions(c.topic, c.to),
        );
        break;
      case "alterTopicConfigs":
        await ask(
          "topic",
          c.topic,
          `configs ${[...c.set.map((s) => `${s.key}=${s.value}`), ...c.reset.map((r) => `${r.key} reset`)].join(", ")}`,
          () =>
            admin.validateTopicConfigs(
              c.topic,
              c.set.map(({ key, value }) => ({ key, value })),
              c.reset.map((r) => r.key),
            ),
        );
        break;
      case "alterQuota":
        await ask("quota", JSON.stringify(c.entity), "quota values", () =>
          admin.validateQuota(c.entity, c.set, c.remove),
        );
        break;
      default:
        break;
    }
  }
  // Partition decreases: `sluice apply` refuses them before sending anything; ask the broker too.
  const decreases = new Set<string>();
  for (const topic of manifest.topics) {
    const current = state.topics.get(topic.name);
    if (current === undefined || topic.partitions >= current.partitions) continue;
    decreases.add(topic.name);
    const change = `partitions ${current.partitions} → ${topic.partitions}`;
    const accepted = await ask("topic", topic.name, change, () =>
      admin.validateCreatePartitions(topic.name, topic.partitions),
    );
    if (accepted) {
      refusals.push({
        subject: "topic",
        name: topic.name,
        change,
        error:
          "partitions can only grow (the broker's validation accepted it; sluice apply does not)",
        by: "sluice apply",
      });
    }
  }
  for (const error of plan.errors) {
    const topic = /^topic '([^']+)'/.exec(error)?.[1];
    if (topic !== undefined && decreases.has(topic)) continue;
    refusals.push({
      subject: topic !== undefined ? "topic" : subjectOf(error),
      name: topic ?? "(cluster)",
      change: "",
      error,
      by: "sluice apply",
    });
  }
  // Only where the cluster lists its SCRAM users: otherwise nobody is known to be unknown.
  const known = new Set([
    ...manifest.principals.map((p) => p.name),
    ...(state.scram?.keys() ?? []),
  ]);
  const unknownPrincipalAcls =
    state.scram === undefined
      ? []
      : plan.changes.flatMap((c) => {
          if (c.kind !== "createAcl") return [];
          const user = /^User:(.+)$/.exec(c.acl.principal)?.[1];
          if (user === undefined || user === "*" || known.has(user)) return [];
          return [{ principal: c.acl.principal, acl: formatAcl(c.acl) }];
        });
  return { changes: plan.changes, refusals, warnings: plan.warnings, unknownPrincipalAcls };
}

/** What a reconcile error is about, from its text (they name their subject). */
function subjectOf(error: string): Refusal["subject"] {
  if (/\bACL/.test(error)) return "acl";
  if (/quota/i.test(error)) return "quota";
  if (/credential|SCRAM/.test(error)) return "principal";
  return "tenant";
}

function errorText(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}
