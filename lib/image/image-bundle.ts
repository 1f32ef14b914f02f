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
   * @default - the broker's `main` and, when present, the CLI's `main`, from `packageRoot`
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

/** First existing file among candidates. */
function firstExisting(candidates: readonly string[]): string | undefined {
  return candidates.find((c) => fs.existsSync(c));
}

/** The default entry points: the broker (required) and the CLI (optional). */
export function defaultEntryPoints(root: string): Record<string, string> {
  const broker = firstExisting([
    path.join(root, "lib", "broker", "main.ts"),
    path.join(root, "dist", "broker", "main.js"),
  ]);
  if (broker === undefined) {
    throw new ImageBundleError(
      `cannot find the broker entry point under ${root} (lib/broker/main.ts or dist/broker/main.js); is the Sluice package complete?`,
    );
  }
  const out: Record<string, string> = { "sluice-broker": broker };
  const cli = firstExisting([
    path.join(root, "lib", "cli", "main.ts"),
    path.join(root, "dist", "cli", "main.js"),
  ]);
  if (cli !== undefined) out["sluice"] = cli;
  return out;
}

/**
 * Bundles the broker (and the CLI) with esbuild and writes a Docker build context: `Dockerfile`,
 * `bin/<name>.mjs` bundles with their launch scripts, and an empty `data/` directory. The context
 * directory is named by its content hash, so an unchanged build reuses the same directory.
 */
export function bundleImage(options: ImageBundleOptions): ImageBundle {
  // esbuild is a build-time tool: load it only when an image is actually bundled.
  const esbuild = require("esbuild") as typeof import("esbuild");
  const root = options.packageRoot ?? sluicePackageRoot();
  const entryPoints = options.entryPoints ?? defaultEntryPoints(root);
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

  const files = new Map<string, { data: Buffer; mode: number }>();
  for (const out of result.outputFiles) {
    files.set(`bin/${path.basename(out.path)}`, { data: Buffer.from(out.contents), mode: 0o644 });
  }
  for (const name of Object.keys(entryPoints)) {
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
  return { contextDir, contentHash, buildArgs, bundles: Object.keys(entryPoints).sort() };
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
