import * as fs from "node:fs";
import * as path from "node:path";

/** The provider bindings the AWS target is built on: an optional peer dependency of Sluice. */
export const AWS_PROVIDER_PACKAGE = "@cdktf/provider-aws";

/**
 * An optional peer dependency that an entry point needs is not installed. The message names the
 * package, the range Sluice is tested with, and the command that installs it.
 */
export class MissingPeerDependencyError extends Error {
  /** The error class name, for `instanceof`-free checks and logs. */
  override readonly name = "MissingPeerDependencyError";

  /**
   * @param entryPoint the entry point that was imported, e.g. `sluice/aws`
   * @param packageName the missing package
   * @param range the version range Sluice declares for it
   */
  constructor(
    readonly entryPoint: string,
    readonly packageName: string,
    readonly range: string,
  ) {
    super(
      `${entryPoint} needs ${packageName} (${range}), an optional peer dependency of sluice that is not installed. ` +
        `Install it in your app: npm install ${packageName}@"${range}"`,
    );
  }
}

/** The range Sluice declares for a peer dependency, read from its own package.json. */
export function declaredPeerRange(packageName: string): string {
  // lib/targets/aws or dist/targets/aws: the package root is three levels up.
  const manifest = path.join(__dirname, "..", "..", "..", "package.json");
  const pkg = JSON.parse(fs.readFileSync(manifest, "utf8")) as {
    peerDependencies?: Record<string, string>;
  };
  return pkg.peerDependencies?.[packageName] ?? "*";
}

/**
 * Checks that {@link AWS_PROVIDER_PACKAGE} can be resolved from Sluice, without loading it (loading
 * the provider's barrel costs seconds). Throws {@link MissingPeerDependencyError} when it cannot.
 */
export function assertAwsProviderInstalled(): void {
  try {
    require.resolve(`${AWS_PROVIDER_PACKAGE}/package.json`);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code !== "MODULE_NOT_FOUND") throw e;
    throw new MissingPeerDependencyError(
      "sluice/aws",
      AWS_PROVIDER_PACKAGE,
      declaredPeerRange(AWS_PROVIDER_PACKAGE),
    );
  }
}
