import type { RequestMemoryPoolStats } from "./request-memory-pool";

/** Latency histogram bucket bounds in seconds (Prometheus convention). */
const LATENCY_BUCKETS = [
  0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5,
];

interface ApiStats {
  count: number;
  errors: number;
  sumSeconds: number;
  buckets: number[];
}

/** What the log engine found wrong since start. */
export interface LogHealth {
  /** Damaged ranges of segment files found (skipped, never served). */
  readonly damagedRanges: number;
  /** Failed fsyncs of segment files. */
  readonly failedFsyncs: number;
  /** Partitions taking no writes after a failed fsync. */
  readonly partitionsOfflineForWrites: number;
}

/** Gauges read at scrape time. */
export interface MetricGauges {
  partitions(): number;
  topics(): number;
  /** The log engine's failure counts, when the broker has a log. */
  logHealth?(): LogHealth;
  /** The request memory pool's figures, when the broker has one. */
  requestMemory?(): RequestMemoryPoolStats;
}

/**
 * The broker's counters and histograms, rendered in the Prometheus text format by `/metrics`.
 * Updating them is a few additions per request, cheap enough for the hot path.
 */
export class BrokerMetrics {
  private readonly perApi = new Map<number, ApiStats>();
  /** Request bytes received (size prefixes included). */
  bytesIn = 0;
  /** Response bytes written (size prefixes included). */
  bytesOut = 0;
  /** Connections currently open. */
  connectionsOpen = 0;
  /** Connections accepted since start. */
  connectionsTotal = 0;
  /** Connections closed because of bad input or a failed request. */
  connectionsClosedOnError = 0;
  /** Of those: closed because a frame before SASL authentication was above `sasl.server.max.receive.size`. */
  connectionsClosedPreAuthOversize = 0;
  private gauges: MetricGauges = { partitions: () => 0, topics: () => 0 };

  /** Supplies the gauges read at scrape time. */
  setGauges(gauges: MetricGauges): void {
    this.gauges = gauges;
  }

  /** Records one finished request. */
  observeRequest(apiKey: number, seconds: number, failed: boolean): void {
    let s = this.perApi.get(apiKey);
    if (!s) {
      s = { count: 0, errors: 0, sumSeconds: 0, buckets: LATENCY_BUCKETS.map(() => 0) };
      this.perApi.set(apiKey, s);
    }
    s.count++;
    if (failed) s.errors++;
    s.sumSeconds += seconds;
    for (let i = 0; i < LATENCY_BUCKETS.length; i++) {
      if (seconds <= (LATENCY_BUCKETS[i] ?? 0)) s.buckets[i] = (s.buckets[i] ?? 0) + 1;
    }
  }

  /** Total requests served for an API key (tests and /metrics). */
  requestCount(apiKey: number): number {
    return this.perApi.get(apiKey)?.count ?? 0;
  }

  /** Prometheus text exposition format (version 0.0.4). */
  render(apiName: (key: number) => string): string {
    const out: string[] = [];
    const counter = (name: string, help: string, value: number, type = "counter") => {
      out.push(`# HELP ${name} ${help}`, `# TYPE ${name} ${type}`, `${name} ${value}`);
    };
    counter(
      "sluice_bytes_in_total",
      "Request bytes received, including size prefixes.",
      this.bytesIn,
    );
    counter(
      "sluice_bytes_out_total",
      "Response bytes sent, including size prefixes.",
      this.bytesOut,
    );
    counter("sluice_connections", "Open client connections.", this.connectionsOpen, "gauge");
    counter("sluice_connections_total", "Client connections accepted.", this.connectionsTotal);
    counter(
      "sluice_connections_closed_on_error_total",
      "Connections closed because of malformed, oversized or unsupported input.",
      this.connectionsClosedOnError,
    );
    counter(
      "sluice_connections_closed_preauth_oversize_total",
      "Connections closed because a frame before authentication exceeded sasl.server.max.receive.size.",
      this.connectionsClosedPreAuthOversize,
    );
    const pool = this.gauges.requestMemory?.();
    if (pool !== undefined) {
      counter(
        "sluice_request_memory_held_bytes",
        "Request bytes reserved now: partially received, queued and in progress.",
        pool.heldBytes,
        "gauge",
      );
      counter(
        "sluice_request_memory_capacity_bytes",
        "The bound on request bytes held (queued.max.request.bytes).",
        pool.capacityBytes,
        "gauge",
      );
      counter(
        "sluice_request_memory_waiting_connections",
        "Connections whose reading is paused waiting for request memory.",
        pool.waitingConnections,
        "gauge",
      );
      counter(
        "sluice_request_memory_paused_seconds_total",
        "Time connections spent with reading paused waiting for request memory, summed.",
        pool.pausedMs / 1000,
      );
    }
    const log = this.gauges.logHealth?.();
    if (log !== undefined) {
      counter(
        "sluice_log_damaged_ranges_total",
        "Damaged ranges of segment files found (failed CRC-32C or broken framing); skipped, never served.",
        log.damagedRanges,
      );
      counter(
        "sluice_log_fsync_failures_total",
        "Failed fsyncs of segment files; each takes its partition offline for writes until restart.",
        log.failedFsyncs,
      );
      counter(
        "sluice_log_partitions_offline_for_writes",
        "Partitions refusing writes (KAFKA_STORAGE_ERROR) after a failed fsync.",
        log.partitionsOfflineForWrites,
        "gauge",
      );
    }
    counter("sluice_partitions", "Partitions hosted.", this.gauges.partitions(), "gauge");
    counter("sluice_topics", "Topics.", this.gauges.topics(), "gauge");
    const keys = [...this.perApi.keys()].sort((a, b) => a - b);
    out.push(
      "# HELP sluice_requests_total Requests handled, per API.",
      "# TYPE sluice_requests_total counter",
    );
    for (const k of keys) {
      out.push(`sluice_requests_total{api="${apiName(k)}"} ${this.perApi.get(k)?.count ?? 0}`);
    }
    out.push(
      "# HELP sluice_request_errors_total Requests whose handler failed, per API.",
      "# TYPE sluice_request_errors_total counter",
    );
    for (const k of keys) {
      out.push(
        `sluice_request_errors_total{api="${apiName(k)}"} ${this.perApi.get(k)?.errors ?? 0}`,
      );
    }
    out.push(
      "# HELP sluice_request_duration_seconds Time from decoding a request to encoding its response.",
      "# TYPE sluice_request_duration_seconds histogram",
    );
    for (const k of keys) {
      const s = this.perApi.get(k);
      if (!s) continue;
      const api = apiName(k);
      LATENCY_BUCKETS.forEach((le, i) => {
        out.push(`sluice_request_duration_seconds_bucket{api="${api}",le="${le}"} ${s.buckets[i]}`);
      });
      out.push(`sluice_request_duration_seconds_bucket{api="${api}",le="+Inf"} ${s.count}`);
      out.push(`sluice_request_duration_seconds_sum{api="${api}"} ${s.sumSeconds}`);
      out.push(`sluice_request_duration_seconds_count{api="${api}"} ${s.count}`);
    }
    return `${out.join("\n")}\n`;
  }
}
