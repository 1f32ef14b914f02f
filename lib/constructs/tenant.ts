import { Construct } from "constructs";
import { z } from "zod";
import { SaslMechanism } from "./sasl-mechanism";
import { formatValidationMessage } from "./sluice-validation-error";
import type { StreamingCluster } from "./streaming-cluster";
import type { ITopic, Topic, TopicOptions } from "./topic";
import { validateProps } from "./validate-props";

/** A tenant, as other constructs reference it. */
export interface ITenant {
  /** The tenant name (a lower-case DNS label). */
  readonly tenantName: string;
  /** Every topic the tenant owns starts with this. */
  readonly topicPrefix: string;
  /** Every consumer group the tenant owns starts with this. */
  readonly groupPrefix: string;
}

/** Settings of a tenant, for {@link StreamingCluster.addTenant}. */
export interface TenantOptions {
  /**
   * Tenant name: a lower-case DNS label (`a-z 0-9 -`, at most 63 characters).
   * @default - the construct id
   */
  readonly tenantName?: string;
  /**
   * Prefix of every topic the tenant owns (and may create, describe, delete).
   * @default - `<tenantName>.`
   */
  readonly topicPrefix?: string;
  /**
   * Prefix of every consumer group the tenant owns.
   * @default - the topic prefix
   */
  readonly groupPrefix?: string;
  /**
   * SASL user names acting for the tenant. Each gets a password generated at deploy time (kept in
   * Terraform state, never in the synthesized JSON) and exposed as a sensitive output.
   * @default - one principal named after the tenant
   */
  readonly principals?: readonly string[];
  /**
   * How the principals authenticate.
   * @default SaslMechanism.SCRAM_SHA_512
   */
  readonly saslMechanism?: SaslMechanism;
  /**
   * Produce bandwidth of each principal (Kafka quota `producer_byte_rate`), bytes per second. Apache
   * Kafka enforces it on each broker, so a principal writing to partitions led by several brokers
   * may reach this rate times their number.
   * @default - unlimited
   */
  readonly produceBytesPerSecond?: number;
  /**
   * Fetch bandwidth of each principal (Kafka quota `consumer_byte_rate`), bytes per second, on each
   * broker as for {@link produceBytesPerSecond}.
   * @default - unlimited
   */
  readonly consumeBytesPerSecond?: number;
  /**
   * Bytes on disk over all the tenant's partitions, in GiB (enforced by the Sluice broker); also
   * counted against the host's declared storage.
   * @default - unlimited, and not counted against the host
   */
  readonly storageGiB?: number;
  /**
   * Broker CPU time of each principal, in CPUs (Kafka quota `request_percentage` = cpus × 100);
   * also counted against the host's declared CPUs.
   * @default - unlimited, and not counted against the host
   */
  readonly cpus?: number;
  /**
   * Memory reserved for the tenant on the host, in MiB (a capacity-planning declaration checked
   * against the host's declared memory; the broker does not enforce it).
   * @default - nothing reserved
   */
  readonly memoryMiB?: number;
  /**
   * Topics the tenant may have.
   * @default - unlimited
   */
  readonly maxTopics?: number;
  /**
   * Partitions over all the tenant's topics.
   * @default - unlimited
   */
  readonly maxPartitions?: number;
  /**
   * Concurrent connections of all the tenant's principals.
   * @default - unlimited
   */
  readonly maxConnections?: number;
}

/** Props of {@link Tenant}. */
export interface TenantProps extends TenantOptions {
  /** The cluster the tenant uses. */
  readonly cluster: StreamingCluster;
}

/** An ACL a tenant needs, in manifest terms. */
export interface TenantGrant {
  /** Kafka resource type the grant is on. */
  readonly resourceType: "topic" | "group" | "transactionalId" | "cluster";
  /** `literal`: exactly `resourceName`; `prefixed`: every resource starting with it. */
  readonly patternType: "literal" | "prefixed";
  /** Resource name, or prefix (`prefixed`); `kafka-cluster` for the cluster. */
  readonly resourceName: string;
  /** Kafka operation allowed. */
  readonly operation: "all" | "read" | "write" | "describe" | "idempotentWrite";
}

/** One SASL principal of a tenant and where its password comes from at apply time. */
export interface TenantPrincipal {
  /** User name (`User:<name>` in ACLs). */
  readonly name: string;
  /** Name of the environment variable that carries the password into `sluice apply`. */
  readonly credentialEnv: string;
}

