import * as fs from "node:fs";

/** A file descriptor lent by {@link FdCache}; call `release()` when the I/O is done. */
export interface FdLease {
  readonly fd: number;
  release(): void;
}

interface Entry {
  readonly path: string;
  fd: number;
  pins: number;
  /** Set when the file was replaced or deleted: close once the last pin is released. */
  stale: boolean;
}

/**
 * An LRU of open segment files, so that 10,000 partitions do not exhaust file descriptors.
 * Every access pins the descriptor; eviction only closes unpinned ones (the budget may be
 * exceeded briefly while all descriptors are in use). Files are opened read-write.
 */
export class FdCache {
  /** Map iteration order is the LRU order (oldest first); `touch` re-inserts. */
  private readonly entries = new Map<string, Entry>();

  constructor(readonly maxOpen: number) {}

  /** Number of descriptors currently open. */
  get openCount(): number {
    return this.entries.size;
  }

  /** Pins an open descriptor for `path` (opening it read-write, creating it with `create`). */
  acquire(path: string, create = false): FdLease {
    let e = this.entries.get(path);
    if (e) {
      this.entries.delete(path);
      this.entries.set(path, e);
      e.pins++;
    } else {
      const flags = fs.constants.O_RDWR | (create ? fs.constants.O_CREAT : 0);
      const fd = fs.openSync(path, flags, 0o644);
      // Pinned before eviction runs, so the new descriptor can never be the one evicted.
      e = { path, fd, pins: 1, stale: false };
      this.entries.set(path, e);
      this.evict();
    }
    const entry = e;
    let released = false;
    return {
      fd: entry.fd,
      release: () => {
        if (released) return;
        released = true;
        entry.pins--;
        if (entry.pins === 0 && entry.stale) fs.close(entry.fd, () => {});
      },
    };
  }

  /** Runs `fn` with a pinned descriptor of `path`. */
  async with<T>(path: string, fn: (fd: number) => Promise<T>, create = false): Promise<T> {
    const lease = this.acquire(path, create);
    try {
      return await fn(lease.fd);
    } finally {
      lease.release();
    }
  }

  /** Forgets `path` (deleted or replaced): closes it now, or when its last user releases it. */
  invalidate(path: string): void {
    const e = this.entries.get(path);
    if (!e) return;
    this.entries.delete(path);
    e.stale = true;
    if (e.pins === 0) fs.closeSync(e.fd);
  }

  /** Forgets every path under `prefix` (a partition directory being deleted). */
  invalidatePrefix(prefix: string): void {
    for (const p of [...this.entries.keys()]) if (p.startsWith(prefix)) this.invalidate(p);
  }

  /** Closes every descriptor (pinned ones when released). */
  closeAll(): void {
    for (const p of [...this.entries.keys()]) this.invalidate(p);
  }

  private evict(): void {
    if (this.entries.size <= this.maxOpen) return;
    for (const e of this.entries.values()) {
      if (this.entries.size <= this.maxOpen) return;
      if (e.pins > 0) continue;
      this.entries.delete(e.path);
      fs.closeSync(e.fd);
    }
  }
}
