import { PROCESS_IO } from "../../lib/cli/cli-io";
import { runCli } from "../../lib/cli/run-cli";

/** Runs the `sluice` CLI in-process with captured output; `env` is added to the process's. */
export async function runSluice(
  argv: readonly string[],
  env: Readonly<Record<string, string>> = {},
): Promise<{ code: number; out: string; err: string }> {
  const out: string[] = [];
  const err: string[] = [];
  const code = await runCli(argv, {
    ...PROCESS_IO,
    env: { ...process.env, ...env },
    out: (l) => out.push(l),
    err: (l) => err.push(l),
  });
  return { code, out: out.join("\n"), err: err.join("\n") };
}
