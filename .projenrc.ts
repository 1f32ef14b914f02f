import { JsonFile, YamlFile } from "projen";
import { biome_config, NodePackageManager } from "projen/lib/javascript";
import { TypeScriptProject, TypeScriptRunner } from "projen/lib/typescript";

// Versions are pinned to current majors; see README "Dependencies".
const CDKTF = "0.21.0";

// Entry points by subpath: `sluice` (model + Docker target), `sluice/docker`, `sluice/aws` (the only one
// that loads @cdktf/provider-aws) and `sluice/manifest`. One CommonJS build serves CommonJS and ESM
// consumers alike (Node's ESM loader reads its named exports), so no class ever exists twice.
const ENTRY_POINTS: Record<string, string> = {
  ".": "index",
  "./docker": "targets/docker/index",
  "./aws": "targets/aws/index",
  "./manifest": "manifest/index",
};
/** The import specifier of a subpath: `.` → `sluice`, `./aws` → `sluice/aws`. */
const specifier = (subpath: string): string => `sluice${subpath.slice(1)}`;

const project = new TypeScriptProject({
  name: "sluice",
  description:
    "A cdktf construct library for streaming platforms, with a bundled Kafka-compatible broker.",
  defaultReleaseBranch: "main",
  packageManager: NodePackageManager.NPM,
  projenrcTs: true,
  runner: TypeScriptRunner.tsx(),
  srcdir: "lib",
  testdir: "test",
  libdir: "dist",
  entrypoint: "dist/index.js",
  entrypointTypes: "dist/index.d.ts",
  minNodeVersion: "22.19.0",
  typescriptVersion: "~5.9.3",
  github: false,
  release: false,
  jest: false,
  eslint: false,
  prettier: false,
  biome: true,
  biomeOptions: {
    version: "2.5.15",
    biomeConfig: {
      formatter: { indentStyle: biome_config.IndentStyle.SPACE, lineWidth: 100 },
      javascript: { formatter: { quoteStyle: biome_config.QuoteStyle.DOUBLE } },
      linter: {
        rules: {
          suspicious: { noExplicitAny: "error" },
          style: { noNonNullAssertion: "error", useTemplate: "off" },
          complexity: { useLiteralKeys: "off" },
        },
      },
      files: {
        includes: [
          "**",
          "!**/cdktf.out",
          "!**/dist",
          "!**/.gen",
          "!**/bench/results",
          "!**/golden",
          "!**/*.md",
        ],
      },
    },
  },
  sampleCode: false,
  licensed: true,
  license: "Apache-2.0",
  copyrightOwner: "The Sluice authors",
  // What a consumer's app shares with Sluice: one copy each, or `instanceof` checks and tokens break.
  // The ranges are the ones CI tests (the dev copies are pinned to their lower bounds).
  peerDeps: [
    `cdktf@^${CDKTF}`,
    "constructs@^10.4.2",
    "@cdktf/provider-docker@^12.0.3",
    // Optional (peerDependenciesMeta below): only the `sluice/aws` entry point loads it.
    "@cdktf/provider-aws@^21.22.1",
  ],
  // The constructs need only zod at runtime; the broker and CLI ship pre-bundled in dist/bundle.
  deps: ["zod@^4.1.0"],
  devDeps: [
    // Bundles the broker at compile time (dist/bundle) and at synth in a source checkout.
    "esbuild@^0.28.2",
    // The broker's own dependencies: inlined into its bundle, so consumers never install them.
    "@node-rs/crc32@^1.10.6",
    "fzstd@^0.1.1",
    "snappyjs@^0.7.0",
    "lz4js@^0.2.0",
    `cdktf-cli@${CDKTF}`,
    "vitest@^4.1.12",
    "tsx@^4.20.0",
    "fast-check@^4.3.0",
    "kafkajs@^2.2.4",
    "@platformatic/kafka@^1.35.0",
    "@types/node@^20",
    "@types/snappyjs@^0.7.1",
    "@types/lz4js@^0.2.2",
    // The API reference (npm run docs) and the checked-in API report (npm run api:check).
    "typedoc@^0.28.20",
    "@microsoft/api-extractor@^7.60.2",
    // Versions and CHANGELOG.md from conventional commits (what projen's release tasks run).
    "commit-and-tag-version@^13.2.1",
  ],
  bin: {
    "sluice-broker": "bin/sluice-broker",
    sluice: "bin/sluice",
  },
  tsconfig: {
    include: ["lib/**/*.ts"],
    compilerOptions: {
      target: "ES2022",
      lib: ["ES2022"],
      module: "NodeNext",
      moduleResolution: "NodeNext" as never,
      rootDir: "lib",
      outDir: "dist",
      strict: true,
      noUncheckedIndexedAccess: true,
      skipLibCheck: true,
      esModuleInterop: true,
      resolveJsonModule: true,
      declaration: true,
      sourceMap: true,
      inlineSourceMap: false,
      inlineSources: false,
      experimentalDecorators: false,
      noImplicitOverride: true,
      isolatedModules: true,
      stripInternal: false,
      // apps/ import Sluice by its package name, exactly as a user does; in this repository the name
      // maps to the sources. tsx (`npx tsx apps/…`) and vitest (vitest.config.mts) read these paths.
      paths: Object.fromEntries(
        Object.entries(ENTRY_POINTS).map(([subpath, file]) => [
          specifier(subpath),
          [`./lib/${file}.ts`],
        ]),
      ),
    },
  },
  tsconfigDevFile: "tsconfig.dev.json",
  tsconfigDev: {
    include: ["**/*.ts"],
    exclude: ["node_modules", "dist", "cdktf.out", ".gen", ".e2e", "projenrc"],
    compilerOptions: {
      rootDir: ".",
      noEmit: true,
    },
  },
  gitignore: [
    "cdktf.out/",
    ".gen/",
    "terraform.*.tfstate*",
    ".terraform/",
    ".terraform.lock.hcl",
    "/bench/results/*.tmp*",
    "/.cache/",
    "/.e2e/",
    "*.cpuprofile",
    "/sluice.lock.json",
    "/docs/reference/",
  ],
});

