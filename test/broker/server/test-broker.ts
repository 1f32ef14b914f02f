import { mkdtempSync, rmSync } from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { Broker } from "../../../lib/broker/server/broker";
import { type BrokerConfigFile, resolveConfig } from "../../../lib/broker/server/config";
import type { ApiHandler } from "../../../lib/broker/server/handler";
import { memoryLogger } from "../../../lib/broker/server/logger";

/** A broker started in-process on 127.0.0.1 with an ephemeral port and a temporary data directory. */
export interface TestBroker {
  readonly broker: Broker;
  readonly port: number;
  readonly bootstrap: string;
  readonly dataDir: string;
  readonly logLines: string[];
  /** Stops the broker (graceful) without deleting the data directory. */
  stop(): Promise<void>;
  /** Stops the broker and deletes the data directory. */
  destroy(): Promise<void>;
}

/** A fresh temporary directory. */
export function tempDir(prefix = "sluice-server-"): string {
  return mkdtempSync(path.join(os.tmpdir(), prefix));
}

/**
 * Starts a broker; `settings` use the config-file shape (e.g. `{ autoCreateTopics: false }`);
 * `handlers` replaces the registered handlers (e.g. one wrapped to observe it).
 */
export async function startTestBroker(
  settings: BrokerConfigFile = {},
  dataDir = tempDir(),
  handlers?: readonly ApiHandler[],
): Promise<TestBroker> {
  const logger = memoryLogger();
  const config = resolveConfig({}, { dataDir, listeners: "PLAINTEXT://127.0.0.1:0", ...settings });
  const broker = await Broker.start({ config, logger, handlers });
  const port = broker.advertised()[0]?.port ?? 0;
  return {
    broker,
    port,
    bootstrap: `127.0.0.1:${port}`,
    dataDir,
    logLines: logger.lines,
    stop: () => broker.stop(),
    destroy: async () => {
      await broker.stop();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
