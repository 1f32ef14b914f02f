import { comparePreview } from "../preview/compare-clusters";
import {
  formatPreviewJson,
  formatPreviewMarkdown,
  formatPreviewText,
} from "../preview/format-preview";
import {
  PLAN_EXIT,
  type PlanPreview,
  planExitCode,
  planPreviewJsonSchema,
} from "../preview/plan-preview";
import { checkSameApp, PlanInputError, readSynthOutput } from "../preview/synth-output";
import type { CliIo } from "./cli-io";
import { parseArgs, stringFlag } from "./parse-args";
import { UsageError } from "./usage-error";

/** Usage text of `sluice plan`. */
export const PLAN_USAGE = `usage: sluice plan --base DIR --head DIR [--format text|markdown|json]
       sluice plan --json-schema      print the JSON Schema of --format json

Compares two synth outputs (cdktf.out directories) offline: what the change does to topics, tenants,
principals, ACLs, quotas, brokers and volumes, and the hazards it carries.

exit codes: 0 no changes, 2 changes, 3 unacknowledged hazards, 1 error (including usage errors)`;

const FORMATS = ["text", "markdown", "json"] as const;

/** Renders a preview in one of {@link FORMATS}. */
const FORMATTERS: Record<(typeof FORMATS)[number], (p: PlanPreview) => string> = {
  text: formatPreviewText,
  markdown: formatPreviewMarkdown,
  json: formatPreviewJson,
};

/** `sluice plan`; returns the exit code (see {@link PLAN_USAGE}). */
export function planCommand(argv: readonly string[], io: CliIo): number {
  try {
    const args = parseArgs(argv, {
      base: { type: "string" },
      head: { type: "string" },
      format: { type: "string" },
      help: { type: "boolean" },
      "json-schema": { type: "boolean" },
    });
    if (args.flags.has("help")) {
      io.out(PLAN_USAGE);
      return 0;
    }
    if (args.flags.has("json-schema")) {
      io.out(JSON.stringify(planPreviewJsonSchema(), null, 2));
      return 0;
    }
    const base = stringFlag(args, "base");
    const head = stringFlag(args, "head");
    const format = stringFlag(args, "format") ?? "text";
    if (base === undefined || head === undefined)
      throw new UsageError("--base and --head are required");
    if (args.positionals.length > 0)
      throw new UsageError(`unexpected argument ${args.positionals[0]}`);
    const formatter = Object.hasOwn(FORMATTERS, format)
      ? FORMATTERS[format as (typeof FORMATS)[number]]
      : undefined;
    if (formatter === undefined) {
      throw new UsageError(`--format must be one of ${FORMATS.join(", ")} (got '${format}')`);
    }
    const before = readSynthOutput(base);
    const after = readSynthOutput(head);
    checkSameApp(before, after);
    const preview = comparePreview(before, after);
    io.out(formatter(preview).replace(/\n$/, ""));
    return planExitCode(preview);
  } catch (e) {
    if (e instanceof UsageError) {
      io.err(`sluice plan: ${e.message}`);
      io.err(PLAN_USAGE);
      return PLAN_EXIT.error;
    }
    if (e instanceof PlanInputError) {
      io.err(`sluice plan: ${e.message}`);
      return PLAN_EXIT.error;
    }
    throw e;
  }
}