// projen appends `lib/**`, `test/**` after our ignores, which re-includes golden fixtures; own the whole list.
project
  .tryFindObjectFile("biome.jsonc")
  ?.addOverride("files.includes", [
    "**",
    "!**/cdktf.out",
    "!**/dist",
    "!**/.gen",
    "!**/.e2e",
    "!**/bench/results",
    "!**/golden",
    "!**/*.md",
    "!**/*.json",
    "!.gitattributes",
    "!.gitignore",
    "!.npmignore",
    "!.github/workflows/*.yml",
  ]);

// Code runs on Node 20, 22 and 24; bin/ entry points are plain shell/JS files.
for (const p of [
  "/apps",
  "/bench",
  "/.ci",
  "/docs",
  "/scripts",
  "cdktf.json",
  "vitest.config.mts",
]) {
  project.addPackageIgnore(p);
}

// --- the published package ---------------------------------------------------
const exportsMap: Record<string, unknown> = {};
for (const [subpath, file] of Object.entries(ENTRY_POINTS)) {
  exportsMap[subpath] = { types: `./dist/${file}.d.ts`, default: `./dist/${file}.js` };
}
exportsMap["./package.json"] = "./package.json";
project.package.addField("exports", exportsMap);
// TypeScript's classic `node` resolution (cdktf's app template) ignores `exports`: map the subpaths.
project.package.addField("typesVersions", {
  "*": Object.fromEntries(
    Object.entries(ENTRY_POINTS)
      .filter(([subpath]) => subpath !== ".")
      .map(([subpath, file]) => [subpath.slice(2), [`dist/${file}.d.ts`]]),
  ),
});
project.package.addField("peerDependenciesMeta", { "@cdktf/provider-aws": { optional: true } });
// Compiled library and the pre-built broker/CLI bundles; the broker, admin client and CLI modules
// reach users only as bundles, and source maps would point at sources that are not shipped.
project.package.addField("files", [
  "dist/**/*.js",
  "dist/**/*.d.ts",
  "dist/bundle/*.mjs",
  "dist/targets/aws/boot/*.sh",
  "!dist/broker",
  "!dist/admin",
  "!dist/cli",
  "bin",
  "README.md",
  "LICENSE",
]);

// The published package runs its broker and CLI from these bundles (bin/, and the image at synth);
// `npm pack` and `npm publish` always compile first, so a tarball never lacks them.
project.compileTask.exec("tsx scripts/build-bundles.ts");
// The AWS target's boot scripts are files of their own, read at synth next to the compiled module.
project.compileTask.exec(
  "mkdir -p dist/targets/aws/boot && cp lib/targets/aws/boot/*.sh dist/targets/aws/boot/",
);
project.package.setScript("prepack", "projen compile");

