import { Construct } from "constructs";
import { z } from "zod";
import { CleanupPolicy } from "./cleanup-policy";
import type { StreamingCluster } from "./streaming-cluster";
import { isResolved, validateProps } from "./validate-props";

/** A topic, as other constructs reference it (e.g. in `tenant.grantProduce(topic)`). */
export interface ITopic {
  /** The Kafka topic name. */
  readonly topicName: string;
  /** The partition count. */
  readonly partitions: number;
}

/** Settings of a topic, for {@link StreamingCluster.addTopic}. */
export interface TopicOptions {
  /**
   * The Kafka topic name: 1-249 characters of `a-z A-Z 0-9 . _ -`, not `.` or `..`, not starting
   * with `__` (reserved for internal topics).
   * @default - the construct id
   */
  readonly topicName?: string;
  /**
   * Number of partitions. Partitions only grow; a decrease is refused at synth unless
   * {@link allowPartitionDecrease} is set (and even then the broker keeps the existing ones).
   * @default 1
   */
  readonly partitions?: number;
  /**
   * Copies of each partition; at most the number of brokers.
   * @default - the number of brokers, at most 3
   */
  readonly replicationFactor?: number;
  /**
   * How long records are kept (`retention.ms`), in hours; `-1` keeps them forever.
   * @default - the broker default (168 hours)
   */
  readonly retentionHours?: number;
  /**
   * Largest size of each partition before old segments are deleted (`retention.bytes`); `-1` = no limit.
   * @default - the broker default (no limit)
   */
  readonly retentionBytes?: number;
  /**
   * How old records are removed (`cleanup.policy`).
   * @default CleanupPolicy.DELETE
   */
  readonly cleanupPolicy?: CleanupPolicy;
  /**
   * Largest record batch accepted (`max.message.bytes`).
   * @default - the broker default (1048588)
   */
  readonly maxMessageBytes?: number;
  /**
   * Replicas that must acknowledge an `acks=all` write (`min.insync.replicas`); at most the replication factor.
   * @default - the broker default (1)
   */
  readonly minInsyncReplicas?: number;
  /**
   * Size of a log segment file (`segment.bytes`).
   * @default - the broker default (1 GiB)
   */
  readonly segmentBytes?: number;
  /**
   * Acknowledge that this synth lowers the partition count recorded in the lock file. Kafka cannot
   * remove partitions: the broker keeps the existing ones; only the declared model shrinks.
   * @default false
   */
  readonly allowPartitionDecrease?: boolean;
}

/** Props of {@link Topic}. */
export interface TopicProps extends TopicOptions {
  /** The cluster that holds the topic. */
  readonly cluster: StreamingCluster;
}

/** Internal topic names (Kafka's own, such as `__consumer_offsets`) start with this. */
export const INTERNAL_TOPIC_PREFIX = "__";

const int = (min: number, what: string) =>
  z
    .number({ error: `must be a number (${what})` })
    .int(`must be an integer (${what})`)
    .min(min, {
      error: `must be >= ${min} (${what})`,
    });

const topicPropsSchema = z
  .object({
    topicName: z
      .string()
      .max(249, { error: "must be at most 249 characters (Kafka's limit)" })
      .regex(/^[a-zA-Z0-9._-]+$/, {
        error: "must be 1-249 characters of a-z, A-Z, 0-9, '.', '_' or '-'",
      })
      .refine((n) => n !== "." && n !== "..", { error: "must not be '.' or '..'" })
      .refine((n) => !n.startsWith(INTERNAL_TOPIC_PREFIX), {
        error: "must not start with '__' (reserved for Kafka's internal topics)",
      }),
    partitions: int(1, "at least 1 partition").max(100_000, { error: "must be <= 100000" }),
    replicationFactor: int(1, "at least 1 replica").max(32_767, { error: "must be <= 32767" }),
    retentionHours: z.number().refine((h) => h === -1 || h > 0, {
      error: "must be > 0 hours, or -1 to keep records forever",
    }),
    retentionBytes: z
      .number()
      .int({ error: "must be an integer" })
      .refine((b) => b === -1 || b > 0, { error: "must be > 0 bytes, or -1 for no size limit" }),
    cleanupPolicy: z.enum(CleanupPolicy, {
      error: "must be CleanupPolicy.DELETE, COMPACT or COMPACT_DELETE",
    }),
    maxMessageBytes: int(0, "bytes"),
    minInsyncReplicas: int(1, "at least 1 replica"),
    segmentBytes: int(14, "bytes; Kafka's minimum is 14"),
  })
  // Every prop is optional; defaults are applied before validation. Built once, not per construct.
  .partial();

