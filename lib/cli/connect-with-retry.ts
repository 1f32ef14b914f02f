import { KafkaConnectionError, KafkaTimeoutError } from "../admin/admin-errors";
import type { AdminClientOptions } from "../admin/kafka-admin-client";
import type { ClusterAdmin } from "../manifest/cluster-admin";

/** A connected admin that can be closed. */
export type ClosableAdmin = ClusterAdmin & { close(): void };

/** Options of {@link connectWithRetry}. */
export interface RetryOptions {
  /** Keep retrying network failures for this long. 0 = one attempt per address. */
  readonly waitMs: number;
  /** Called once, before the first retry (progress output). */
  readonly onWaiting?: (reason: string) => void;
  /** @default setTimeout-based */
  readonly sleep?: (ms: number) => Promise<void>;
  /** @default Date.now */
  readonly now?: () => number;
}

/**
 * Connects to the first reachable bootstrap address. Network failures (refused, timed out: the
 * broker may still be starting, as when a one-shot apply container starts beside it) are retried
 * with backoff until `waitMs` has passed; authentication and protocol errors fail at once.
 */
export async function connectWithRetry<A extends { close(): void } = ClosableAdmin>(
  bootstraps: readonly { host: string; port: number }[],
  base: Omit<AdminClientOptions, "host" | "port">,
  connect: (o: AdminClientOptions) => Promise<A>,
  options: RetryOptions,
): Promise<A> {
  const sleep = options.sleep ?? ((ms) => new Promise<void>((r) => setTimeout(r, ms)));
  const now = options.now ?? Date.now;
  const deadline = now() + options.waitMs;
  let delay = 250;
  let warned = false;
  for (;;) {
    let lastError: unknown;
    for (const b of bootstraps) {
      try {
        return await connect({ ...base, ...b });
      } catch (e) {
        if (!(e instanceof KafkaConnectionError || e instanceof KafkaTimeoutError)) throw e;
        lastError = e;
      }
    }
    if (now() + delay > deadline) throw lastError;
    if (!warned) {
      warned = true;
      const reason = lastError instanceof Error ? lastError.message : String(lastError);
      options.onWaiting?.(reason);
    }
    await sleep(delay);
    delay = Math.min(delay * 2, 2000);
  }
}
