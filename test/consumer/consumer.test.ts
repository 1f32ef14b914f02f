import { execFileSync, spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { gunzipSync } from "node:zlib";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { bundleImage } from "../../lib/image/image-bundle";

// A platform team's view of Sluice: `npm pack`, the tarball installed into a fresh app with only the
// peers a Docker user needs, and that app synthesized from CommonJS and from an ES module.

const repoRoot = path.resolve(__dirname, "..", "..");
const fixtures = path.join(__dirname, "fixtures");
const pkg = JSON.parse(fs.readFileSync(path.join(repoRoot, "package.json"), "utf8")) as {
  name: string;
  version: string;
  peerDependencies: Record<string, string>;
  peerDependenciesMeta: Record<string, { optional?: boolean }>;
  exports: Record<string, string | { types: string; default: string }>;
};
const npm = process.platform === "win32" ? "npm.cmd" : "npm";
const quietNpm = ["--no-audit", "--no-fund", "--loglevel=warn"];

let scratch = "";
let tarball = "";
let packedFiles: string[] = [];
let app = "";

/** Runs a command; returns status, stdout and stderr (never throws on a non-zero exit). */
function run(command: string, args: readonly string[], cwd: string) {
  const result = spawnSync(command, args, {
    cwd,
    encoding: "utf8",
    env: { ...process.env, CI: "true", NO_UPDATE_NOTIFIER: "1", FORCE_COLOR: "0" },
    maxBuffer: 64 * 1024 * 1024,
  });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

/** Runs a command that must succeed; returns its stdout. */
function ok(command: string, args: readonly string[], cwd: string): string {
  const result = run(command, args, cwd);
  if (result.status !== 0) {
    throw new Error(
      `${command} ${args.join(" ")} exited ${result.status} in ${cwd}\n${result.stdout}\n${result.stderr}`,
    );
  }
  return result.stdout;
}

/** A scratch app directory with a package.json and the fixtures. */
function scratchApp(name: string, dependencies: Record<string, string>): string {
  const dir = path.join(scratch, name);
  fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(
    path.join(dir, "package.json"),
    `${JSON.stringify({ name, private: true, dependencies }, null, 2)}\n`,
  );
  for (const file of fs.readdirSync(fixtures)) {
    fs.copyFileSync(path.join(fixtures, file), path.join(dir, file));
  }
  return dir;
}

/** The peers a Docker-only user installs: every peer that is not optional, at Sluice's ranges. */
function dockerPeers(): Record<string, string> {
  return Object.fromEntries(
    Object.entries(pkg.peerDependencies).filter(
      ([name]) => pkg.peerDependenciesMeta[name]?.optional !== true,
    ),
  );
}

interface SynthResult {
  readonly stack: {
    resource: Record<string, Record<string, Record<string, unknown>>>;
  };
  readonly report: { sameDockerHost: boolean; manifestSchema: string; awsModulesLoaded: string[] };
}

/** Synthesizes the app with `node ENTRY OUTDIR` and reads the stack and the entry's report. */
function synth(entry: string): SynthResult {
  const outdir = path.join(app, `out-${path.extname(entry).slice(1)}`);
  const stdout = ok(process.execPath, [entry, outdir], app);
  const stackFile = path.join(outdir, "stacks", "consumer", "cdk.tf.json");
  const report = JSON.parse(stdout.trim().split("\n").at(-1) ?? "{}");
  return { stack: JSON.parse(fs.readFileSync(stackFile, "utf8")), report };
}

/** The tag of the stack's broker image. */
function imageTag(result: SynthResult): string {
  const images = Object.values(result.stack.resource["docker_image"] ?? {});
  expect(images).toHaveLength(1);
  return String(images[0]?.["name"]);
}

beforeAll(() => {
  scratch = fs.mkdtempSync(path.join(os.tmpdir(), "sluice-consumer-"));
  // `npm pack` runs `prepack` (projen compile: tsc and the broker bundles) first.
  const stdout = ok(npm, ["pack", "--json", "--pack-destination", scratch, ...quietNpm], repoRoot);
  // prepack's own output comes first; the JSON report starts at the first line that opens an array.
  const packed = JSON.parse(stdout.slice(stdout.search(/^\[/m))) as {
    filename: string;
    files: { path: string }[];
  }[];
  const first = packed[0];
  if (first === undefined) throw new Error("npm pack reported no package");
  tarball = path.join(scratch, first.filename);
  packedFiles = first.files.map((f) => f.path).sort();
  app = scratchApp("consumer-app", { ...dockerPeers(), [pkg.name]: `file:${tarball}` });
  ok(npm, ["install", ...quietNpm], app);
  const size = execFileSync("du", ["-sm", path.join(app, "node_modules")], { encoding: "utf8" });
  console.log(`consumer node_modules: ${size.split("\t")[0]} MB (${tarball})`);
}, 600_000);

afterAll(() => {
  if (scratch !== "") fs.rmSync(scratch, { recursive: true, force: true });
});

describe("the packed file list", () => {
  it("ships only the compiled library, its declarations, the bundles, the launchers and the docs", () => {
    const allowed =
      /^(package\.json|README\.md|LICENSE|bin\/sluice(-broker)?|dist\/bundle\/[a-z-]+\.mjs|dist\/targets\/aws\/boot\/[a-z-]+\.sh|dist\/.+\.(js|d\.ts))$/;
    expect(packedFiles.filter((file) => !allowed.test(file))).toEqual([]);
  });

  it("ships no tests, fixtures, benchmarks, sources, source maps or unbundled broker modules", () => {
    const forbidden =
      /(^|\/)(test|fixtures|bench|lib|apps|scripts)\/|\.map$|\.ts$(?<!\.d\.ts)|^dist\/(broker|admin|cli)\//;
    expect(packedFiles.filter((file) => forbidden.test(file))).toEqual([]);
  });

  it("ships every entry point of the exports map, with its declarations, and both bundles", () => {
    for (const target of Object.values(pkg.exports)) {
      if (typeof target === "string") continue;
      expect(packedFiles).toContain(target.default.replace(/^\.\//, ""));
      expect(packedFiles).toContain(target.types.replace(/^\.\//, ""));
    }
    expect(packedFiles).toContain("dist/bundle/sluice-broker.mjs");
    expect(packedFiles).toContain("dist/bundle/sluice.mjs");
    expect(packedFiles).toContain("dist/targets/aws/boot/sluice-boot.sh");
    expect(packedFiles).toContain("dist/targets/aws/boot/sluice-apply.sh");
  });
});

describe("a Docker user's app with the installed tarball", () => {
  it("installs neither the AWS provider nor the broker's build tools", () => {
    for (const absent of ["@cdktf/provider-aws", "esbuild", "fzstd", "tsx"]) {
      expect(fs.existsSync(path.join(app, "node_modules", absent)), absent).toBe(false);
    }
    expect(fs.existsSync(path.join(app, "node_modules", "@cdktf", "provider-docker"))).toBe(true);
  });

  it("synthesizes from CommonJS (node main.js): broker image, broker and apply containers", () => {
    const result = synth("main.js");
    expect(imageTag(result)).toMatch(/^sluice-broker:[0-9a-f]{64}$/);
    const containers = Object.values(result.stack.resource["docker_container"] ?? {});
    expect(containers.map((c) => c["name"]).sort()).toEqual([
      "consumer-apply",
      "consumer-broker-0",
    ]);
    // The apply container carries the manifest (gzip-compressed JSON in base64) in SLUICE_MANIFEST.
    const env = containers.find((c) => c["name"] === "consumer-apply")?.["env"] as string[];
    const packed = env
      .find((e) => e.startsWith("SLUICE_MANIFEST="))
      ?.slice("SLUICE_MANIFEST=".length);
    const manifest = gunzipSync(Buffer.from(packed ?? "", "base64")).toString("utf8");
    for (const name of ["orders", "audit", "billing"]) expect(manifest).toContain(name);
    expect(result.report).toEqual({
      sameDockerHost: true,
      manifestSchema: "object",
      awsModulesLoaded: [],
    });
  });

  it("synthesizes the same stack from an ES module (node main.mjs), with the same image tag", () => {
    const cjs = synth("main.js");
    const esm = synth("main.mjs");
    expect(imageTag(esm)).toBe(imageTag(cjs));
    expect(esm.stack.resource).toEqual(cjs.stack.resource);
    expect(esm.report).toEqual(cjs.report);
  });

  it("tags the image exactly as the sources do: the tag depends on the broker and the image options", () => {
    const fromSources = bundleImage({
      baseImage: "node:22-bookworm-slim",
      packageRoot: repoRoot,
      outputRoot: path.join(scratch, "source-bundle"),
    });
    expect(imageTag(synth("main.js"))).toBe(`sluice-broker:${fromSources.contentHash}`);
  });

  it("type-checks against every entry point, under cdktf's app template and under NodeNext", () => {
    // `cdktf init --template=typescript`'s own tsconfig (CommonJS, classic resolution: typesVersions).
    const template = path.join(repoRoot, "node_modules", "cdktf-cli", "bundle", "templates");
    fs.copyFileSync(
      path.join(template, "typescript", "tsconfig.json"),
      path.join(app, "tsconfig.json"),
    );
    const tsc = path.join(repoRoot, "node_modules", "typescript", "bin", "tsc");
    ok(process.execPath, [tsc, "-p", "tsconfig.json", "--noEmit"], app);
    ok(process.execPath, [tsc, "-p", "tsconfig.nodenext.json"], app);
  });

  it("previews a change with the packaged `sluice plan`, as the example workflow runs it", () => {
    const base = path.join(app, "out-js");
    const head = path.join(app, "out-mjs");
    synth("main.js");
    synth("main.mjs");
    const sluice = path.join(app, "node_modules", ".bin", "sluice");
    expect(run(sluice, ["plan", "--base", base, "--head", head], app)).toMatchObject({
      status: 0,
      stdout: "sluice plan: no changes\n",
    });
    const markdown = run(
      sluice,
      ["plan", "--base", base, "--head", head, "--format", "markdown"],
      app,
    );
    expect(markdown.stdout).toMatch(/^<!-- sluice-plan-preview -->\n### Sluice plan: no changes\n/);
  });

  it("runs the packaged CLI and broker without the repository", () => {
    expect(ok(path.join(app, "node_modules", ".bin", "sluice"), ["--help"], app)).toContain(
      "usage: sluice <command>",
    );
    expect(ok(path.join(app, "node_modules", ".bin", "sluice-broker"), ["--help"], app)).toContain(
      "--data-dir",
    );
  });
});

/** The README's "Use it in your own cdktf app" steps: shell blocks and the files it says to write. */
type ReadmeStep =
  | { readonly kind: "shell"; readonly script: string }
  | { readonly kind: "file"; readonly name: string; readonly content: string };

function readmeConsumerSteps(): ReadmeStep[] {
  const readme = fs.readFileSync(path.join(repoRoot, "README.md"), "utf8");
  const start = readme.indexOf("<!-- consumer-setup");
  const end = readme.indexOf("| entry point |", start);
  if (start < 0 || end < 0) throw new Error("README.md has no consumer-setup section");
  const section = readme.slice(start, end);
  const steps: ReadmeStep[] = [];
  for (const m of section.matchAll(/(?:Write `([^`]+)`:\n\n)?```(\w+)\n([\s\S]*?)```/g)) {
    const [, name, lang, body = ""] = m;
    if (name !== undefined) steps.push({ kind: "file", name, content: body });
    else if (lang === "bash") steps.push({ kind: "shell", script: body });
  }
  return steps;
}

/** The bash blocks of docs/*.md marked `<!-- runnable: test/consumer … -->` (run in the README's app). */
function runnableDocBlocks(): { file: string; script: string }[] {
  const docs = path.join(repoRoot, "docs");
  return fs
    .readdirSync(docs)
    .filter((f) => f.endsWith(".md"))
    .sort()
    .flatMap((file) =>
      [
        ...fs
          .readFileSync(path.join(docs, file), "utf8")
          .matchAll(/<!-- runnable: test\/consumer[^>]*-->\n\n```bash\n([\s\S]*?)```/g),
      ].map((m) => ({ file, script: m[1] ?? "" })),
    );
}

/** The README's app, once the README's steps built it. */
let readmeApp = "";

describe("the README's path for a new app, from an empty directory", () => {
  it("installs, synthesizes with npx cdktf synth and previews with npx sluice plan, as written", () => {
    const root = path.join(scratch, "readme-path");
    fs.mkdirSync(root);
    let cwd = root;
    const steps = readmeConsumerSteps();
    expect(steps.map((s) => (s.kind === "file" ? s.name : "shell"))).toEqual([
      "shell",
      "cdktf.json",
      "main.ts",
      "shell",
    ]);
    const outputs: string[] = [];
    for (const step of steps) {
      if (step.kind === "file") {
        fs.writeFileSync(path.join(cwd, step.name), step.content);
        continue;
      }
      // Before it is published, the README says to install the packed tarball in place of `sluice`.
      const script = step.script.replace(/^npm install sluice /m, `npm install ${tarball} `);
      if (step.script.includes("npm install sluice ")) expect(script).toContain(tarball);
      const pwdFile = path.join(scratch, "readme-pwd");
      outputs.push(
        ok("bash", ["-euo", "pipefail", "-c", `${script}\npwd > ${JSON.stringify(pwdFile)}`], cwd),
      );
      cwd = fs.readFileSync(pwdFile, "utf8").trim();
    }
    expect(path.basename(cwd)).toBe("my-streams");
    readmeApp = cwd;
    const stack = JSON.parse(
      fs.readFileSync(path.join(cwd, "cdktf.out", "stacks", "streams", "cdk.tf.json"), "utf8"),
    ) as SynthResult["stack"];
    expect(Object.keys(stack.resource["docker_container"] ?? {}).length).toBeGreaterThan(0);
    expect(outputs.at(-1)).toContain("sluice plan: no changes");

    // The docs' blocks marked runnable, in the same app, as written.
    const marked = runnableDocBlocks();
    expect(marked.map((b) => b.file)).toContain("plan-preview.md");
    for (const block of marked) {
      const out = ok("bash", ["-euo", "pipefail", "-c", block.script], cwd);
      if (block.file === "plan-preview.md") expect(out).toContain("sluice plan: no changes");
    }
  }, 600_000);

  it("previews real changes of that app with the packaged sluice plan: a topic added (2), a decrease (3)", () => {
    expect(readmeApp, "the README's app was not built (see the test above)").not.toBe("");
    const main = fs.readFileSync(path.join(readmeApp, "main.ts"), "utf8");
    const synthWith = (source: string, out: string) => {
      fs.writeFileSync(path.join(readmeApp, "main.ts"), source);
      ok("npx", ["cdktf", "synth", "--output", out], readmeApp);
    };
    const plan = (head: string) =>
      run("npx", ["sluice", "plan", "--base", "base.out", "--head", head], readmeApp);
    try {
      synthWith(main, "base.out");
      const addTopic = "app.synth();";
      expect(main).toContain(addTopic);
      synthWith(main.replace(addTopic, `cluster.addTopic("audit");\n${addTopic}`), "added.out");
      const added = plan("added.out");
      expect(added.status).toBe(2);
      expect(added.stdout).toContain("+ topic audit: added: 1 partition [applied live]");
      expect(main).toContain("{ partitions: 3 }");
      synthWith(main.replace("{ partitions: 3 }", "{ partitions: 2 }"), "shrunk.out");
      const shrunk = plan("shrunk.out");
      expect(shrunk.status).toBe(3);
      expect(shrunk.stdout).toContain(
        "! ERROR PARTITIONS_DECREASED topic orders: partitions 3 → 2",
      );
      expect(shrunk.stdout).toContain("~ topic orders: partitions 3 → 2 [refused]");
    } finally {
      fs.writeFileSync(path.join(readmeApp, "main.ts"), main);
    }
  }, 300_000);
});

describe("bad input", () => {
  it("sluice/aws without @cdktf/provider-aws names the package to install (CommonJS and ESM)", () => {
    const expected =
      'sluice/aws needs @cdktf/provider-aws (^21.22.1), an optional peer dependency of sluice that is not installed. Install it in your app: npm install @cdktf/provider-aws@"^21.22.1"';
    const cjs = run(process.execPath, ["-e", 'require("sluice/aws")'], app);
    const esm = run(process.execPath, ["--input-type=module", "-e", 'import "sluice/aws"'], app);
    for (const result of [cjs, esm]) {
      expect(result.status).not.toBe(0);
      expect(result.stderr).toContain(`MissingPeerDependencyError: ${expected}`);
      expect(result.stderr).not.toContain("MODULE_NOT_FOUND");
    }
  });

  it("a cdktf outside the peer range: npm refuses (ERESOLVE), and --force installs with a peer warning", () => {
    const old = scratchApp("consumer-old-cdktf", {
      cdktf: "0.20.11",
      constructs: pkg.peerDependencies["constructs"] ?? "*",
      [pkg.name]: `file:${tarball}`,
    });
    const refused = run(npm, ["install", "--dry-run", ...quietNpm], old);
    expect(refused.status).not.toBe(0);
    expect(refused.stderr).toContain("ERESOLVE unable to resolve dependency tree");
    expect(refused.stderr).toContain(`peer cdktf@"${pkg.peerDependencies["cdktf"]}" from`);
    const forced = run(npm, ["install", "--dry-run", "--force", "--no-audit", "--no-fund"], old);
    expect(forced.status).toBe(0);
    expect(forced.stderr).toContain("ERESOLVE overriding peer dependency");
    expect(forced.stderr).toContain(
      `peer cdktf@"${pkg.peerDependencies["cdktf"]}" from ${pkg.name}@${pkg.version}`,
    );
  }, 180_000);
});

/** CDK Terrain, the maintained fork of cdktf (docs/cdktn.md), and the constructs range it accepts. */
const CDKTN = { version: "0.24.0", constructs: ">=10.6.0 <10.8.0" };

/** A synthesized stack without what names the library's version or the app's directory. */
function comparable(stack: SynthResult["stack"]): unknown {
  const copy = JSON.parse(JSON.stringify(stack)) as {
    "//"?: { metadata?: { version?: string } };
    terraform?: { backend?: { local?: { path?: string } } };
  };
  if (copy["//"]?.metadata?.version !== undefined) copy["//"].metadata.version = "(version)";
  if (copy.terraform?.backend?.local?.path !== undefined) {
    copy.terraform.backend.local.path = "(state path)";
  }
  return copy;
}

describe("a CDK Terrain (cdktn) user's app", () => {
  it("synthesizes the same cluster as the cdktf app: JSON equal but for the version and state path", () => {
    const dir = scratchApp("cdktn-app", {
      cdktn: CDKTN.version,
      constructs: CDKTN.constructs,
      "@cdktf/provider-docker": pkg.peerDependencies["@cdktf/provider-docker"] ?? "",
      [pkg.name]: `file:${tarball}`,
    });
    // Sluice and @cdktf/provider-docker import `cdktf`: the app points that name at cdktn.
    const manifestFile = path.join(dir, "package.json");
    const manifest = JSON.parse(fs.readFileSync(manifestFile, "utf8")) as Record<string, unknown>;
    manifest["overrides"] = { cdktf: `npm:cdktn@${CDKTN.version}` };
    fs.writeFileSync(manifestFile, `${JSON.stringify(manifest, null, 2)}\n`);
    ok(npm, ["install", ...quietNpm], dir);
    const outdir = path.join(dir, "out");
    const stdout = ok(process.execPath, ["main-cdktn.cjs", outdir], dir);
    expect(JSON.parse(stdout.trim().split("\n").at(-1) ?? "{}")).toEqual({ cdktf: "cdktn" });
    const cdktn = JSON.parse(
      fs.readFileSync(path.join(outdir, "stacks", "consumer", "cdk.tf.json"), "utf8"),
    ) as SynthResult["stack"] & { "//": { metadata: { version: string } } };
    expect(cdktn["//"].metadata.version).toBe(CDKTN.version);
    expect(comparable(cdktn)).toEqual(comparable(synth("main.js").stack));
    const model = (d: string) =>
      fs.readFileSync(path.join(d, "stacks", "consumer", "sluice-cluster-consumer.json"), "utf8");
    expect(model(outdir)).toBe(model(path.join(app, "out-js")));
  });
});
