// Entry point of `bin/sluice` (and of its esbuild bundle): runs the CLI on the process.
import { PROCESS_IO } from "./cli-io";
import { runCli } from "./run-cli";

runCli(process.argv.slice(2), PROCESS_IO).then(
  (code) => {
    process.exitCode = code;
  },
  (e: unknown) => {
    process.stderr.write(`error: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
    process.exitCode = 1;
  },
);
