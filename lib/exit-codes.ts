/**
 * The exit codes of every Sluice command line (`sluice …` and `sluice-broker …`), one table for all
 * (docs/cli.md). `sluice plan` follows `terraform plan -detailed-exitcode` (2 = changes), so a usage
 * error cannot be 2: it is sysexits' EX_USAGE, 64, for every command.
 */
export const EXIT_CODES = {
  /** Done; for `sluice plan`, no changes. */
  ok: 0,
  /** The command could not do what was asked: unreadable or invalid input, an unreachable or refusing cluster, damage left. */
  error: 1,
  /** `sluice plan`: changes, every hazard acknowledged. */
  changes: 2,
  /** `sluice plan`: changes with at least one unacknowledged hazard. */
  hazards: 3,
  /** The command line cannot be understood (unknown command or flag, missing or extra argument); nothing was done. */
  usage: 64,
} as const;
