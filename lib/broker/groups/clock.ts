/** A cancellable scheduled callback. */
export interface Timer {
  /** Cancels the callback; calling it after the callback ran or twice is harmless. */
  cancel(): void;
}

/**
 * The coordinator's only view of time. Every session, rebalance and delay timeout goes through it,
 * so tests can drive time deterministically with a fake implementation.
 */
export interface GroupClock {
  /** Milliseconds since the Unix epoch. */
  now(): number;
  /** Runs `fn` once after `delayMs` milliseconds. */
  schedule(delayMs: number, fn: () => void): Timer;
}

/** The wall clock, with timers that never keep the process alive on their own. */
export const systemGroupClock: GroupClock = {
  now: () => Date.now(),
  schedule(delayMs, fn) {
    const handle = setTimeout(fn, Math.max(0, delayMs));
    handle.unref();
    return { cancel: () => clearTimeout(handle) };
  },
};