const positive = (what: string) =>
  z.number({ error: `must be a number (${what})` }).positive({ error: `must be > 0 (${what})` });
const positiveInt = (what: string) =>
  z
    .number({ error: `must be a number (${what})` })
    .int({ error: `must be an integer (${what})` })
    .positive({ error: `must be > 0 (${what})` });
const PREFIX = /^[a-zA-Z0-9._-]+$/;

const tenantPropsSchema = z
  .object({
    tenantName: z.string().regex(/^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$/, {
      error:
        "must be a lower-case DNS label: 1-63 characters of a-z, 0-9 and '-', not starting or ending with '-'",
    }),
    topicPrefix: z
      .string()
      .regex(PREFIX, { error: "must be non-empty, of a-z, A-Z, 0-9, '.', '_' or '-'" })
      .refine((p) => !p.startsWith("__"), { error: "must not start with '__' (internal topics)" }),
    groupPrefix: z.string().regex(PREFIX, {
      error: "must be non-empty, of a-z, A-Z, 0-9, '.', '_' or '-'",
    }),
    principals: z
      .array(
        z.string().regex(/^[A-Za-z0-9._@+-]{1,255}$/, {
          error: "each must be 1-255 characters of A-Z, a-z, 0-9, . _ @ + -",
        }),
      )
      .min(1, { error: "needs at least one principal" })
      .refine((names) => new Set(names).size === names.length, { error: "must not repeat a name" }),
    saslMechanism: z.enum(SaslMechanism, { error: "must be a SaslMechanism" }),
    produceBytesPerSecond: positiveInt("bytes per second"),
    consumeBytesPerSecond: positiveInt("bytes per second"),
    storageGiB: positive("GiB"),
    cpus: positive("CPUs"),
    memoryMiB: positiveInt("MiB"),
    maxTopics: positiveInt("topics"),
    maxPartitions: positiveInt("partitions"),
    maxConnections: positiveInt("connections"),
  })
  // Every prop is optional; defaults are applied before validation. Built once, not per construct.
  .partial();

/**
 * A tenant of a {@link StreamingCluster}: principals that own every topic and consumer group under a
 * prefix, with quotas. Its principals see and touch nothing else unless granted.
 */
export class Tenant extends Construct implements ITenant {
  readonly tenantName: string;
  readonly topicPrefix: string;
  readonly groupPrefix: string;
  /** The tenant's SASL principals. */
  readonly principals: readonly TenantPrincipal[];
  /** How the principals authenticate. */
  readonly saslMechanism: SaslMechanism;
  /** The cluster the tenant uses. */
  readonly cluster: StreamingCluster;
  /** The quota and limit settings, as given. */
  readonly quotas: Readonly<
    Pick<
      TenantOptions,
      | "produceBytesPerSecond"
      | "consumeBytesPerSecond"
      | "storageGiB"
      | "cpus"
      | "memoryMiB"
      | "maxTopics"
      | "maxPartitions"
      | "maxConnections"
    >
  >;
  private readonly extraGrants: TenantGrant[] = [];
  /** The topics given to grantProduce/grantConsume, checked against the cluster at synth. */
  private readonly grantedTopics: { readonly method: string; readonly topic: ITopic }[] = [];

  constructor(scope: Construct, id: string, props: TenantProps) {
    super(scope, id);
    const { cluster, ...options } = props;
    const tenantName = options.tenantName ?? id;
    const topicPrefix = options.topicPrefix ?? `${tenantName}.`;
    const groupPrefix = options.groupPrefix ?? topicPrefix;
    const principalNames = options.principals ?? [tenantName];
    validateProps(this, tenantPropsSchema, {
      ...options,
      tenantName,
      topicPrefix,
      groupPrefix,
      principals: principalNames,
    });
    this.cluster = cluster;
    this.tenantName = tenantName;
    this.topicPrefix = topicPrefix;
    this.groupPrefix = groupPrefix;
    this.saslMechanism = options.saslMechanism ?? SaslMechanism.SCRAM_SHA_512;
    this.principals = principalNames.map((name) => ({
      name,
      credentialEnv: credentialEnvName(tenantName, name),
    }));
    this.quotas = {
      produceBytesPerSecond: options.produceBytesPerSecond,
      consumeBytesPerSecond: options.consumeBytesPerSecond,
      storageGiB: options.storageGiB,
      cpus: options.cpus,
      memoryMiB: options.memoryMiB,
      maxTopics: options.maxTopics,
      maxPartitions: options.maxPartitions,
      maxConnections: options.maxConnections,
    };
  }

