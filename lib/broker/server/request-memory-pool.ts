/** Frames up to this size count as small: they may use the share of the pool kept from large ones. */
export const SMALL_FRAME_BYTES = 2 * 1024 * 1024;

/** Counters a {@link RequestMemoryPool} keeps for `/metrics`. */
export interface RequestMemoryPoolStats {
  /** Bytes reserved now (gauge). */
  readonly heldBytes: number;
  /** The bound (`queued.max.request.bytes`). */
  readonly capacityBytes: number;
  /** Connections waiting for room now (gauge). */
  readonly waitingConnections: number;
  /** Milliseconds connections spent with reading paused for want of room, summed (counter). */
  readonly pausedMs: number;
}

/** Why {@link RequestMemoryPool.reserve} did not reserve. */
export type ReserveOutcome = "reserved" | "wait" | "never";

/**
 * The broker-wide bound on request bytes held at once (Kafka's `queued.max.request.bytes`): a
 * connection reserves a frame's size when it reads the size prefix, before buffering the frame, and
 * releases it once the request is answered (or the connection closes). When the pool is full the
 * connection stops reading its socket and waits — back-pressure instead of allocation — and is woken
 * when bytes are released.
 *
 * Reservation is only accounting: buffers still grow as bytes arrive. Reserving a whole frame up
 * front means a frame that started always has the room to finish, so frames never deadlock each
 * other. Large frames may fill the pool only up to `capacity − smallShare`: a few clients that send
 * part of a huge frame and stall cannot starve the small requests of everyone else (Produce of a
 * few batches, heartbeats, commits).
 */
export class RequestMemoryPool {
  private held = 0;
  private readonly waiters = new Set<() => void>();
  private pausedTotalMs = 0;
  /** What large frames may hold together; also the largest frame the pool can ever hold. */
  readonly largeLimit: number;

  constructor(readonly capacity: number) {
    const smallShare = Math.min(Math.floor(capacity / 4), 16 * 1024 * 1024);
    this.largeLimit = capacity - smallShare;
  }

  /**
   * Reserves `bytes` for one frame: "reserved", or "wait" (no room now; call {@link waitForRoom}),
   * or "never" (the frame is larger than the pool could ever hold).
   */
  reserve(bytes: number): ReserveOutcome {
    const limit = bytes <= SMALL_FRAME_BYTES ? this.capacity : this.largeLimit;
    if (bytes > limit) return "never";
    if (this.held + bytes > limit) return "wait";
    this.held += bytes;
    return "reserved";
  }

  /** Gives back a reservation and wakes the waiting connections. */
  release(bytes: number): void {
    if (bytes <= 0) return;
    this.held = Math.max(0, this.held - bytes);
    if (this.waiters.size === 0) return;
    const woken = [...this.waiters];
    this.waiters.clear();
    for (const w of woken) w();
  }

  /**
   * Calls `wake` once after the next release; returns a function that cancels the wait (the
   * connection closed). The caller retries its reservation when woken.
   */
  waitForRoom(wake: () => void): () => void {
    this.waiters.add(wake);
    return () => this.waiters.delete(wake);
  }

  /** Adds time a connection spent paused waiting for room. */
  addPausedMs(ms: number): void {
    this.pausedTotalMs += ms;
  }

  /** Current figures for `/metrics`. */
  stats(): RequestMemoryPoolStats {
    return {
      heldBytes: this.held,
      capacityBytes: this.capacity,
      waitingConnections: this.waiters.size,
      pausedMs: this.pausedTotalMs,
    };
  }
}
