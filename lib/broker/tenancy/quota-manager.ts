import { ErrorCode } from "../protocol";
import type { ClientQuotaConfig, QuotaKey } from "./client-quotas";
import {
  DEFAULT_RATE_WINDOW,
  type RateWindowConfig,
  SampledRate,
  throttleTimeMs,
} from "./sampled-rate";

/** Milliseconds since the epoch (the broker's clock, or a fake one in tests). */
export interface QuotaClock {
  now(): number;
}

/** Outcome of a controller-mutation check (CreateTopics, CreatePartitions, DeleteTopics). */
export interface MutationDecision {
  /** NONE, or THROTTLING_QUOTA_EXCEEDED (89) when the rate was already above the quota. */
  readonly errorCode: number;
  readonly throttleTimeMs: number;
}

/** Inactive sensors are forgotten after this long (Kafka: 1 hour). */
const SENSOR_EXPIRY_MS = 60 * 60 * 1000;

/** The user name inside a `User:<name>` principal (the whole string for other principal types). */
export function quotaUserOf(principal: string): string {
  return principal.startsWith("User:") ? principal.slice(5) : principal;
}

interface Sensor {
  rate: SampledRate;
  lastUsedMs: number;
}

/**
 * Measures clients against their quotas, as Kafka's ClientQuotaManager does: one sampled-rate sensor
 * per matched quota entity; after recording, a rate above the bound yields a throttle time
 * ("how long until the window average is back under the bound"). The caller puts it in the
 * response's `throttle_time_ms` and mutes the channel for that long (the server's `Connection.muteFor`).
 */
export class QuotaManager {
  private readonly config: ClientQuotaConfig;
  private readonly clock: QuotaClock;
  private readonly window: RateWindowConfig;
  private readonly sensors = new Map<string, Sensor>();
  private lastSweepMs = 0;

  constructor(
    config: ClientQuotaConfig,
    clock: QuotaClock,
    window: RateWindowConfig = DEFAULT_RATE_WINDOW,
  ) {
    this.config = config;
    this.clock = clock;
    this.window = window;
  }

  /** Produce: records `bytes` and returns the throttle time (0 = within quota). */
  recordProduce(principal: string, clientId: string | null, bytes: number): number {
    return this.recordAndThrottle("producer_byte_rate", principal, clientId, bytes);
  }

  /**
   * Fetch: records the response size and returns the throttle time. When it is above 0, or when
   * `sendingEmpty` says the response goes out without records anyway (a request-time throttle), the
   * bytes are taken back out (Kafka then sends an empty, throttled response instead of the records).
   */
  recordFetch(
    principal: string,
    clientId: string | null,
    bytes: number,
    sendingEmpty = false,
  ): number {
    const throttle = this.recordAndThrottle("consumer_byte_rate", principal, clientId, bytes);
    if (throttle > 0 || sendingEmpty) {
      this.recordAndThrottle("consumer_byte_rate", principal, clientId, -bytes);
    }
    return throttle;
  }

  /**
   * The request-time throttle a client is under right now, without recording anything: Kafka
   * answers a Fetch of a client over its `request_percentage` without records, like a byte-rate one.
   */
  requestThrottleMs(principal: string, clientId: string | null): number {
    const q = this.config.resolve("request_percentage", quotaUserOf(principal), clientId ?? "");
    if (q === null) return 0;
    const now = this.clock.now();
    const ms = throttleTimeMs(this.sensor(q.sensorKey, now).rate, q.bound, now, this.window);
    return Math.min(ms, this.window.sampleMs);
  }

  /**
   * Request time against `request_percentage` (Kafka's ClientRequestQuotaManager): records `busyMs`
   * of broker thread time and returns the throttle time, at most one sample window (Kafka caps
   * request throttles at `quota.window.size.seconds`, so one costly request cannot mute a client
   * for the whole 11 s span).
   */
  recordRequestTime(principal: string, clientId: string | null, busyMs: number): number {
    // A percentage of one thread: 100 = 1000 ms of work per second, so ms / 10 (Kafka: ns × 100 / 1e9).
    const ms = this.recordAndThrottle("request_percentage", principal, clientId, busyMs / 10);
    return Math.min(ms, this.window.sampleMs);
  }

  /**
   * Request time that counts against `request_percentage` but never throttles the request it
   * belongs to (Kafka's network-thread time: spent after the response's throttle was decided).
   */
  recordRequestTimeNoThrottle(principal: string, clientId: string | null, busyMs: number): void {
    const q = this.config.resolve("request_percentage", quotaUserOf(principal), clientId ?? "");
    if (q === null) return;
    const now = this.clock.now();
    this.sensor(q.sensorKey, now).rate.record(busyMs / 10, now);
  }

  /**
   * Controller mutations (partitions created or deleted), KIP-599: a request is accepted while the
   * rate is within the quota — even if it takes the rate above — and rejected with
   * THROTTLING_QUOTA_EXCEEDED once the rate is already above.
   */
  checkMutations(principal: string, clientId: string | null, mutations: number): MutationDecision {
    const now = this.clock.now();
    const q = this.config.resolve(
      "controller_mutation_rate",
      quotaUserOf(principal),
      clientId ?? "",
    );
    if (q === null) return { errorCode: ErrorCode.NONE, throttleTimeMs: 0 };
    const sensor = this.sensor(q.sensorKey, now);
    const before = throttleTimeMs(sensor.rate, q.bound, now, this.window);
    if (before > 0)
      return { errorCode: ErrorCode.THROTTLING_QUOTA_EXCEEDED, throttleTimeMs: before };
    sensor.rate.record(mutations, now);
    return {
      errorCode: ErrorCode.NONE,
      throttleTimeMs: throttleTimeMs(sensor.rate, q.bound, now, this.window),
    };
  }

  /** The current rate of a client for a quota key (for metrics and tests); null when unlimited. */
  currentRate(key: QuotaKey, principal: string, clientId: string | null): number | null {
    const q = this.config.resolve(key, quotaUserOf(principal), clientId ?? "");
    if (q === null) return null;
    const now = this.clock.now();
    return this.sensor(q.sensorKey, now).rate.ratePerSecond(now);
  }

  private recordAndThrottle(
    key: QuotaKey,
    principal: string,
    clientId: string | null,
    value: number,
  ): number {
    const q = this.config.resolve(key, quotaUserOf(principal), clientId ?? "");
    if (q === null) return 0;
    const now = this.clock.now();
    const sensor = this.sensor(q.sensorKey, now);
    sensor.rate.record(value, now);
    return throttleTimeMs(sensor.rate, q.bound, now, this.window);
  }

  private sensor(key: string, now: number): Sensor {
    if (now - this.lastSweepMs > 60_000) {
      this.lastSweepMs = now;
      for (const [k, s] of this.sensors)
        if (now - s.lastUsedMs > SENSOR_EXPIRY_MS) this.sensors.delete(k);
    }
    let s = this.sensors.get(key);
    if (s === undefined) {
      s = { rate: new SampledRate(this.window), lastUsedMs: now };
      this.sensors.set(key, s);
    }
    s.lastUsedMs = now;
    return s;
  }
}
