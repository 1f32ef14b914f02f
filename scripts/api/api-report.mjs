#!/usr/bin/env node
// The public API report (api/*.api.md): what each entry point of the package exports, as
// api-extractor prints it. Checked in, so a change of the public API shows up as a diff in review.
//
//   node scripts/api/api-report.mjs          # rewrite api/*.api.md from the sources
//   node scripts/api/api-report.mjs --check  # fail (exit 1, with a diff) when a report is stale
//
// Declarations are emitted into a scratch directory first (tsc --emitDeclarationOnly), so the
// report never depends on a stale dist/.
import { execFileSync, spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { fileURLToPath } from "node:url";
import { Extractor, ExtractorConfig } from "@microsoft/api-extractor";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..", "..");
const check = process.argv.includes("--check");
const reportFolder = path.join(root, "api");
/** Entry points of package.json's "exports" → report names. */
const ENTRIES = {
  sluice: "index.d.ts",
  "sluice-docker": "targets/docker/index.d.ts",
  "sluice-aws": "targets/aws/index.d.ts",
  "sluice-manifest": "manifest/index.d.ts",
};

const scratch = fs.mkdtempSync(path.join(os.tmpdir(), "sluice-api-"));
const declarations = path.join(scratch, "types");
try {
  execFileSync(
    path.join(root, "node_modules", ".bin", "tsc"),
    [
      "-p",
      path.join(root, "tsconfig.json"),
      "--declaration",
      "--emitDeclarationOnly",
      "--outDir",
      declarations,
    ],
    { stdio: "inherit" },
  );
  fs.mkdirSync(reportFolder, { recursive: true });
  const temp = path.join(scratch, "reports");
  fs.mkdirSync(temp);
  let stale = 0;
  for (const [name, entry] of Object.entries(ENTRIES)) {
    const config = ExtractorConfig.prepare({
      configObject: {
        projectFolder: root,
        mainEntryPointFilePath: path.join(declarations, entry),
        bundledPackages: [],
        newlineKind: "lf",
        compiler: {
          overrideTsconfig: {
            compilerOptions: {
              target: "ES2022",
              module: "NodeNext",
              moduleResolution: "NodeNext",
              strict: true,
              types: ["node"],
              skipLibCheck: true,
            },
            files: [path.join(declarations, entry)],
          },
        },
        apiReport: { enabled: true, reportFolder, reportTempFolder: temp, reportFileName: name },
        docModel: { enabled: false },
        dtsRollup: { enabled: false },
        tsdocMetadata: { enabled: false },
        messages: {
          compilerMessageReporting: { default: { logLevel: "warning" } },
          extractorMessageReporting: {
            default: { logLevel: "warning" },
            // Release tags (@public, @beta) are not used: everything exported is public.
            "ae-missing-release-tag": { logLevel: "none" },
            // The TSDoc of this package uses `@default -` prose, as cdk libraries do.
            "ae-unresolved-link": { logLevel: "none" },
          },
          tsdocMessageReporting: { default: { logLevel: "none" } },
        },
      },
      configObjectFullPath: undefined,
      packageJsonFullPath: path.join(root, "package.json"),
    });
    const result = Extractor.invoke(config, {
      localBuild: !check,
      showVerboseMessages: false,
      messageCallback: (m) => {
        // Only the report's verdict matters here; the TSDoc itself is checked by `npm run docs`.
        if (m.category === "Extractor" && m.messageId !== "console-api-report-changed")
          m.handled = true;
        if (m.category === "Compiler") m.handled = true;
      },
    });
    const committed = path.join(reportFolder, `${name}.api.md`);
    const fresh = path.join(temp, `${name}.api.md`);
    if (check && result.apiReportChanged) {
      stale++;
      console.error(
        `\napi/${name}.api.md is stale: the public API of ${entry.replace(/\.d\.ts$/, "")} changed.`,
      );
      spawnSync(
        "diff",
        [
          "-u",
          "--label",
          `api/${name}.api.md (checked in)`,
          "--label",
          `api/${name}.api.md (from the sources)`,
          committed,
          fresh,
        ],
        { stdio: "inherit" },
      );
    } else if (!check) {
      console.log(`${result.apiReportChanged ? "updated" : "unchanged"} api/${name}.api.md`);
    }
  }
  if (stale > 0) {
    console.error(
      `\n${stale} API report(s) stale: review the change above, then run \`npm run api:report\` and commit api/.`,
    );
    process.exit(1);
  }
  if (check) console.log("API reports are current (api/*.api.md)");
} finally {
  fs.rmSync(scratch, { recursive: true, force: true });
}
