import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { renderDockerfile } from "../../lib/image/dockerfile";
import {
  bundleImage,
  ImageBundleError,
  PREBUILT_BUNDLE_DIR,
  sluicePackageRoot,
  writePrebuiltBundles,
} from "../../lib/image/image-bundle";

const tempDirs: string[] = [];
afterAll(() => {
  for (const dir of tempDirs) fs.rmSync(dir, { recursive: true, force: true });
});

function tempDir(prefix: string): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  tempDirs.push(dir);
  return dir;
}

/** A miniature Sluice package: a broker entry that imports a helper and the optional native CRC. */
function fixturePackage(brokerSource = 'console.log("broker", helper());'): string {
  const root = tempDir("sluice-image-fixture-");
  fs.mkdirSync(path.join(root, "lib", "broker"), { recursive: true });
  fs.mkdirSync(path.join(root, "bin"));
  fs.writeFileSync(
    path.join(root, "lib", "broker", "helper.ts"),
    'export function helper(): string { let crc = "js"; try { require("@node-rs/crc32"); crc = "native"; } catch {} return crc; }\n',
  );
  fs.writeFileSync(
    path.join(root, "lib", "broker", "main.ts"),
    `import { helper } from "./helper";\n${brokerSource}\n`,
  );
  fs.writeFileSync(path.join(root, "bin", "sluice-broker"), '#!/bin/sh\nexec node "$0.mjs" "$@"\n');
  return root;
}

/** What npm installs from a fixture package: the compiled output with its bundles, the launchers, no sources. */
function installedPackage(source: string): string {
  writePrebuiltBundles(source);
  const installed = tempDir("sluice-installed-");
  fs.cpSync(path.join(source, "dist"), path.join(installed, "dist"), { recursive: true });
  fs.cpSync(path.join(source, "bin"), path.join(installed, "bin"), { recursive: true });
  return installed;
}

function outputRoot(): string {
  return tempDir("sluice-image-out-");
}

/** The build context of a package, written to a fresh output root. */
function bundleOf(packageRoot: string, baseImage = "b") {
  return bundleImage({ baseImage, packageRoot, outputRoot: outputRoot() });
}

