/** The scenarios the report shows, with their unit, direction and the goal they report against. */

/** One reported metric. */
export interface ScenarioDef {
  readonly id: string;
  readonly label: string;
  readonly unit: string;
  /** True when a larger value is better (throughput); false for time, latency, memory. */
  readonly higherIsBetter: boolean;
  /** Goal on the ratio Sluice / Kafka, e.g. { op: ">=", ratio: 1 }. */
  readonly goal?: { readonly op: ">=" | "<="; readonly ratio: number };
  /** Shown in the chart (the headline scenarios). */
  readonly chart?: boolean;
}

const TPUT = { op: ">=", ratio: 1 } as const;

/** Every scenario, in report order. */
export const SCENARIOS: readonly ScenarioDef[] = [
  {
    id: "produce.acks1.p1",
    label: "produce acks=1, 1 partition (ProducerPerformance)",
    unit: "MB/s",
    higherIsBetter: true,
    goal: TPUT,
    chart: true,
  },
  {
    id: "produce.acks1.p8",
    label: "produce acks=1, 8 partitions (ProducerPerformance)",
    unit: "MB/s",
    higherIsBetter: true,
    goal: TPUT,
    chart: true,
  },
  {
    id: "produce.acksall.p1",
    label: "produce acks=all, 1 partition, no forced fsync",
    unit: "MB/s",
    higherIsBetter: true,
    goal: TPUT,
    chart: true,
  },
  {
    id: "produce.acksall.p8",
    label: "produce acks=all, 8 partitions, no forced fsync",
    unit: "MB/s",
    higherIsBetter: true,
    goal: TPUT,
  },
  {
    id: "produce.fsync.p1",
    label: "produce acks=all, 1 partition, fsync before ack",
    unit: "MB/s",
    higherIsBetter: true,
    goal: TPUT,
    chart: true,
  },
  {
    id: "produce.fsync.p8",
    label: "produce acks=all, 8 partitions, fsync before ack",
    unit: "MB/s",
    higherIsBetter: true,
    goal: TPUT,
  },
  {
    id: "produce.kcat.acks1.p1",
    label: "produce acks=1, 1 partition (kcat -P, librdkafka)",
    unit: "MB/s",
    higherIsBetter: true,
    goal: TPUT,
    chart: true,
  },
  {
    id: "produce.kcat.acks1.p8",
    label: "produce acks=1, 8 partitions (kcat -P, librdkafka)",
    unit: "MB/s",
    higherIsBetter: true,
    goal: TPUT,
  },
  {
    id: "consume.perf.p1",
    label: "consume, 1 partition (ConsumerPerformance, incl. group join)",
    unit: "MB/s",
    higherIsBetter: true,
    goal: TPUT,
    chart: true,
  },
  {
    id: "consume.perf.fetch.p1",
    label: "consume, 1 partition (ConsumerPerformance fetch.MB.sec, excl. group join)",
    unit: "MB/s",
    higherIsBetter: true,
    goal: TPUT,
    chart: true,
  },
  {
    id: "consume.perf.join",
    label: "ConsumerPerformance group join (rebalance.time.ms)",
    unit: "ms",
    higherIsBetter: false,
  },
  {
    id: "consume.kcat.p1",
    label: "consume, 1 partition (kcat -C, librdkafka)",
    unit: "MB/s",
    higherIsBetter: true,
    goal: TPUT,
    chart: true,
  },
  {
    id: "consume.perf.p8",
    label: "consume, 8 partitions (ConsumerPerformance, incl. group join)",
    unit: "MB/s",
    higherIsBetter: true,
    goal: TPUT,
  },
  {
    id: "consume.perf.fetch.p8",
    label: "consume, 8 partitions (ConsumerPerformance fetch.MB.sec, excl. group join)",
    unit: "MB/s",
    higherIsBetter: true,
    goal: TPUT,
    chart: true,
  },
  {
    id: "consume.kcat.p8",
    label: "consume, 8 partitions (kcat -C, librdkafka)",
    unit: "MB/s",
    higherIsBetter: true,
    goal: TPUT,
    chart: true,
  },
  {
    id: "latency.r25.p50",
    label: "produce latency p50 at 25% of Sluice max",
    unit: "ms",
    higherIsBetter: false,
  },
  {
    id: "latency.r25.p99",
    label: "produce latency p99 at 25% of Sluice max",
    unit: "ms",
    higherIsBetter: false,
    goal: { op: "<=", ratio: 1 },
    chart: true,
  },
  {
    id: "latency.r25.p999",
    label: "produce latency p99.9 at 25% of Sluice max",
    unit: "ms",
    higherIsBetter: false,
  },
  {
    id: "latency.r50.p50",
    label: "produce latency p50 at 50% of Sluice max",
    unit: "ms",
    higherIsBetter: false,
  },
  {
    id: "latency.r50.p99",
    label: "produce latency p99 at 50% of Sluice max",
    unit: "ms",
    higherIsBetter: false,
    goal: { op: "<=", ratio: 1 },
    chart: true,
  },
  {
    id: "latency.r50.p999",
    label: "produce latency p99.9 at 50% of Sluice max",
    unit: "ms",
    higherIsBetter: false,
  },
  {
    id: "e2e.r25.p50",
    label: "end-to-end latency p50 at 25% of Sluice max (send to consume)",
    unit: "ms",
    higherIsBetter: false,
  },
  {
    id: "e2e.r25.p99",
    label: "end-to-end latency p99 at 25% of Sluice max (send to consume)",
    unit: "ms",
    higherIsBetter: false,
    goal: { op: "<=", ratio: 1 },
    chart: true,
  },
  {
    id: "e2e.r25.p999",
    label: "end-to-end latency p99.9 at 25% of Sluice max (send to consume)",
    unit: "ms",
    higherIsBetter: false,
  },
  {
    id: "e2e.r50.p50",
    label: "end-to-end latency p50 at 50% of Sluice max (send to consume)",
    unit: "ms",
    higherIsBetter: false,
  },
  {
    id: "e2e.r50.p99",
    label: "end-to-end latency p99 at 50% of Sluice max (send to consume)",
    unit: "ms",
    higherIsBetter: false,
    goal: { op: "<=", ratio: 1 },
    chart: true,
  },
  {
    id: "e2e.r50.p999",
    label: "end-to-end latency p99.9 at 50% of Sluice max (send to consume)",
    unit: "ms",
    higherIsBetter: false,
  },
  {
    id: "omb.p50",
    label: "OMB-like: 1 KiB, 16 partitions, acks=all, 5000 records/s: end-to-end p50",
    unit: "ms",
    higherIsBetter: false,
  },
  {
    id: "omb.p99",
    label: "OMB-like: 1 KiB, 16 partitions, acks=all, 5000 records/s: end-to-end p99",
    unit: "ms",
    higherIsBetter: false,
    goal: { op: "<=", ratio: 1 },
    chart: true,
  },
  {
    id: "omb.p999",
    label: "OMB-like: 1 KiB, 16 partitions, acks=all, 5000 records/s: end-to-end p99.9",
    unit: "ms",
    higherIsBetter: false,
  },
  {
    id: "startup.restart",
    label: "start to first acked produce (existing data dir)",
    unit: "ms",
    higherIsBetter: false,
    goal: { op: "<=", ratio: 0.1 },
    chart: true,
  },
  {
    id: "startup.fresh",
    label: "start to first acked produce (new data dir; Kafka incl. storage format)",
    unit: "ms",
    higherIsBetter: false,
  },
  {
    id: "rss.idle",
    label: "RSS at idle (VmRSS, after start-up)",
    unit: "MiB",
    higherIsBetter: false,
    goal: { op: "<=", ratio: 0.25 },
    chart: true,
  },
  {
    id: "rss.load",
    label: "RSS under produce load (max VmRSS sampled)",
    unit: "MiB",
    higherIsBetter: false,
    goal: { op: "<=", ratio: 0.25 },
    chart: true,
  },
  { id: "rss.hwm", label: "peak RSS of the run (VmHWM)", unit: "MiB", higherIsBetter: false },
];

/** The physical limits measured in the same run. */
export const LIMITS = [
  { id: "raw.seq1m", label: "raw file write, 1 MiB writes + one fdatasync", unit: "MB/s" },
  { id: "raw.sync16k", label: "raw file write, 16 KiB writes, fdatasync each", unit: "MB/s" },
  { id: "loopback", label: "one TCP stream over loopback (Node.js to Node.js)", unit: "MB/s" },
] as const;
