import * as fs from "node:fs";
import * as path from "node:path";
import { runCommand } from "./run-command";

/**
 * Copies the checkout's source files (tracked, plus untracked ones git does not ignore) to `dest`, with
 * `node_modules` linked rather than copied. The suite deploys from this copy so that edits made while it
 * runs (a shared working tree, an editor saving) cannot change the broker image between two deploys,
 * which would replace the container for a reason that has nothing to do with the test.
 */
export async function snapshotCheckout(repoRoot: string, dest: string): Promise<void> {
  const listed = await runCommand(
    "git",
    ["ls-files", "-z", "--cached", "--others", "--exclude-standard"],
    {
      cwd: repoRoot,
    },
  );
  fs.rmSync(dest, { recursive: true, force: true });
  fs.mkdirSync(dest, { recursive: true });
  for (const file of listed.stdout.split("\0")) {
    if (file === "") continue;
    const from = path.join(repoRoot, file);
    // Deleted but not yet staged files are still listed; skip them (and anything that is not a file).
    if (!fs.existsSync(from) || !fs.statSync(from).isFile()) continue;
    const to = path.join(dest, file);
    fs.mkdirSync(path.dirname(to), { recursive: true });
    fs.copyFileSync(from, to);
  }
  fs.symlinkSync(path.join(repoRoot, "node_modules"), path.join(dest, "node_modules"), "dir");
}
