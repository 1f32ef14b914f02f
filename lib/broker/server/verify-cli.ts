import { EXIT_CODES } from "../../exit-codes";
import type { VerifyFinding } from "../log";
import { ConfigError } from "./config";
import { DataDirInUseError } from "./data-dir-lock";
import { type DataDirReport, verifyDataDir } from "./data-dir-verifier";

/** `sluice-broker verify --help`. */
export const VERIFY_USAGE = [
  "Usage: sluice-broker verify --data-dir DIR [--repair] [--json]",
  "",
  "Checks a stopped broker's data directory offline: every batch of every segment (CRC-32C and",
  "framing), the offset and time indexes against the batches, producer snapshots and the state",
  "files (broker.json, topics.json, producer-ids.json, partition.json) with their previous copies.",
  "",
  "  --data-dir DIR   the data directory (refused while a broker uses it)",
  "  --repair         rebuild indexes, set damaged snapshots aside, restore damaged state files",
  "                   from their previous copy where that is safe; says what it cannot repair",
  "  --json           print the report as JSON",
  "",
  "Exit status: 0 when nothing is damaged (or --repair repaired all of it), 1 when damage",
  "remains or a broker uses the data directory, 64 for bad arguments.",
].join("\n");

interface VerifyArgs {
  readonly dataDir: string;
  readonly repair: boolean;
  readonly json: boolean;
}

function parseVerifyArgs(argv: readonly string[]): VerifyArgs | "help" {
  let dataDir: string | undefined;
  let repair = false;
  let json = false;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i] as string;
    if (a === "--help" || a === "-h") return "help";
    if (a === "--repair") repair = true;
    else if (a === "--json") json = true;
    else if (a === "--data-dir") {
      dataDir = argv[++i];
      if (dataDir === undefined || dataDir === "")
        throw new ConfigError("--data-dir needs a value");
    } else if (a.startsWith("--data-dir=")) dataDir = a.slice("--data-dir=".length);
    else throw new ConfigError(`verify: unknown argument ${a} (see sluice-broker verify --help)`);
  }
  if (dataDir === undefined) throw new ConfigError("verify: --data-dir DIR is required");
  return { dataDir, repair, json };
}

/** Whether damage is left after the run (what the exit status reports). */
export function damageRemains(report: DataDirReport): boolean {
  return report.findings.some((f) => f.severity === "damage" && f.repaired !== true);
}

/** The human-readable report: one block per finding, then a summary line. */
export function formatReport(report: DataDirReport): string {
  const lines = [`sluice-broker verify ${report.dataDir}: ${report.partitions} partition(s)`];
  const block = (f: VerifyFinding) => {
    lines.push(`${f.severity.padEnd(6)} ${f.file}: ${f.what}`);
    if (f.repair !== undefined)
      lines.push(`       ${f.repaired ? "repaired" : "repair"}: ${f.repair}`);
  };
  for (const f of report.findings) if (f.severity === "damage") block(f);
  for (const f of report.findings) if (f.severity === "note") block(f);
  const damaged = report.findings.filter((f) => f.severity === "damage");
  const repaired = damaged.filter((f) => f.repaired === true).length;
  const notes = report.findings.length - damaged.length;
  lines.push(
    damaged.length === 0
      ? `no damage found (${notes} note(s))`
      : `${damaged.length} damaged, ${repaired} repaired, ${damaged.length - repaired} left (${notes} note(s))`,
  );
  return lines.join("\n");
}

/** Runs `sluice-broker verify …`; resolves with the exit status. */
export async function runVerifyCli(argv: readonly string[]): Promise<number> {
  let report: DataDirReport;
  let args: VerifyArgs;
  try {
    const parsed = parseVerifyArgs(argv);
    if (parsed === "help") {
      process.stdout.write(`${VERIFY_USAGE}\n`);
      return EXIT_CODES.ok;
    }
    args = parsed;
    report = await verifyDataDir(args.dataDir, { repair: args.repair });
  } catch (e) {
    if (e instanceof ConfigError) {
      process.stderr.write(`sluice-broker verify: ${e.message}\n`);
      return e instanceof DataDirInUseError ? EXIT_CODES.error : EXIT_CODES.usage;
    }
    throw e;
  }
  process.stdout.write(
    args.json ? `${JSON.stringify(report, null, 2)}\n` : `${formatReport(report)}\n`,
  );
  return damageRemains(report) ? EXIT_CODES.error : EXIT_CODES.ok;
}