// --- tests: vitest, not jest -------------------------------------------------
const unit = "vitest run --project unit";
const lint = project.addTask("lint", { description: "Lint and format check", exec: "biome ci ." });
project.testTask.reset();
project.testTask.exec("tsc --noEmit -p tsconfig.dev.json");
project.testTask.spawn(lint);
project.testTask.exec(unit, { receiveArgs: true });
project.addTask("test:unit", { exec: unit, receiveArgs: true });
project.addTask("test:watch", { exec: "vitest --project unit" });
project.addTask("test:integration", {
  description: "Real-client compatibility suite (installs kcat, Python and Java clients)",
  exec: "bash scripts/integration/run.sh",
  receiveArgs: true,
});
project.addTask("test:consumer", {
  description:
    "Consumer test: npm pack, install into a scratch cdktf app with the Docker peers, synth",
  exec: "vitest run --project consumer",
  receiveArgs: true,
});
project.addTask("test:e2e", {
  description: "Docker end-to-end: installs Docker and the providers, then deploys apps/local",
  exec: "bash scripts/e2e/run.sh",
  receiveArgs: true,
});
project.addTask("format", { description: "Apply formatting", exec: "biome check --write" });

// --- public API ---------------------------------------------------------------
project.addTask("api:report", {
  description: "Rewrite the public API reports (api/*.api.md) from the sources",
  exec: "node scripts/api/api-report.mjs",
});
project.addTask("api:check", {
  description: "Fail, with a diff, when a public API report (api/*.api.md) is stale",
  exec: "node scripts/api/api-report.mjs --check",
});

project.addTask("docs", {
  description:
    "Write the API reference (docs/reference/) with TypeDoc; fails on an undocumented public export",
  exec: "typedoc",
  receiveArgs: true,
});

// --- cdktf ------------------------------------------------------------------
project.addTask("synth:local", { exec: "cdktf synth", description: "Synthesize apps/local" });
project.addTask("deploy:local", {
  description: "Deploy the default cluster (apps/local) to the local Docker engine",
  exec: "bash scripts/local-app.sh deploy",
  receiveArgs: true,
});
project.addTask("destroy:local", {
  description:
    "Destroy the default cluster (apps/local); its data volume and image stay (see the README)",
  exec: "bash scripts/local-app.sh destroy",
  receiveArgs: true,
});

// --- benchmarks -------------------------------------------------------------
project.addTask("bench", { exec: "tsx bench/run.ts", receiveArgs: true });
project.addTask("bench:quick", { exec: "tsx bench/run.ts --quick", receiveArgs: true });
project.addTask("bench:log", { exec: "tsx bench/log/run.ts", receiveArgs: true });
project.addTask("bench:log:partitions", { exec: "tsx bench/log/partitions.ts", receiveArgs: true });
project.addTask("bench:synth", { exec: "tsx bench/synth/run.ts", receiveArgs: true });
project.addTask("bench:quota", {
  description: "Client quota acceptance: byte-rate caps and a neighbour tenant (~2 min)",
  exec: "tsx bench/quota/run.ts",
  receiveArgs: true,
});

new JsonFile(project, "cdktf.json", {
  obj: {
    language: "typescript",
    app: "npx tsx apps/local/main.ts",
    projectId: "3f1f7c8e-6a57-4b8e-9a53-2a1c6f6f5a10",
    sendCrashReports: "false",
    terraformProviders: [],
    terraformModules: [],
    codeMakerOutput: ".gen",
    context: {},
  },
});

new YamlFile(project, ".github/workflows/ci.yml", {
  obj: {
    name: "ci",
    on: { push: { branches: ["main"] }, pull_request: {} },
    jobs: {
      ci: {
        "runs-on": "ubuntu-latest",
        "timeout-minutes": 90,
        strategy: { matrix: { node: ["22", "24"] } },
        steps: [
          { uses: "actions/checkout@v4" },
          // biome-ignore lint/suspicious/noTemplateCurlyInString: GitHub Actions expression
          { uses: "actions/setup-node@v4", with: { "node-version": "${{ matrix.node }}" } },
          { name: "CI", run: "bash .ci/run", env: { CI: "true" } },
        ],
      },
    },
  },
});

