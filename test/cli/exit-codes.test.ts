import * as fs from "node:fs";
import * as path from "node:path";
import { describe, expect, it, vi } from "vitest";
import { runBrokerCli } from "../../lib/broker/server/cli";
import { USAGE } from "../../lib/cli/run-cli";
import { EXIT_CODES } from "../../lib/exit-codes";
import { runSluice } from "./run-sluice";

const repoRoot = path.resolve(__dirname, "..", "..");

/** The exit-code table of docs/cli.md: code → the commands column. */
function documentedTable(): Map<number, string> {
  const doc = fs.readFileSync(path.join(repoRoot, "docs", "cli.md"), "utf8");
  const section = doc.slice(doc.indexOf("## Exit codes"));
  const rows = [...section.matchAll(/^\| (\d+) \| [^|]+ \| ([^|]+) \|$/gm)];
  return new Map(rows.map((m) => [Number(m[1]), (m[2] ?? "").trim()]));
}

/** Runs the broker CLI in-process, its stderr captured. */
async function brokerCli(argv: string[]): Promise<{ code: number; err: string }> {
  const chunks: string[] = [];
  const spy = vi.spyOn(process.stderr, "write").mockImplementation((chunk) => {
    chunks.push(String(chunk));
    return true;
  });
  try {
    return { code: await runBrokerCli(argv), err: chunks.join("") };
  } finally {
    spy.mockRestore();
  }
}

describe("one exit-code table for every command", () => {
  it("docs/cli.md and `sluice --help` list exactly the codes of lib/exit-codes.ts", () => {
    const codes = Object.values(EXIT_CODES).sort((a, b) => a - b);
    expect([...documentedTable().keys()].sort((a, b) => a - b)).toEqual(codes);
    for (const code of codes) expect(USAGE).toMatch(new RegExp(`^ {2}${code} +\\S`, "m"));
  });

  it.each([
    ["an unknown command", ["bogus"]],
    ["no command", []],
    ["apply without a manifest", ["apply", "--bootstrap", "127.0.0.1:9092"]],
    ["apply with an unknown flag", ["apply", "m.json", "--bootstrap", "h:1", "--frobnicate"]],
    ["an unknown manifest subcommand", ["manifest", "lint", "m.json"]],
    ["plan without --head", ["plan", "--base", "cdktf.out"]],
    ["plan with an unknown format", ["plan", "--base", "a", "--head", "b", "--format", "yaml"]],
    [
      "plan with connection flags but no --bootstrap",
      ["plan", "--base", "a", "--head", "b", "--tls"],
    ],
  ])("sluice: %s is a usage error (64)", async (_what, argv) => {
    const r = await runSluice(argv);
    expect(r.code).toBe(EXIT_CODES.usage);
    expect(r.err).toMatch(/^sluice( plan)?: /);
  });

  it("sluice: an error that is not about the command line is 1, for every command", async () => {
    const missing = path.join(repoRoot, "no-such-dir", "x");
    expect((await runSluice(["manifest", "validate", missing])).code).toBe(EXIT_CODES.error);
    expect((await runSluice(["plan", "--base", missing, "--head", missing])).code).toBe(
      EXIT_CODES.error,
    );
    expect(
      (await runSluice(["apply", missing, "--bootstrap", "127.0.0.1:1", "--wait-ms", "0"])).code,
    ).toBe(EXIT_CODES.error);
  });

  it("sluice-broker and sluice-broker verify: a bad flag is a usage error (64) too", async () => {
    const bad = await brokerCli(["--no-such-flag", "1"]);
    expect(bad.code).toBe(EXIT_CODES.usage);
    expect(bad.err).toContain("--no-such-flag");
    const verify = await brokerCli(["verify"]);
    expect(verify.code).toBe(EXIT_CODES.usage);
    expect(verify.err).toMatch(/^sluice-broker verify: /);
  });
});
