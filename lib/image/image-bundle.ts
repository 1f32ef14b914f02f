import * as crypto from "node:crypto";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { renderDockerfile } from "./dockerfile";

/**
 * Packages that cannot be inlined in the bundle. `@node-rs/crc32` is a native addon whose `.node`
 * binary must match the image's platform; the broker falls back to its portable CRC-32C when it is
 * missing, so the image simply does not carry it.
 */
export const BUNDLE_EXTERNALS: readonly string[] = ["@node-rs/crc32"];

/** Options of {@link bundleImage}. */
export interface ImageBundleOptions {
  /** Default of the Dockerfile's `BASE_IMAGE` build argument. */
  readonly baseImage: string;
  /**
   * Root of the Sluice package (where `lib/`, `dist/` and `bin/` are).
   * @default - resolved from this file's location, so it works when Sluice is a dependency
   */
  readonly packageRoot?: string;
  /**
   * Entry points, by bundle name (`sluice-broker`, `sluice`), as absolute paths.
   * @default - in a source checkout `lib/broker/main.ts` (and `lib/cli/main.ts`), bundled with esbuild;
   *   in an installed package its pre-built bundles (`dist/bundle/*.mjs`)
   */
  readonly entryPoints?: Readonly<Record<string, string>>;
  /**
   * Directory under which build contexts are written (one sub-directory per content hash).
   * @default - `<os.tmpdir()>/sluice-image`
   */
  readonly outputRoot?: string;
}

/** A build context on disk, named by its content hash. */
export interface ImageBundle {
  /** Absolute path of the build context directory. */
  readonly contextDir: string;
  /** SHA-256 over every file (path, mode, bytes) and the build arguments. */
  readonly contentHash: string;
  /** Build arguments the image must be built with. */
  readonly buildArgs: Readonly<Record<string, string>>;
  /** The bundle names that were built. */
  readonly bundles: readonly string[];
}

/** The bundle or its inputs cannot be produced. */
export class ImageBundleError extends Error {
  /** The error class name, for `instanceof`-free checks and logs. */
  override readonly name = "ImageBundleError";
}

// ESM output needs `require` (for CommonJS dependencies and the optional native CRC module) and
// `__dirname`; define them from import.meta.url.
const ESM_BANNER = [
  'import { createRequire as __sluiceCreateRequire } from "node:module";',
  'import { fileURLToPath as __sluiceFileURLToPath } from "node:url";',
  'import { dirname as __sluiceDirname } from "node:path";',
  "const require = __sluiceCreateRequire(import.meta.url);",
  "const __filename = __sluiceFileURLToPath(import.meta.url);",
  "const __dirname = __sluiceDirname(__filename);",
].join("\n");

/** The Sluice package root, found from this file (`lib/image/` or `dist/image/`). */
export function sluicePackageRoot(): string {
  return path.resolve(__dirname, "..", "..");
}

/**
 * Where a compiled package keeps its pre-built bundles (`npm run compile` writes them): an installed
 * Sluice has no sources and no esbuild, and its image carries exactly the code that was published.
 */
export const PREBUILT_BUNDLE_DIR = path.join("dist", "bundle");

/** The entry points in a source checkout: the broker (required) and the CLI (when present). */
export function sourceEntryPoints(root: string): Record<string, string> | undefined {
  const broker = path.join(root, "lib", "broker", "main.ts");
  if (!fs.existsSync(broker)) return undefined;
  const out: Record<string, string> = { "sluice-broker": broker };
  const cli = path.join(root, "lib", "cli", "main.ts");
  if (fs.existsSync(cli)) out["sluice"] = cli;
  return out;
}

/**
 * Bundles entry points with esbuild into one self-contained ESM file each, by bundle name
 * (`sluice-broker` → `sluice-broker.mjs`). Paths in the output are relative to `root`, so the same
 * sources give the same bytes in any checkout.
 */
export function bundleEntryPoints(
  root: string,
  entryPoints: Readonly<Record<string, string>>,
): Map<string, Buffer> {
  // esbuild is a build-time tool (a dev dependency): load it only when sources are bundled.
  const esbuild = require("esbuild") as typeof import("esbuild");
  let result: import("esbuild").BuildResult<{ write: false }>;
  try {
    result = esbuild.buildSync({
      absWorkingDir: root,
      entryPoints: { ...entryPoints },
      outdir: path.join(root, ".sluice-bundle-out"),
      outExtension: { ".js": ".mjs" },
      bundle: true,
      write: false,
      platform: "node",
      target: "node20",
      format: "esm",
      external: [...BUNDLE_EXTERNALS],
      banner: { js: ESM_BANNER },
      legalComments: "none",
      logLevel: "silent",
      charset: "utf8",
    });
  } catch (e) {
    throw new ImageBundleError(`esbuild could not bundle the broker: ${(e as Error).message}`);
  }
  const out = new Map<string, Buffer>();
  for (const file of result.outputFiles) {
    out.set(path.basename(file.path), Buffer.from(file.contents));
  }
  return out;
}

/**
 * Bundles a source checkout's entry points into `<root>/dist/bundle` (the compile step runs this),
 * replacing what was there. Returns the files written.
 */
export function writePrebuiltBundles(root: string = sluicePackageRoot()): string[] {
  const entryPoints = sourceEntryPoints(root);
  if (entryPoints === undefined) {
    throw new ImageBundleError(`no broker sources under ${root} (lib/broker/main.ts)`);
  }
  const bundles = bundleEntryPoints(root, entryPoints);
  const dir = path.join(root, PREBUILT_BUNDLE_DIR);
  fs.rmSync(dir, { recursive: true, force: true });
  fs.mkdirSync(dir, { recursive: true });
  const written: string[] = [];
  for (const [name, data] of bundles) {
    fs.writeFileSync(path.join(dir, name), data);
    written.push(path.join(dir, name));
  }
  return written.sort();
}