// --- releases ------------------------------------------------------------------
// Conventional commits (feat:, fix:, perf:, …; `!` or BREAKING CHANGE for a major) decide the next
// version and the CHANGELOG.md section; pushing the tag publishes (.github/workflows/release.yml).
new JsonFile(project, ".versionrc.json", {
  obj: {
    tagPrefix: "v",
    header:
      "# Changelog\n\nAll notable changes to this package, by version ([Semantic Versioning](https://semver.org/)). Each section is written by `npm run release` from the [conventional commits](https://www.conventionalcommits.org/) since the previous tag (docs/releasing.md).\n",
    types: [
      { type: "feat", section: "Features" },
      { type: "fix", section: "Bug Fixes" },
      { type: "perf", section: "Performance" },
      { type: "revert", section: "Reverts" },
      { type: "docs", section: "Documentation" },
      { type: "refactor", hidden: true },
      { type: "test", hidden: true },
      { type: "chore", hidden: true },
      { type: "ci", hidden: true },
      { type: "build", hidden: true },
      { type: "style", hidden: true },
    ],
    releaseCommitMessageFormat: "chore(release): {{currentTag}}",
  },
});
project.addTask("release", {
  description:
    "Bump the version from the conventional commits since the last tag, write CHANGELOG.md, commit and tag (push the tag to publish)",
  exec: "commit-and-tag-version",
  receiveArgs: true,
});
project.addTask("release:dry-run", {
  description: "Print the next version and its CHANGELOG.md section without changing anything",
  exec: "commit-and-tag-version --dry-run",
  receiveArgs: true,
});

new YamlFile(project, ".github/workflows/release.yml", {
  obj: {
    name: "release",
    on: { push: { tags: ["v*.*.*"] } },
    permissions: { contents: "write", "id-token": "write" },
    jobs: {
      // The same suites as CI (npm test, consumer, integration, e2e: .ci/run) on the tagged commit;
      // nothing is published unless they pass.
      ci: {
        "runs-on": "ubuntu-latest",
        "timeout-minutes": 90,
        permissions: { contents: "read" },
        steps: [
          { uses: "actions/checkout@v4" },
          { uses: "actions/setup-node@v4", with: { "node-version": "22" } },
          { name: "CI (.ci/run)", run: "bash .ci/run", env: { CI: "true" } },
        ],
      },
      publish: {
        needs: "ci",
        "runs-on": "ubuntu-latest",
        "timeout-minutes": 30,
        environment: "npm",
        steps: [
          { uses: "actions/checkout@v4", with: { "fetch-depth": 0 } },
          {
            uses: "actions/setup-node@v4",
            with: { "node-version": "22", "registry-url": "https://registry.npmjs.org" },
          },
          { name: "Install", run: "npm ci --no-audit --no-fund" },
          {
            name: "The tag is the package's version",
            run: [
              'version="v$(node -p "require(\'./package.json\').version")"',
              'if [ "$version" != "$GITHUB_REF_NAME" ]; then echo "tag $GITHUB_REF_NAME is not package.json\'s $version (run npm run release)"; exit 1; fi',
            ].join("\n"),
          },
          { name: "Test", run: "npm test" },
          { name: "Public API reports are current", run: "npm run api:check" },
          { name: "Pack (dry run)", run: "npm pack --dry-run" },
          {
            name: "Publish to npm",
            run: "npm publish --provenance --access public",
            // biome-ignore lint/suspicious/noTemplateCurlyInString: GitHub Actions expression
            env: { NODE_AUTH_TOKEN: "${{ secrets.NPM_TOKEN }}" },
          },
          {
            name: "GitHub release with the CHANGELOG.md section",
            run: [
              // The section of this version: from its heading to the next one.
              // biome-ignore lint/suspicious/noTemplateCurlyInString: shell parameter expansion
              'awk -v v="${GITHUB_REF_NAME#v}" \'BEGIN { gsub(/\\./, "\\\\.", v); head = "^#+ \\\\[?" v "[] (]" } /^#+ \\[?[0-9]+\\.[0-9]+\\.[0-9]+/ { if (p) exit; if ($0 ~ head) { p = 1; next } } p\' CHANGELOG.md > release-notes.md',
              'test -s release-notes.md || { echo "CHANGELOG.md has no section for $GITHUB_REF_NAME"; exit 1; }',
              'gh release create "$GITHUB_REF_NAME" --title "$GITHUB_REF_NAME" --notes-file release-notes.md',
            ].join("\n"),
            // biome-ignore lint/suspicious/noTemplateCurlyInString: GitHub Actions expression
            env: { GH_TOKEN: "${{ github.token }}" },
          },
        ],
      },
    },
  },
});

project.synth();
