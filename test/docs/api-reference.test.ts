import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { afterAll, describe, expect, it } from "vitest";

// The API reference step (npm run docs = TypeDoc with typedoc.json) for real: it writes the reference
// for the package's entry points, and an undocumented public export fails it.

const root = path.resolve(__dirname, "..", "..");
const typedoc = path.join(root, "node_modules", ".bin", "typedoc");
const out = fs.mkdtempSync(path.join(os.tmpdir(), "sluice-docs-"));
// In the OS temp dir, never in the checkout: the scratch entry point names the project's files by
// absolute path.
const scratch = fs.mkdtempSync(path.join(os.tmpdir(), "sluice-docs-scratch-"));
afterAll(() => {
  fs.rmSync(out, { recursive: true, force: true });
  fs.rmSync(scratch, { recursive: true, force: true });
});

function runDocs(options: string, ...args: string[]): { status: number | null; output: string } {
  const result = spawnSync(typedoc, ["--options", options, ...args], {
    cwd: root,
    encoding: "utf8",
    env: { ...process.env, NO_COLOR: "1", FORCE_COLOR: "0" },
  });
  return { status: result.status, output: `${result.stdout}${result.stderr}` };
}

describe("npm run docs", () => {
  it("writes the reference for every entry point with no undocumented public API", () => {
    const { status, output } = runDocs("typedoc.json", "--out", out);
    expect(output).not.toMatch(/does not have any documentation/);
    expect(status, output).toBe(0);
    for (const module of ["sluice", "sluice_docker", "sluice_aws", "sluice_manifest"]) {
      expect(fs.existsSync(path.join(out, "modules", `${module}.html`)), module).toBe(true);
    }
    // A construct's TSDoc, a props default and a manifest field all reach the pages.
    const topicProps = fs.readFileSync(
      path.join(out, "interfaces", "sluice.TopicProps.html"),
      "utf8",
    );
    expect(topicProps).toContain("Default");
    const manifest = fs.readFileSync(
      path.join(out, "types", "sluice_manifest.Manifest.html"),
      "utf8",
    );
    expect(manifest).toContain("What <code>sluice apply</code> may delete");
  });

  it("fails on an undocumented public export and on an optional prop without @default, naming them", () => {
    fs.writeFileSync(
      path.join(scratch, "index.ts"),
      [
        `export * from ${JSON.stringify(path.join(root, "lib", "index"))};`,
        "export function undocumentedExport(): number {",
        "  return 1;",
        "}",
        "/** Props of a scratch construct. */",
        "export interface ScratchProps {",
        "  /** Documented, but silent on what omitting it means. */",
        "  readonly sizeGiB?: number;",
        "}",
        "",
      ].join("\n"),
    );
    fs.writeFileSync(
      path.join(scratch, "tsconfig.json"),
      JSON.stringify({
        extends: path.join(root, "tsconfig.json"),
        // Type packages come from the project, not from the scratch directory's (absent) node_modules.
        compilerOptions: {
          rootDir: "/",
          noEmit: true,
          typeRoots: [path.join(root, "node_modules", "@types")],
        },
        files: ["index.ts"],
      }),
    );
    // The project's options with only the entry point, tsconfig and output swapped.
    fs.writeFileSync(
      path.join(scratch, "typedoc.json"),
      JSON.stringify({
        extends: path.join(root, "typedoc.json"),
        entryPoints: ["./index.ts"],
        tsconfig: "./tsconfig.json",
        out: "./out",
      }),
    );
    const { status, output } = runDocs(path.join(scratch, "typedoc.json"));
    expect(status).not.toBe(0);
    expect(output).toMatch(/undocumentedExport.*does not have any documentation/);
    expect(output).toMatch(/ScratchProps\.sizeGiB is optional, but its TSDoc has no @default/);
    // Only the new exports are reported: the library's own API is documented.
    expect(output.match(/does not have any documentation/g)).toHaveLength(1);
    expect(output.match(/has no @default/g)).toHaveLength(1);
  });
});
