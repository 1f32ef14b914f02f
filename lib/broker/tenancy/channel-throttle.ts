/** What can be muted: a socket's reading side. */
export interface MutableChannel {
  pause(): void;
  resume(): void;
}

/** Timer functions (injectable for tests). */
export interface ThrottleTimers {
  now(): number;
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

const systemTimers: ThrottleTimers = {
  now: () => Date.now(),
  setTimeout: (fn, ms) => setTimeout(fn, ms),
  clearTimeout: (h) => clearTimeout(h as NodeJS.Timeout),
};

/**
 * Mutes a client channel while it is throttled, as Kafka does after sending a response that carries
 * `throttle_time_ms` (KIP-219): the broker stops reading the connection until the throttle time has
 * passed, so a client that ignores the hint cannot keep sending. Overlapping throttles extend the
 * mute to the latest end. The connection layer creates one per connection and calls
 * {@link ChannelThrottle.throttle} after writing each throttled response; {@link dispose} on close.
 */
export class ChannelThrottle {
  private readonly channel: MutableChannel;
  private readonly timers: ThrottleTimers;
  private mutedUntilMs = 0;
  private timer: unknown = null;

  constructor(channel: MutableChannel, timers: ThrottleTimers = systemTimers) {
    this.channel = channel;
    this.timers = timers;
  }

  /** Whether reading is currently paused by a throttle. */
  get muted(): boolean {
    return this.timer !== null;
  }

  /** Mutes the channel for `ms` from now (no-op for 0 or when an existing mute lasts longer). */
  throttle(ms: number): void {
    if (!(ms > 0)) return;
    const until = this.timers.now() + ms;
    if (until <= this.mutedUntilMs && this.timer !== null) return;
    this.mutedUntilMs = until;
    if (this.timer !== null) this.timers.clearTimeout(this.timer);
    else this.channel.pause();
    this.timer = this.timers.setTimeout(() => {
      this.timer = null;
      this.channel.resume();
    }, ms);
  }

  /** Cancels a pending unmute (the connection is closing). */
  dispose(): void {
    if (this.timer !== null) this.timers.clearTimeout(this.timer);
    this.timer = null;
  }
}
