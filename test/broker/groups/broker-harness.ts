import net from "node:net";
import { GroupCoordinator } from "../../../lib/broker/groups";
import { Broker } from "../../../lib/broker/server/broker";
import { resolveConfig } from "../../../lib/broker/server/config";

const silent = { info: () => {}, warn: () => {}, error: () => {} };

/** A TCP port free right now on 127.0.0.1 (kept across broker restarts so clients find it again). */
export async function freePort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  const address = server.address();
  await new Promise<void>((r) => server.close(() => r()));
  if (address === null || typeof address === "string") throw new Error("no port");
  return address.port;
}

/**
 * The real broker on `port`, with 2 partitions per auto-created topic and a coordinator tuned for
 * tests: no initial rebalance delay, session timeouts from 500 ms.
 */
export async function startBroker(dataDir: string, port: number): Promise<Broker> {
  return Broker.start({
    config: resolveConfig(
      {},
      { dataDir, listeners: `PLAINTEXT://127.0.0.1:${port}`, numPartitions: 2, nodeId: 0 },
    ),
    logger: silent,
    openGroups: (deps) =>
      GroupCoordinator.open({
        ...deps,
        config: { initialRebalanceDelayMs: 0, minSessionTimeoutMs: 500 },
      }),
  });
}

/** Polls `check` until it holds (bounded), for asynchronous client-side effects. */
export async function waitFor(
  what: string,
  check: () => boolean,
  timeoutMs = 15_000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}
