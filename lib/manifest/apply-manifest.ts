import type { ClusterAdmin, CredentialCheck } from "./cluster-admin";
import { executePlan } from "./execute-plan";
import type { Change, Plan } from "./plan";
import { type PlanOptions, planChanges, storedMechanism } from "./reconcile";
import { PROCESS_SECRETS, resolveCredentials, type SecretSource } from "./resolve-credentials";
import type { Manifest } from "./schema";

/** Options of {@link applyManifest}. */
export interface ApplyOptions extends PlanOptions {
  /** Only compute the plan. @default false */
  readonly dryRun?: boolean;
  /** Where credential references are resolved. @default the process environment and files */
  readonly secrets?: SecretSource;
  /**
   * Progress callback, called after each applied change.
   * @default - no callback
   */
  readonly onApplied?: (c: Change) => void;
}

/** What {@link applyManifest} did. */
export interface ApplyResult {
  /** What the reconciler found to do, with its errors, warnings and notes. */
  readonly plan: Plan;
  /** Changes applied (empty for a dry run or a plan with errors). */
  readonly applied: readonly Change[];
}

/**
 * Brings a cluster to a manifest: resolves credentials, reads the cluster, plans, and (unless
 * `dryRun`, or the plan has errors) executes. Throws `CredentialError` before touching the cluster
 * if a secret cannot be resolved, and `PlanExecutionError` if a change fails.
 */
export async function applyManifest(
  manifest: Manifest,
  admin: ClusterAdmin,
  options: ApplyOptions = {},
): Promise<ApplyResult> {
  const passwords = resolveCredentials(manifest, options.secrets ?? PROCESS_SECRETS);
  const checks: CredentialCheck[] = manifest.principals.map((p) => ({
    user: p.name,
    mechanism: storedMechanism(p),
    password: passwords.get(p.name) ?? "",
  }));
  const state = await admin.readState(checks);
  const plan = planChanges(manifest, state, options);
  if (options.dryRun || plan.errors.length > 0) return { plan, applied: [] };
  const applied = await executePlan(plan, admin, passwords, options.onApplied);
  return { plan, applied };
}