describe("image bundle", () => {
  it("writes a build context: Dockerfile, bundle, launch script, data directory", () => {
    const root = fixturePackage();
    const bundle = bundleImage({
      baseImage: "node:22-bookworm-slim",
      packageRoot: root,
      outputRoot: outputRoot(),
    });
    const files = fs.readdirSync(bundle.contextDir, { recursive: true }).map(String).sort();
    expect(files).toEqual([
      "Dockerfile",
      "bin",
      "bin/sluice-broker",
      "bin/sluice-broker.mjs",
      "data",
      "data/.keep",
    ]);
    expect(bundle.bundles).toEqual(["sluice-broker"]);
    expect(bundle.buildArgs).toEqual({ BASE_IMAGE: "node:22-bookworm-slim" });
    expect(path.basename(bundle.contextDir)).toBe(bundle.contentHash);
    expect(fs.statSync(path.join(bundle.contextDir, "bin", "sluice-broker")).mode & 0o777).toBe(
      0o755,
    );
  });

  it("bundles as ESM with a require shim and leaves the native CRC module external", () => {
    const root = fixturePackage();
    const bundle = bundleOf(root);
    const code = fs.readFileSync(path.join(bundle.contextDir, "bin", "sluice-broker.mjs"), "utf8");
    expect(code).toContain("const require = __sluiceCreateRequire(import.meta.url);");
    expect(code).toContain('"@node-rs/crc32"');
    expect(code).toContain('console.log("broker", helper());');
  });

  it("produces a bundle that runs, falling back when the native CRC module is absent", async () => {
    const root = fixturePackage();
    const bundle = bundleOf(root);
    const { execFileSync } = await import("node:child_process");
    const out = execFileSync(
      process.execPath,
      [path.join(bundle.contextDir, "bin", "sluice-broker.mjs")],
      {
        cwd: os.tmpdir(),
        encoding: "utf8",
      },
    );
    expect(out.trim()).toBe("broker js");
  });

  it("gives two bundles of the same sources the same hash and directory", () => {
    const root = fixturePackage();
    const out = outputRoot();
    const a = bundleImage({ baseImage: "b", packageRoot: root, outputRoot: out });
    const b = bundleImage({ baseImage: "b", packageRoot: root, outputRoot: out });
    expect(b.contentHash).toBe(a.contentHash);
    expect(b.contextDir).toBe(a.contextDir);
  });

  it("gives the same hash for the same sources in another checkout (no absolute paths in the bundle)", () => {
    const a = bundleImage({
      baseImage: "b",
      packageRoot: fixturePackage(),
      outputRoot: outputRoot(),
    });
    const b = bundleImage({
      baseImage: "b",
      packageRoot: fixturePackage(),
      outputRoot: outputRoot(),
    });
    expect(b.contentHash).toBe(a.contentHash);
  });

  it("changes the hash when the code changes", () => {
    const a = bundleImage({
      baseImage: "b",
      packageRoot: fixturePackage(),
      outputRoot: outputRoot(),
    });
    const b = bundleImage({
      baseImage: "b",
      packageRoot: fixturePackage('console.log("broker v2", helper());'),
      outputRoot: outputRoot(),
    });
    expect(b.contentHash).not.toBe(a.contentHash);
  });

  it("changes the hash when the base image changes", () => {
    const root = fixturePackage();
    const a = bundleImage({
      baseImage: "node:22-bookworm-slim",
      packageRoot: root,
      outputRoot: outputRoot(),
    });
    const b = bundleImage({
      baseImage: "local/node-base:test",
      packageRoot: root,
      outputRoot: outputRoot(),
    });
    expect(b.contentHash).not.toBe(a.contentHash);
  });

  it("reports a compile error of the broker clearly", () => {
    const root = fixturePackage('import { missing } from "./nowhere";\nmissing();');
    expect(() => bundleOf(root)).toThrow(ImageBundleError);
    expect(() => bundleOf(root)).toThrow(
      /esbuild could not bundle the broker: .*Could not resolve "\.\/nowhere"/s,
    );
  });

  it("reports a package with neither broker sources nor a pre-built bundle", () => {
    const root = tempDir("sluice-empty-");
    expect(() => bundleOf(root)).toThrow(
      `cannot find the broker under ${root}: neither its sources (lib/broker/main.ts) nor its pre-built bundle (dist/bundle/sluice-broker.mjs); is the Sluice package complete?`,
    );
  });

  it("uses an installed package's pre-built bundle: same context, same hash as from the sources", () => {
    const source = fixturePackage();
    const installed = installedPackage(source);
    const fromSources = bundleOf(source);
    const fromPackage = bundleOf(installed);
    expect(fromPackage.contentHash).toBe(fromSources.contentHash);
    expect(fromPackage.bundles).toEqual(["sluice-broker"]);
  });

  it("does not bundle an installed package again: its image carries the published bytes", () => {
    const source = fixturePackage();
    const installed = installedPackage(source);
    const published = path.join(installed, PREBUILT_BUNDLE_DIR, "sluice-broker.mjs");
    fs.appendFileSync(published, "// published\n");
    const bundle = bundleOf(installed);
    const shipped = fs.readFileSync(path.join(bundle.contextDir, "bin", "sluice-broker.mjs"));
    expect(shipped.equals(fs.readFileSync(published))).toBe(true);
  });

  it("writes the pre-built bundles of the broker and the CLI, replacing stale ones", () => {
    const root = fixturePackage();
    fs.mkdirSync(path.join(root, "lib", "cli"));
    fs.writeFileSync(path.join(root, "lib", "cli", "main.ts"), 'console.log("cli");\n');
    fs.mkdirSync(path.join(root, PREBUILT_BUNDLE_DIR), { recursive: true });
    fs.writeFileSync(path.join(root, PREBUILT_BUNDLE_DIR, "stale.mjs"), "");
    const written = writePrebuiltBundles(root).map((f) => path.relative(root, f));
    expect(written).toEqual([
      path.join(PREBUILT_BUNDLE_DIR, "sluice-broker.mjs"),
      path.join(PREBUILT_BUNDLE_DIR, "sluice.mjs"),
    ]);
    expect(fs.readdirSync(path.join(root, PREBUILT_BUNDLE_DIR)).sort()).toEqual([
      "sluice-broker.mjs",
      "sluice.mjs",
    ]);
  });

  it("refuses to pre-build without broker sources", () => {
    const root = tempDir("sluice-empty-");
    expect(() => writePrebuiltBundles(root)).toThrow(
      `no broker sources under ${root} (lib/broker/main.ts)`,
    );
  });

  it("finds the package root from its own location, not the working directory", () => {
    const root = sluicePackageRoot();
    expect(fs.existsSync(path.join(root, "bin", "sluice-broker"))).toBe(true);
    expect(path.isAbsolute(root)).toBe(true);
  });
});

describe("Dockerfile", () => {
  const text = renderDockerfile({ defaultBaseImage: "node:22-bookworm-slim" });

  it("takes the base image as a build argument with the Node LTS default", () => {
    // biome-ignore lint/suspicious/noTemplateCurlyInString: a Dockerfile variable
    expect(text).toContain("ARG BASE_IMAGE=node:22-bookworm-slim\nFROM ${BASE_IMAGE}\n");
  });

  it("runs as a non-root numeric user and owns the data directory", () => {
    expect(text).toContain("USER 1000:1000\n");
    expect(text).toContain("COPY --chown=1000:1000 data/ /var/lib/sluice/\n");
  });

  it("checks health on the admin /healthz and starts through the launch script", () => {
    expect(text).toMatch(/HEALTHCHECK .*CMD \["node","-e",".*127\.0\.0\.1:9644\/healthz/);
    expect(text).toContain('ENTRYPOINT ["/bin/sh", "/app/bin/sluice-broker"]');
  });

  it("needs no RUN step (works on a minimal base image)", () => {
    expect(text).not.toMatch(/^RUN /m);
  });
});
