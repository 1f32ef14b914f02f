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

/** How many changes of one kind run at once (they touch distinct resources). */
export const EXECUTE_CONCURRENCY = 32;

/**
 * Executes a plan's changes kind by kind, in plan order. Changes of the same kind touch distinct
 * resources, so they are sent in pipelined chunks of {@link EXECUTE_CONCURRENCY} (about 3x faster
 * than one at a time against a broker). The first failing chunk stops the execution, so that
 * nothing runs on top of a half-made change; what was applied (including the rest of that chunk)
 * is reported in the error. A plan with errors is refused as a whole.
 *
 * @param passwords principal name → resolved password, for credential upserts.
 * @param onApplied called for each applied change, in plan order (for progress output).
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
  for (const chunk of chunksOfOneKind(plan.changes, EXECUTE_CONCURRENCY)) {
    const results = await Promise.allSettled(chunk.map((c) => executeChange(c, admin, passwords)));
    let failure: { change: Change; error: unknown } | undefined;
    results.forEach((r, i) => {
      const change = chunk[i];
      if (change === undefined) return;
      if (r.status === "fulfilled") {
        applied.push(change);
        onApplied(change);
      } else if (failure === undefined) {
        failure = { change, error: r.reason };
      }
    });
    if (failure !== undefined) {
      const { change, error } = failure;
      const reason = error instanceof Error ? error.message : String(error);
      throw new PlanExecutionError(`${change.kind} failed: ${reason}`, applied, change, {
        cause: error,
      });
    }
  }
  return applied;
}

/** Consecutive runs of changes of one kind, cut into chunks of at most `size`. */
function* chunksOfOneKind(changes: readonly Change[], size: number): Generator<Change[]> {
  let chunk: Change[] = [];
  for (const c of changes) {
    if (chunk.length > 0 && (chunk.length >= size || chunk[0]?.kind !== c.kind)) {
      yield chunk;
      chunk = [];
    }
    chunk.push(c);
  }
  if (chunk.length > 0) yield chunk;
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
