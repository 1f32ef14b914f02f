import { describe, expect, it } from "vitest";
import { KafkaConnectionError, SaslAuthenticationError } from "../../lib/admin/admin-errors";
import { type ClosableAdmin, connectWithRetry } from "../../lib/cli/connect-with-retry";

const ADMIN = { close: () => {} } as unknown as ClosableAdmin;

/** A virtual clock whose sleep advances time instantly. */
function virtualTime() {
  let t = 0;
  const sleeps: number[] = [];
  return {
    now: () => t,
    sleep: async (ms: number) => {
      sleeps.push(ms);
      t += ms;
    },
    sleeps,
  };
}

describe("connectWithRetry", () => {
  it("retries refused connections with backoff until the broker answers", async () => {
    const clock = virtualTime();
    const waiting: string[] = [];
    let attempts = 0;
    const admin = await connectWithRetry(
      [{ host: "h", port: 1 }],
      {},
      async () => {
        attempts++;
        if (attempts < 4) throw new KafkaConnectionError("cannot connect to h:1: ECONNREFUSED");
        return ADMIN;
      },
      { waitMs: 10_000, onWaiting: (r) => waiting.push(r), ...clock },
    );
    expect(admin).toBe(ADMIN);
    expect(clock.sleeps).toEqual([250, 500, 1000]);
    expect(waiting).toEqual(["cannot connect to h:1: ECONNREFUSED"]);
  });

  it("tries every bootstrap address before waiting", async () => {
    const tried: number[] = [];
    const admin = await connectWithRetry(
      [
        { host: "a", port: 1 },
        { host: "b", port: 2 },
      ],
      {},
      async (o) => {
        tried.push(o.port);
        if (o.port === 1) throw new KafkaConnectionError("refused");
        return ADMIN;
      },
      { waitMs: 0 },
    );
    expect(admin).toBe(ADMIN);
    expect(tried).toEqual([1, 2]);
  });

  it("gives up with the last network error after waitMs", async () => {
    const clock = virtualTime();
    const err = await connectWithRetry(
      [{ host: "h", port: 1 }],
      {},
      async () => {
        throw new KafkaConnectionError("refused");
      },
      { waitMs: 3000, ...clock },
    ).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(KafkaConnectionError);
    expect(clock.sleeps).toEqual([250, 500, 1000]);
  });

  it("does not retry an authentication failure", async () => {
    let attempts = 0;
    await expect(
      connectWithRetry(
        [{ host: "h", port: 1 }],
        {},
        async () => {
          attempts++;
          throw new SaslAuthenticationError("bad password", 58);
        },
        { waitMs: 10_000, sleep: async () => {} },
      ),
    ).rejects.toBeInstanceOf(SaslAuthenticationError);
    expect(attempts).toBe(1);
  });
});
