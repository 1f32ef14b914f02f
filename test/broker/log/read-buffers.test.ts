import { describe, expect, it } from "vitest";
import { ReadBufferPool } from "../../../lib/broker/log";
import { READ_SLACK_BYTES } from "../../../lib/broker/log/read-buffers";

describe("ReadBufferPool", () => {
  it("pools a 1 MiB read plus the slack of a read from an index entry", () => {
    const pool = new ReadBufferPool();
    const a = pool.scope();
    const slab = a.alloc(1024 * 1024 + READ_SLACK_BYTES).buffer;
    a.release();
    expect(pool.scope().alloc(1024 * 1024 + 1).buffer).toBe(slab);
    expect(pool.reuseCount).toBe(1);
  });

  it("reuses a scope's buffers only after the scope is released", () => {
    const pool = new ReadBufferPool();
    const a = pool.scope();
    const first = a.alloc(1000);
    first.fill(1);
    const b = pool.scope();
    const second = b.alloc(1000);
    second.fill(2);
    expect(first.buffer).not.toBe(second.buffer);
    expect(pool.reuseCount).toBe(0);
    a.release();
    expect(pool.retainedBytes).toBe(16 * 1024);
    const c = pool.scope();
    const third = c.alloc(900);
    expect(third.buffer).toBe(first.buffer);
    expect(third.length).toBe(900);
    expect(pool.reuseCount).toBe(1);
    // b's buffer was never given back: still its own.
    expect(second.every((x) => x === 2)).toBe(true);
  });

  it("takes a buffer back only from the scope holding it, once, so two scopes never share one", () => {
    const pool = new ReadBufferPool();
    const a = pool.scope();
    const slab = a.alloc(64 * 1024).buffer as ArrayBuffer;
    a.release();
    a.release();
    expect(pool.retainedBytes).toBe(64 * 1024);
    const b = pool.scope();
    const c = pool.scope();
    const held = b.alloc(64 * 1024);
    expect(held.buffer).toBe(slab);
    expect(c.alloc(64 * 1024).buffer).not.toBe(slab);
    // A stale give of the buffer b now holds, in a's name, changes nothing.
    pool.give(slab, a);
    expect(pool.retainedBytes).toBe(0);
    expect(pool.scope().alloc(64 * 1024).buffer).not.toBe(slab);
  });

  it("picks the smallest size class that fits and does not pool reads larger than the largest", () => {
    const pool = new ReadBufferPool();
    const s = pool.scope();
    expect(s.alloc(16 * 1024 + 1).buffer.byteLength).toBe(64 * 1024);
    expect(s.alloc(1024 * 1024).buffer.byteLength).toBe(1024 * 1024);
    const big = s.alloc(1024 * 1024 + READ_SLACK_BYTES + 1);
    expect(big.length).toBe(1024 * 1024 + READ_SLACK_BYTES + 1);
    s.release();
    expect(pool.retainedBytes).toBe(64 * 1024 + 1024 * 1024);
  });

  it("keeps no more free bytes than its limit", () => {
    const pool = new ReadBufferPool(2 * 1024 * 1024);
    const s = pool.scope();
    for (let i = 0; i < 5; i++) s.alloc(1024 * 1024);
    s.release();
    expect(pool.retainedBytes).toBe(2 * 1024 * 1024);
  });

  it("lends nothing after release: a late read gets memory of its own", () => {
    const pool = new ReadBufferPool();
    const s = pool.scope();
    s.release();
    s.alloc(1000);
    s.release();
    expect(pool.retainedBytes).toBe(0);
  });
});
