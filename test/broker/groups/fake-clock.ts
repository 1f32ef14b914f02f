import type { GroupClock, Timer } from "../../../lib/broker/groups/clock";

interface Scheduled {
  at: number;
  seq: number;
  fn: () => void;
  cancelled: boolean;
}

/** A clock whose time only moves when a test calls {@link FakeClock.advance}. */
export class FakeClock implements GroupClock {
  private time: number;
  private seq = 0;
  private readonly queue: Scheduled[] = [];

  constructor(start = 1_700_000_000_000) {
    this.time = start;
  }

  now(): number {
    return this.time;
  }

  schedule(delayMs: number, fn: () => void): Timer {
    const entry: Scheduled = {
      at: this.time + Math.max(0, delayMs),
      seq: this.seq++,
      fn,
      cancelled: false,
    };
    this.queue.push(entry);
    return {
      cancel: () => {
        entry.cancelled = true;
      },
    };
  }

  /** Moves time forward by `ms`, running due callbacks in time order (including ones they schedule). */
  advance(ms: number): void {
    const target = this.time + ms;
    for (;;) {
      const due = this.queue
        .filter((e) => !e.cancelled && e.at <= target)
        .sort((a, b) => a.at - b.at || a.seq - b.seq)[0];
      if (due === undefined) break;
      due.cancelled = true;
      this.time = due.at;
      due.fn();
    }
    this.time = target;
    for (let i = this.queue.length - 1; i >= 0; i--) {
      if (this.queue[i]?.cancelled) this.queue.splice(i, 1);
    }
  }

  /** Number of live timers (to check that nothing leaks). */
  get pendingTimers(): number {
    return this.queue.filter((e) => !e.cancelled).length;
  }
}