  /**
   * Adds a topic owned by this tenant: its name is the tenant's topic prefix followed by
   * `options.topicName` (default: the construct id).
   */
  addTopic(id: string, options: TopicOptions = {}): Topic {
    // The full name is the construct id: ids must be unique among the cluster's topics, and two
    // tenants may both have a `payments` topic.
    const topicName = `${this.topicPrefix}${options.topicName ?? id}`;
    return this.cluster.addTopic(topicName, { ...options, topicName });
  }

  /** Lets the tenant's principals write to (and describe) a topic it does not own. */
  grantProduce(topic: ITopic): void {
    this.grantedTopics.push({ method: "grantProduce", topic });
    this.grant({
      resourceType: "topic",
      patternType: "literal",
      resourceName: topic.topicName,
      operation: "write",
    });
    this.grant({
      resourceType: "topic",
      patternType: "literal",
      resourceName: topic.topicName,
      operation: "describe",
    });
  }

  /**
   * Lets the tenant's principals read (and describe) a topic it does not own. `group` names a consumer
   * group outside the tenant's group prefix to allow as well; groups under the prefix are always allowed.
   */
  grantConsume(topic: ITopic, group?: string): void {
    this.grantedTopics.push({ method: "grantConsume", topic });
    this.grant({
      resourceType: "topic",
      patternType: "literal",
      resourceName: topic.topicName,
      operation: "read",
    });
    this.grant({
      resourceType: "topic",
      patternType: "literal",
      resourceName: topic.topicName,
      operation: "describe",
    });
    if (group !== undefined && !group.startsWith(this.groupPrefix)) {
      this.grant({
        resourceType: "group",
        patternType: "literal",
        resourceName: group,
        operation: "read",
      });
    }
  }

  /** Every ACL the tenant's principals get: ownership of its prefixes, then explicit grants. */
  get grants(): readonly TenantGrant[] {
    return [
      {
        resourceType: "topic",
        patternType: "prefixed",
        resourceName: this.topicPrefix,
        operation: "all",
      },
      {
        resourceType: "group",
        patternType: "prefixed",
        resourceName: this.groupPrefix,
        operation: "all",
      },
      {
        resourceType: "transactionalId",
        patternType: "prefixed",
        resourceName: this.topicPrefix,
        operation: "all",
      },
      {
        resourceType: "cluster",
        patternType: "literal",
        resourceName: "kafka-cluster",
        operation: "idempotentWrite",
      },
      ...this.extraGrants,
    ];
  }

  /**
   * Synth-time check that every grant can take effect: its topic must be one of this tenant's
   * cluster's topics (the same construct, or the name of one for a plain {@link ITopic}). A grant
   * on a topic of another cluster, or on one nobody declares (auto-creation is off), would be an
   * ACL on nothing. Called by the cluster's validation.
   */
  checkAgainstCluster(): string[] {
    const topics = this.cluster.topics;
    const errors: string[] = [];
    for (const { method, topic } of this.grantedTopics) {
      // A topic construct must be one of the cluster's; a plain ITopic must name one.
      const construct = topic instanceof Construct ? topic : undefined;
      const declared = topics.some((t) =>
        construct !== undefined ? t === construct : t.topicName === topic.topicName,
      );
      if (declared) continue;
      const where =
        construct !== undefined
          ? `${construct.node.path} belongs to another cluster`
          : "no topic of that name is declared";
      errors.push(
        formatValidationMessage(
          this.node.path,
          `${method}(topic)`,
          topic.topicName,
          `a topic of this tenant's cluster ${this.cluster.node.path} (${where}; declare it with cluster.addTopic, or grant on the other cluster's tenant)`,
        ),
      );
    }
    return errors;
  }

  private grant(grant: TenantGrant): void {
    const same = (g: TenantGrant) =>
      g.resourceType === grant.resourceType &&
      g.patternType === grant.patternType &&
      g.resourceName === grant.resourceName &&
      g.operation === grant.operation;
    if (!this.extraGrants.some(same)) this.extraGrants.push(grant);
  }
}

/** `SLUICE_PASSWORD_<TENANT>_<PRINCIPAL>`, upper-cased, other characters as `_`. */
export function credentialEnvName(tenantName: string, principal: string): string {
  const clean = (s: string) => s.toUpperCase().replace(/[^A-Z0-9]/g, "_");
  return `SLUICE_PASSWORD_${clean(tenantName)}_${clean(principal)}`;
}