/**
 * A Kafka topic of a {@link StreamingCluster}. Topics are desired state: they reach the running
 * brokers through the manifest and `sluice apply`, never by replacing a broker.
 */
export class Topic extends Construct implements ITopic {
  readonly topicName: string;
  readonly partitions: number;
  /** The replication factor (declared, or the cluster default). */
  readonly replicationFactor: number;
  /** Whether a partition decrease against the lock file is acknowledged. */
  readonly allowPartitionDecrease: boolean;
  /** The cluster that holds the topic. */
  readonly cluster: StreamingCluster;
  private readonly configs: Record<string, string>;
  private readonly minInsyncReplicas: number | undefined;

  constructor(scope: Construct, id: string, props: TopicProps) {
    super(scope, id);
    const { cluster, ...options } = props;
    const topicName = options.topicName ?? id;
    const replicationFactor = options.replicationFactor ?? Math.min(cluster.brokerCount, 3);
    validateProps(this, topicPropsSchema, { ...options, topicName });
    this.cluster = cluster;
    this.topicName = topicName;
    this.partitions = options.partitions ?? 1;
    this.replicationFactor = replicationFactor;
    this.allowPartitionDecrease = options.allowPartitionDecrease ?? false;
    // With three or more replicas, an acks=all write survives one broker down and still has two
    // copies: Kafka's usual production setting (its own default, 1, would accept a single copy).
    const minInsyncReplicas =
      options.minInsyncReplicas ??
      (isResolved(replicationFactor) && replicationFactor >= 3 ? 2 : undefined);
    this.minInsyncReplicas = minInsyncReplicas;
    this.configs = topicConfigs({ ...options, minInsyncReplicas });
  }

  /** Kafka topic configs (`retention.ms`, …) for the settings given; unset ones are left to the broker. */
  get kafkaConfigs(): Readonly<Record<string, string>> {
    return { ...this.configs };
  }

  /**
   * Checks that need the cluster (run by the cluster's synth-time validation, so that the lock file
   * is only written when every check passed).
   */
  checkAgainstCluster(): string[] {
    const errors: string[] = [];
    // Construction skips tokens, but a topic is desired state in the manifest, which is hashed and
    // uploaded at synth: its numbers must be known by then.
    for (const [field, value] of [
      ["partitions", this.partitions],
      ["replicationFactor", this.replicationFactor],
    ] as const) {
      if (!isResolved(value)) {
        errors.push(
          `${this.node.path}: ${field} is a deploy-time value, which is not allowed: topic settings go into the manifest at synth; give a number`,
        );
      }
    }
    const brokers = this.cluster.brokerCount;
    if (isResolved(this.replicationFactor) && this.replicationFactor > brokers) {
      errors.push(
        `${this.node.path}: replicationFactor = ${this.replicationFactor} is not allowed: must be <= the cluster's ${brokers} broker(s); lower it or add brokers`,
      );
    }
    const minIsr = this.minInsyncReplicas;
    if (minIsr !== undefined && isResolved(minIsr) && minIsr > this.replicationFactor) {
      errors.push(
        `${this.node.path}: minInsyncReplicas = ${minIsr} is not allowed: must be <= replicationFactor (${this.replicationFactor}), or every acks=all write fails`,
      );
    }
    return errors;
  }
}

/** Maps typed topic options onto Kafka config names and string values. */
export function topicConfigs(options: TopicOptions): Record<string, string> {
  const out: Record<string, string> = {};
  const set = (key: string, value: number | string | undefined) => {
    if (value !== undefined) out[key] = String(value);
  };
  set("cleanup.policy", options.cleanupPolicy);
  set("max.message.bytes", options.maxMessageBytes);
  set("min.insync.replicas", options.minInsyncReplicas);
  set("retention.bytes", options.retentionBytes);
  if (options.retentionHours !== undefined) {
    set(
      "retention.ms",
      options.retentionHours === -1 ? -1 : Math.round(options.retentionHours * 3_600_000),
    );
  }
  set("segment.bytes", options.segmentBytes);
  return out;
}