/** The pre-built bundles of a compiled package, or undefined when it has none. */
function readPrebuiltBundles(root: string): Map<string, Buffer> | undefined {
  const dir = path.join(root, PREBUILT_BUNDLE_DIR);
  if (!fs.existsSync(path.join(dir, "sluice-broker.mjs"))) return undefined;
  const out = new Map<string, Buffer>();
  for (const name of fs.readdirSync(dir).sort()) {
    if (name.endsWith(".mjs")) out.set(name, fs.readFileSync(path.join(dir, name)));
  }
  return out;
}

/**
 * The bundles an image carries: given entry points or a source checkout's are bundled with esbuild;
 * an installed package's pre-built bundles are used as they are.
 */
function imageBundles(
  root: string,
  entryPoints?: Readonly<Record<string, string>>,
): Map<string, Buffer> {
  const sources = entryPoints ?? sourceEntryPoints(root);
  if (sources !== undefined) return bundleEntryPoints(root, sources);
  const prebuilt = readPrebuiltBundles(root);
  if (prebuilt !== undefined) return prebuilt;
  throw new ImageBundleError(
    `cannot find the broker under ${root}: neither its sources (lib/broker/main.ts) nor its pre-built bundle (${PREBUILT_BUNDLE_DIR}/sluice-broker.mjs); is the Sluice package complete?`,
  );
}

/**
 * Writes a Docker build context: `Dockerfile`, `bin/<name>.mjs` bundles with their launch scripts,
 * and an empty `data/` directory. In a source checkout the broker (and the CLI) are bundled with
 * esbuild; an installed package uses the bundles it was published with, so its image — and the
 * content hash that tags it — depends only on the package version and the image options. The
 * context directory is named by its content hash, so an unchanged build reuses the same directory.
 */
export function bundleImage(options: ImageBundleOptions): ImageBundle {
  const root = options.packageRoot ?? sluicePackageRoot();
  const bundles = imageBundles(root, options.entryPoints);
  const names = [...bundles.keys()].map((file) => file.replace(/\.mjs$/, ""));

  const files = new Map<string, { data: Buffer; mode: number }>();
  for (const [file, data] of bundles) files.set(`bin/${file}`, { data, mode: 0o644 });
  for (const name of names) {
    const launcher = path.join(root, "bin", name);
    if (!fs.existsSync(launcher)) {
      throw new ImageBundleError(`missing launch script ${launcher}`);
    }
    files.set(`bin/${name}`, { data: fs.readFileSync(launcher), mode: 0o755 });
  }
  files.set("data/.keep", { data: Buffer.alloc(0), mode: 0o644 });
  files.set("Dockerfile", {
    data: Buffer.from(renderDockerfile({ defaultBaseImage: options.baseImage })),
    mode: 0o644,
  });
  const buildArgs = { BASE_IMAGE: options.baseImage };
  const contentHash = hashContext(files, buildArgs);

  const outputRoot = options.outputRoot ?? path.join(os.tmpdir(), "sluice-image");
  const contextDir = path.join(outputRoot, contentHash);
  if (!fs.existsSync(path.join(contextDir, "Dockerfile"))) {
    // Write to a temporary sibling and rename, so a concurrent synth never sees half a context.
    const tmp = `${contextDir}.${process.pid}.tmp`;
    fs.rmSync(tmp, { recursive: true, force: true });
    for (const [rel, file] of files) {
      const target = path.join(tmp, rel);
      fs.mkdirSync(path.dirname(target), { recursive: true });
      fs.writeFileSync(target, file.data, { mode: file.mode });
      fs.chmodSync(target, file.mode);
    }
    try {
      fs.renameSync(tmp, contextDir);
    } catch (e) {
      // Another process won the race with identical content.
      fs.rmSync(tmp, { recursive: true, force: true });
      if (!fs.existsSync(path.join(contextDir, "Dockerfile"))) throw e;
    }
  }
  return { contextDir, contentHash, buildArgs, bundles: names.sort() };
}

/** SHA-256 over sorted (path, mode, bytes) and the build arguments. */
export function hashContext(
  files: ReadonlyMap<string, { data: Buffer; mode: number }>,
  buildArgs: Readonly<Record<string, string>>,
): string {
  const hash = crypto.createHash("sha256");
  for (const rel of [...files.keys()].sort()) {
    const file = files.get(rel);
    if (file === undefined) continue;
    hash.update(`${rel}\0${file.mode.toString(8)}\0${file.data.length}\0`);
    hash.update(file.data);
  }
  for (const key of Object.keys(buildArgs).sort()) hash.update(`arg\0${key}=${buildArgs[key]}\0`);
  return hash.digest("hex");
}

const cache = new Map<string, ImageBundle>();

/**
 * {@link bundleImage}, memoized per process by options: source files do not change during one synth,
 * and apps or tests that synthesize many stacks bundle once.
 */
export function cachedImageBundle(options: ImageBundleOptions): ImageBundle {
  const key = JSON.stringify(options);
  const hit = cache.get(key);
  if (hit !== undefined && fs.existsSync(hit.contextDir)) return hit;
  const bundle = bundleImage(options);
  cache.set(key, bundle);
  return bundle;
}
