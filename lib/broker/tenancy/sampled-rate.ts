/** Window settings of a sampled rate (Kafka: `quota.window.num`, `quota.window.size.seconds`). */
export interface RateWindowConfig {
  /** Number of samples kept. @default 11 */
  readonly samples: number;
  /** Length of one sample in ms. @default 1000 */
  readonly sampleMs: number;
  /**
   * Shortest window a rate is measured over, in samples. Kafka pads to `samples - 1` (10 s), which
   * admits a burst of 10 × the quota at the start and lets a saturating client overshoot by 10–20 %
   * whenever idle gaps make the real window shorter (simulated and measured: 1.20 × the cap over 20 s
   * with 256 KiB requests, 1.00 × with one sample). @default 1
   */
  readonly minWindowSamples?: number;
}

/** Kafka's quota window defaults: 11 samples of 1 s. */
export const DEFAULT_RATE_WINDOW: RateWindowConfig = {
  samples: 11,
  sampleMs: 1000,
  minWindowSamples: 1,
};

interface Sample {
  startMs: number;
  value: number;
}

/**
 * A rate over a ring of time samples, computed as Kafka's `Rate` over a `SampledStat`: the sum of the
 * live samples divided by the time since the oldest sample began, counted as at least
 * `minWindowSamples` full samples (Kafka: `samples - 1`; see {@link RateWindowConfig}).
 * Samples older than `samples × sampleMs` are discarded.
 */
export class SampledRate {
  private readonly config: RateWindowConfig;
  private readonly ring: Sample[] = [];
  private current = 0;

  constructor(config: RateWindowConfig = DEFAULT_RATE_WINDOW) {
    this.config = config;
  }

  /** Adds `value` (bytes, ms of thread time, mutations…) at `nowMs`. */
  record(value: number, nowMs: number): void {
    this.sampleAt(nowMs).value += value;
  }

  /** Rate per second at `nowMs`. */
  ratePerSecond(nowMs: number): number {
    this.purge(nowMs);
    let total = 0;
    for (const s of this.ring) total += s.value;
    return (total * 1000) / this.windowMs(nowMs);
  }

  /** The measurement window in ms at `nowMs` (Kafka's `Rate.windowSize`). */
  windowMs(nowMs: number): number {
    this.purge(nowMs);
    let oldest = nowMs;
    for (const s of this.ring) oldest = Math.min(oldest, s.startMs);
    let elapsed = nowMs - oldest;
    const fullWindows = Math.floor(elapsed / this.config.sampleMs);
    const minFull = this.config.minWindowSamples ?? this.config.samples - 1;
    if (fullWindows < minFull) elapsed += (minFull - fullWindows) * this.config.sampleMs;
    return Math.max(elapsed, 1);
  }

  private sampleAt(nowMs: number): Sample {
    const cur = this.ring[this.current];
    if (cur !== undefined && nowMs < cur.startMs + this.config.sampleMs) return cur;
    const fresh = { startMs: nowMs, value: 0 };
    if (this.ring.length < this.config.samples) {
      this.current = this.ring.push(fresh) - 1;
    } else {
      this.current = (this.current + 1) % this.config.samples;
      this.ring[this.current] = fresh;
    }
    return fresh;
  }

  private purge(nowMs: number): void {
    const expireBefore = nowMs - this.config.samples * this.config.sampleMs;
    for (const s of this.ring) {
      if (s.startMs < expireBefore) {
        // Kafka resets expired samples in place; they start over when next used.
        s.value = 0;
        s.startMs = nowMs;
      }
    }
  }
}

/**
 * Kafka's throttle time for a rate above its bound: how long until the windowed average is back at
 * the bound if nothing more is sent, `(rate − bound) / bound × window`, capped at the whole window
 * span (`samples × sampleMs`). 0 when within the bound.
 */
export function throttleTimeMs(
  rate: SampledRate,
  boundPerSecond: number,
  nowMs: number,
  config: RateWindowConfig = DEFAULT_RATE_WINDOW,
): number {
  const value = rate.ratePerSecond(nowMs);
  const cap = config.samples * config.sampleMs;
  if (value <= boundPerSecond) return 0;
  if (boundPerSecond <= 0) return cap;
  const ms = ((value - boundPerSecond) / boundPerSecond) * rate.windowMs(nowMs);
  return Math.min(Math.round(ms), cap);
}
