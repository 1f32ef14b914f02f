import { EXIT_CODES } from "../exit-codes";
import { ManifestError } from "../manifest/manifest-error";
import { SLUICE_VERSION } from "../version";
import { type AdminConnector, applyCommand } from "./apply-command";
import type { CliIo } from "./cli-io";
import { manifestCommand } from "./manifest-command";
import { planCommand } from "./plan-command";
import { UsageError } from "./usage-error";

/** Top-level usage text. */
export const USAGE = `usage: sluice <command> [options]

commands:
  apply MANIFEST --bootstrap HOST:PORT [options]   bring a cluster to a manifest (see sluice apply --help)
  manifest validate FILE                            check a manifest
  manifest hash FILE                                print a manifest's canonical hash
  manifest schema                                   print the manifest's JSON Schema
  plan --base DIR --head DIR [--format FORMAT]      preview what a change does, offline (see sluice plan --help)

exit codes (every command, docs/cli.md):
  0   success (sluice plan: no changes)
  1   error: the command could not do what was asked
  2   sluice plan: changes
  3   sluice plan: changes with unacknowledged hazards
  64  usage error: the command line cannot be understood; nothing was done`;

/**
 * Runs the `sluice` CLI and returns its exit code ({@link EXIT_CODES}). Never calls `process.exit`,
 * so tests can run it in-process.
 */
export async function runCli(
  argv: readonly string[],
  io: CliIo,
  connect?: AdminConnector,
): Promise<number> {
  const [command, ...rest] = argv;
  try {
    switch (command) {
      case "apply":
        return await applyCommand(rest, io, connect);
      case "manifest":
        return manifestCommand(rest, io);
      case "plan":
        return await planCommand(rest, io);
      case "--version":
      case "version":
        io.out(SLUICE_VERSION);
        return 0;
      case "--help":
      case "help":
        io.out(USAGE);
        return 0;
      default:
        throw new UsageError(
          command === undefined ? "missing command" : `unknown command '${command}'`,
        );
    }
  } catch (e) {
    if (e instanceof UsageError) {
      io.err(`sluice: ${e.message}`);
      if (!e.message.startsWith("usage:")) io.err("run 'sluice --help' for usage");
      return EXIT_CODES.usage;
    }
    if (e instanceof ManifestError) {
      io.err(e.message);
      return EXIT_CODES.error;
    }
    io.err(`error: ${e instanceof Error ? e.message : String(e)}`);
    return EXIT_CODES.error;
  }
}
