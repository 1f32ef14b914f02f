import { join } from "node:path";
import { ADMIN_PASSWORD_ENV, ADMIN_USER, type ApplyCluster, adminPassword } from "./apply-clusters";
import { repoRoot } from "./clients";
import { runCommand } from "./run-command";

/** What one `bin/sluice apply` run printed. */
export interface ApplyRun {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
  /** The change lines (`+ …`, `~ …`, `- …`), in printed order. */
  readonly changes: readonly string[];
}

/**
 * Runs the real CLI, `bin/sluice apply MANIFEST`, as a child process against `cluster`, as the
 * admin over SASL PLAIN (password from an environment variable, as an operator would).
 */
export async function runApply(
  cluster: ApplyCluster,
  manifestFile: string,
  env: Readonly<Record<string, string>>,
  options: { readonly dryRun?: boolean } = {},
): Promise<ApplyRun> {
  const args = [
    "apply",
    manifestFile,
    "--bootstrap",
    cluster.bootstrap,
    "--sasl-mechanism",
    "PLAIN",
    "--username",
    ADMIN_USER,
    "--password-env",
    ADMIN_PASSWORD_ENV,
    "--wait-ms",
    "0",
    ...(options.dryRun ? ["--dry-run"] : []),
  ];
  const r = await runCommand(join(repoRoot, "bin", "sluice"), args, {
    timeoutMs: 90_000,
    env: { ...env, [ADMIN_PASSWORD_ENV]: adminPassword(cluster) },
  });
  const changes = r.stdout.split("\n").filter((l) => /^[+~-] /.test(l));
  return { code: r.code, stdout: r.stdout, stderr: r.stderr, changes };
}

/** The run's output, for assertion messages. */
export function describeRun(cluster: ApplyCluster, run: ApplyRun): string {
  return (
    `sluice apply against ${cluster.target} exited ${run.code}\n--- stdout ---\n${run.stdout}\n` +
    `--- stderr ---\n${run.stderr}\n--- broker log (tail) ---\n${cluster.logTail(2000)}`
  );
}
