import type { ClusterAdmin } from "./cluster-admin";
import type { Change, Plan } from "./plan";

/** Thrown when a plan with errors is executed, or a credential is missing at execution time. */
export class PlanExecutionError extends Error {
  /** The change that failed, if any. */
  readonly change: Change | undefined;
  /** Changes applied before the failure. */
  readonly applied: readonly Change[];

  constructor(
    message: string,
    applied: readonly Change[],
    change?: Change,
    options?: ErrorOptions,
  ) {
    super(message, options);
    this.name = "PlanExecutionError";
    this.applied = applied;
    this.change = change;
  }
}

/**
 * Executes a plan's changes in order, stopping at the first failure (so that nothing runs on top
 * of a half-made change). A plan with errors is refused as a whole.
 *
 * @param passwords principal name → resolved password, for credential upserts.
 * @param onApplied called after each change succeeds (for progress output).
 * @returns the changes applied (all of them).
 */
export async function executePlan(
  plan: Plan,
  admin: ClusterAdmin,
  passwords: ReadonlyMap<string, string>,
  onApplied: (c: Change) => void = () => {},
): Promise<readonly Change[]> {
  if (plan.errors.length > 0) {
    throw new PlanExecutionError(
      `refusing to apply a plan with errors:\n${plan.errors.join("\n")}`,
      [],
    );
  }
  const applied: Change[] = [];
  for (const change of plan.changes) {
    try {
      await executeChange(change, admin, passwords);
    } catch (e) {
      const reason = e instanceof Error ? e.message : String(e);
      throw new PlanExecutionError(`${change.kind} failed: ${reason}`, applied, change, {
        cause: e,
      });
    }
    applied.push(change);
    onApplied(change);
  }
  return applied;
}

async function executeChange(
  c: Change,
  admin: ClusterAdmin,
  passwords: ReadonlyMap<string, string>,
): Promise<void> {
  switch (c.kind) {
    case "putTenant":
      return admin.putTenant(c.name, c.definition);
    case "createTopic":
      return admin.createTopic(c.topic);
    case "createPartitions":
      return admin.createPartitions(c.topic, c.to);
    case "alterTopicConfigs":
      return admin.alterTopicConfigs(
        c.topic,
        c.set.map(({ key, value }) => ({ key, value })),
        c.reset.map((r) => r.key),
      );
    case "upsertScramCredential": {
      const password = passwords.get(c.user);
      if (password === undefined) throw new Error(`no password resolved for '${c.user}'`);
      return admin.upsertScramCredential(c.user, c.mechanism, c.iterations, password);
    }
    case "createAcl":
      return admin.createAcls([c.acl]);
    case "alterQuota":
      return admin.alterQuota(c.entity, c.set, c.remove);
    case "deleteAcl":
      return admin.deleteAcls([c.acl]);
    case "deleteScramCredential":
      return admin.deleteScramCredential(c.user, c.mechanism);
    case "deleteTenant":
      return admin.deleteTenant(c.name);
    case "deleteTopic":
      return admin.deleteTopic(c.topic);
  }
}
