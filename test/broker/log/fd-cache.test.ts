import { writeFileSync } from "node:fs";
import * as path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { FdCache } from "../../../lib/broker/log/fd-cache";
import { tempDir } from "./helpers";

let dir: string;
let cleanup: () => void;
beforeEach(() => {
  ({ dir, cleanup } = tempDir());
});
afterEach(() => cleanup());

function files(n: number): string[] {
  return Array.from({ length: n }, (_, i) => {
    const f = path.join(dir, `f${i}`);
    writeFileSync(f, "x");
    return f;
  });
}

describe("FdCache", () => {
  it("evicts the least recently used unpinned descriptors beyond the budget", () => {
    const cache = new FdCache(3);
    const fs = files(5);
    for (const f of fs) cache.acquire(f).release();
    expect(cache.openCount).toBe(3);
  });

  it("never closes a pinned descriptor; exceeds the budget briefly instead", () => {
    const cache = new FdCache(2);
    const fs = files(3);
    const leases = fs.map((f) => cache.acquire(f));
    expect(cache.openCount).toBe(3);
    for (const l of leases) l.release();
    cache.acquire(fs[0] as string).release();
    expect(cache.openCount).toBeLessThanOrEqual(3);
  });

  it("reuses the descriptor of a cached path", () => {
    const cache = new FdCache(4);
    const [f] = files(1);
    const a = cache.acquire(f as string);
    const b = cache.acquire(f as string);
    expect(a.fd).toBe(b.fd);
    a.release();
    b.release();
  });

  it("invalidate forgets a path; the next acquire opens it again", () => {
    const cache = new FdCache(4);
    const [f] = files(1);
    const a = cache.acquire(f as string);
    cache.invalidate(f as string);
    expect(cache.openCount).toBe(0);
    a.release();
    const b = cache.acquire(f as string);
    expect(cache.openCount).toBe(1);
    b.release();
  });
});
