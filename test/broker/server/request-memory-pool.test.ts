import { describe, expect, it } from "vitest";
import {
  RequestMemoryPool,
  SMALL_FRAME_BYTES,
} from "../../../lib/broker/server/request-memory-pool";

const MiB = 1024 * 1024;

describe("RequestMemoryPool", () => {
  it("reserves until the bound, then makes large frames wait and wakes them on release", () => {
    const pool = new RequestMemoryPool(64 * MiB);
    expect(pool.largeLimit).toBe(48 * MiB);
    expect(pool.reserve(30 * MiB)).toBe("reserved");
    expect(pool.reserve(30 * MiB)).toBe("wait");
    let woken = 0;
    pool.waitForRoom(() => woken++);
    expect(pool.stats()).toMatchObject({ heldBytes: 30 * MiB, waitingConnections: 1 });
    pool.release(30 * MiB);
    expect(woken).toBe(1);
    expect(pool.stats()).toMatchObject({ heldBytes: 0, waitingConnections: 0 });
    expect(pool.reserve(30 * MiB)).toBe("reserved");
  });

  it("keeps a share for small frames that stalled large frames cannot take", () => {
    const pool = new RequestMemoryPool(64 * MiB);
    expect(pool.reserve(24 * MiB)).toBe("reserved");
    expect(pool.reserve(24 * MiB)).toBe("reserved");
    expect(pool.reserve(3 * MiB)).toBe("wait");
    for (let i = 0; i < 8; i++) expect(pool.reserve(SMALL_FRAME_BYTES)).toBe("reserved");
    expect(pool.reserve(1)).toBe("wait");
  });

  it("refuses a frame larger than the pool could ever hold instead of letting it wait forever", () => {
    const pool = new RequestMemoryPool(8 * MiB);
    expect(pool.largeLimit).toBe(6 * MiB);
    expect(pool.reserve(6 * MiB + 1)).toBe("never");
    expect(pool.reserve(6 * MiB)).toBe("reserved");
  });

  it("a cancelled wait is not woken, and paused time adds up", () => {
    const pool = new RequestMemoryPool(8 * MiB);
    pool.reserve(6 * MiB);
    let woken = false;
    const cancel = pool.waitForRoom(() => {
      woken = true;
    });
    cancel();
    pool.release(6 * MiB);
    expect(woken).toBe(false);
    pool.addPausedMs(5);
    pool.addPausedMs(7);
    expect(pool.stats().pausedMs).toBe(12);
  });
});
