import * as fs from "node:fs";
import * as path from "node:path";
import { describe, expect, it } from "vitest";
import {
  AWS_PROVIDER_PACKAGE,
  assertAwsProviderInstalled,
  declaredPeerRange,
  MissingPeerDependencyError,
} from "../../../lib/targets/aws/aws-provider";

const root = path.resolve(__dirname, "..", "..", "..");

/** Every .ts file under a directory. */
function sources(dir: string): string[] {
  return fs
    .readdirSync(dir, { recursive: true })
    .map(String)
    .filter((f) => f.endsWith(".ts"))
    .map((f) => path.join(dir, f));
}

describe("sluice/aws and its optional peer", () => {
  it("names the package, the declared range and the install command when the provider is missing", () => {
    const error = new MissingPeerDependencyError("sluice/aws", AWS_PROVIDER_PACKAGE, "^21.22.1");
    expect(error.message).toBe(
      'sluice/aws needs @cdktf/provider-aws (^21.22.1), an optional peer dependency of sluice that is not installed. Install it in your app: npm install @cdktf/provider-aws@"^21.22.1"',
    );
    expect(error.name).toBe("MissingPeerDependencyError");
  });

  it("reads the range from Sluice's own peerDependencies", () => {
    const pkg = JSON.parse(fs.readFileSync(path.join(root, "package.json"), "utf8"));
    expect(declaredPeerRange(AWS_PROVIDER_PACKAGE)).toBe(
      pkg.peerDependencies[AWS_PROVIDER_PACKAGE],
    );
    expect(pkg.peerDependenciesMeta[AWS_PROVIDER_PACKAGE]).toEqual({ optional: true });
  });

  it("passes where the provider is installed (this repository has it as a dev dependency)", () => {
    expect(() => assertAwsProviderInstalled()).not.toThrow();
  });

  it("keeps @cdktf/provider-aws out of every module but the AWS target's", () => {
    const offenders = sources(path.join(root, "lib"))
      .filter((file) => !file.startsWith(path.join(root, "lib", "targets", "aws") + path.sep))
      .filter((file) =>
        /from\s+["']@cdktf\/provider-aws|require\(["']@cdktf\/provider-aws/.test(
          fs.readFileSync(file, "utf8"),
        ),
      )
      .map((file) => path.relative(root, file));
    expect(offenders).toEqual([]);
  });
});
