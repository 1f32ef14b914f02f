import * as fs from "node:fs";
import * as net from "node:net";
import * as os from "node:os";
import * as path from "node:path";

/** A prerequisite of the e2e suite is missing (run `bash scripts/e2e/run.sh`, which installs them). */
export class E2ePrerequisiteError extends Error {
  constructor(message: string) {
    super(`${message} (run the suite through \`npm run test:e2e\`, which sets it up)`);
    this.name = "E2ePrerequisiteError";
  }
}

/** Settings of one e2e run, from the environment that scripts/e2e/run.sh exports. */
export interface E2eSettings {
  /** The local Node base image the broker image is built FROM (no registry here). */
  readonly baseImage: string;
  /** Terraform CLI config that installs providers from the local filesystem mirror. */
  readonly cliConfigFile: string;
  /** Host port of the broker's client listener (published on 127.0.0.1). */
  readonly hostPort: number;
}

/** A TCP port on 127.0.0.1 that nothing listens on right now (the kernel picks it). */
function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      server.close(() =>
        typeof address === "object" && address !== null
          ? resolve(address.port)
          : reject(new Error("no port")),
      );
    });
  });
}

/**
 * Reads the run's settings. Falls back to what scripts/e2e/install-providers.sh writes under
 * `$SLUICE_E2E_CACHE` so that `npx vitest run --project e2e` also works after one full run. The host
 * port is a free one unless `SLUICE_E2E_HOST_PORT` names it: other suites on the machine run brokers on
 * fixed ports, and a test must never talk to a broker it did not deploy.
 */
export async function e2eSettings(): Promise<E2eSettings> {
  const cache = process.env.SLUICE_E2E_CACHE ?? path.join(os.homedir(), ".cache", "sluice-e2e");
  const cliConfigFile = process.env.TF_CLI_CONFIG_FILE ?? path.join(cache, "terraform.rc");
  if (!fs.existsSync(cliConfigFile)) {
    throw new E2ePrerequisiteError(`no Terraform CLI config at ${cliConfigFile}`);
  }
  const requested = process.env.SLUICE_E2E_HOST_PORT;
  const hostPort =
    requested === undefined || requested === "" ? await freePort() : Number(requested);
  if (!Number.isInteger(hostPort) || hostPort < 1024 || hostPort > 65535) {
    throw new E2ePrerequisiteError(
      `SLUICE_E2E_HOST_PORT must be a port in 1024..65535, got ${requested}`,
    );
  }
  return {
    baseImage: process.env.SLUICE_BASE_IMAGE ?? "sluice/node-base:local",
    cliConfigFile,
    hostPort,
  };
}
