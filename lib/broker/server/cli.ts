import { promises as fsp } from "node:fs";
import { EXIT_CODES } from "../../exit-codes";
import { SLUICE_VERSION as VERSION } from "../../version";
import { DamagedStateFileError } from "../log/damaged-state-file-error";
import { TenancyExtension } from "../tenancy/tenancy-extension";
import { Broker } from "./broker";
import type { BrokerLogger } from "./broker-services";
import { parseArgs, usage } from "./cli-args";
import {
  type BrokerConfig,
  type BrokerConfigFile,
  ConfigError,
  parseConfigDocument,
  resolveConfig,
} from "./config";
import { DataDirInUseError } from "./data-dir-lock";
import { tenancyHandlers } from "./handlers";
import { stderrLogger } from "./logger";
import { runVerifyCli } from "./verify-cli";

/** Reads and validates `--config FILE`. */
export async function readConfigFile(file: string): Promise<BrokerConfigFile> {
  let text: string;
  try {
    text = await fsp.readFile(file, "utf8");
  } catch (e) {
    throw new ConfigError(`cannot read config file ${file}: ${(e as Error).message}`);
  }
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (e) {
    throw new ConfigError(`config file ${file} is not valid JSON: ${(e as Error).message}`);
  }
  return parseConfigDocument(doc, `config file ${file}`);
}

/** Parses flags and the config file into the broker's configuration. */
export async function configFromArgs(
  argv: readonly string[],
): Promise<{ config: BrokerConfig | null; text?: string }> {
  const args = parseArgs(argv);
  if (args.help) return { config: null, text: usage() };
  if (args.version) return { config: null, text: `sluice-broker ${VERSION}` };
  const file = args.configFile ? await readConfigFile(args.configFile) : {};
  return { config: resolveConfig(file, args.flags) };
}

/**
 * The `sluice-broker` command: starts a broker and stops it gracefully on SIGTERM/SIGINT. Resolves
 * with the process exit code ({@link EXIT_CODES}: 0 after a clean shutdown, 64 for bad flags or
 * config, 1 on failures, a data directory in use among them).
 */
export async function runBrokerCli(
  argv: readonly string[],
  logger: BrokerLogger = stderrLogger(),
): Promise<number> {
  if (argv[0] === "verify") return runVerifyCli(argv.slice(1));
  let config: BrokerConfig;
  try {
    const parsed = await configFromArgs(argv);
    if (parsed.config === null) {
      process.stdout.write(`${parsed.text ?? ""}\n`);
      return EXIT_CODES.ok;
    }
    config = parsed.config;
  } catch (e) {
    if (e instanceof ConfigError) {
      process.stderr.write(`sluice-broker: ${e.message}\n`);
      return EXIT_CODES.usage;
    }
    throw e;
  }
  // Signal handlers go in before anything slow, so an early SIGTERM still means a clean stop.
  let stopRequested: ((signal: NodeJS.Signals) => void) | null = null;
  let pendingSignal: NodeJS.Signals | null = null;
  let exitNow: ((code: number) => void) | null = null;
  const onSignal = (signal: NodeJS.Signals) => {
    if (pendingSignal !== null) {
      logger.warn(`${signal} again: exiting without waiting`);
      exitNow?.(EXIT_CODES.error);
      return;
    }
    pendingSignal = signal;
    stopRequested?.(signal);
  };
  process.on("SIGTERM", onSignal);
  process.on("SIGINT", onSignal);
  // A stray rejected promise is a bug to report, not a reason to drop every client.
  process.on("unhandledRejection", (reason) => {
    logger.error(
      `unhandled rejection: ${reason instanceof Error ? (reason.stack ?? reason.message) : String(reason)}`,
    );
  });
  let broker: Broker;
  try {
    broker = await Broker.start({
      config,
      logger,
      extension: new TenancyExtension(config.security),
      handlers: tenancyHandlers(),
    });
  } catch (e) {
    if (e instanceof DataDirInUseError || e instanceof DamagedStateFileError) {
      process.stderr.write(`sluice-broker: ${e.message}\n`);
      return EXIT_CODES.error;
    }
    if (e instanceof ConfigError) {
      process.stderr.write(`sluice-broker: ${e.message}\n`);
      return EXIT_CODES.usage;
    }
    logger.error(`failed to start: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`);
    return EXIT_CODES.error;
  }
  logger.info(
    `sluice-broker ${VERSION} started (node ${config.nodeId}, pid ${process.pid}, data ${config.dataDir})`,
  );
  return new Promise<number>((resolve) => {
    exitNow = resolve;
    stopRequested = (signal) => {
      logger.info(`${signal}: shutting down`);
      broker.stop().then(
        () => resolve(EXIT_CODES.ok),
        (e: unknown) => {
          logger.error(
            `shutdown failed: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`,
          );
          resolve(EXIT_CODES.error);
        },
      );
    };
    if (pendingSignal !== null) stopRequested(pendingSignal);
  });
}
