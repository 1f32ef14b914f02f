import * as crypto from "node:crypto";
import * as fs from "node:fs";
import * as path from "node:path";
import { Aspects, TerraformStack } from "cdktf";
// How TerraformAsset writes files next to the stack at synth; cdktf does not re-export it.
import { addCustomSynthesis } from "cdktf/lib/synthesize/synthesizer";
import { Construct } from "constructs";
import { z } from "zod";
import {
  type DeletionPolicy,
  deletionPolicySchema,
  MANIFEST_API_VERSION,
  type ManifestInput,
  manifestSchema,
} from "../manifest/schema";
import {
  CLUSTER_MODEL_VERSION,
  type ClusterModelInput,
  clusterModelFileName,
} from "../preview/cluster-model";
import { Broker } from "./broker";
import { BrokerNetwork } from "./broker-network";
import { type BrokerPlacement, placeBrokers } from "./broker-placement";
// A circular import (the checks test `instanceof StreamingCluster`); both sides use it only at run time.
import { PolicyChecks } from "./checks/policy-checks";
import { CLUSTER_ADMIN_USER, ClientAuthentication } from "./client-authentication";
import type { IClusterBinding, IClusterTarget } from "./cluster-target";
import { Engine, EngineKind } from "./engine";
import { RemovalPolicy } from "./removal-policy";
import { type ClusterLock, LOCK_FILE_CONTEXT_KEY, readLock, writeClusterLock } from "./sluice-lock";
import { formatValidationMessage, SluiceValidationError } from "./sluice-validation-error";
import { StorageVolume } from "./storage-volume";
import { Tenant, type TenantOptions } from "./tenant";
import { Topic, type TopicOptions } from "./topic";
import { validateProps } from "./validate-props";

/** Props of {@link StreamingCluster}. */
export interface StreamingClusterProps {
  /**
   * Where the brokers run, e.g. `new DockerHost(stack, "host")`. Give either this or {@link targets}.
   * @default - the single entry of `targets`
   */
  readonly target?: IClusterTarget;
  /**
   * Several hosts (e.g. `DockerHost`s on different machines): the brokers are spread round-robin
   * over them (broker `i` on `targets[i % targets.length]`) unless {@link placement} says otherwise.
   * Give either this or {@link target}.
   * @default - `[target]`
   */
  readonly targets?: readonly IClusterTarget[];
  /**
   * Explicit placement: broker `i` runs on `placement[i]`, which must be one of {@link targets}
   * (or {@link target}).
   * @default - round-robin over the targets
   */
  readonly placement?: readonly IClusterTarget[];
  /**
   * Cluster name: a lower-case DNS label; prefixes container, network and volume names.
   * @default - derived from the construct path
   */
  readonly clusterName?: string;
  /**
   * The broker software.
   * @default Engine.bundled()
   */
  readonly engine?: Engine;
  /**
   * Number of brokers (the bundled engine runs exactly one).
   * @default 1
   */
  readonly brokers?: number;
  /**
   * CPU limit of each broker container.
   * @default 1
   */
  readonly brokerCpus?: number;
  /**
   * Memory limit of each broker container, in MiB.
   * @default 512
   */
  readonly brokerMemoryMiB?: number;
  /**
   * Declared size of each broker's data volume, in GiB.
   * @default 10
   */
  readonly storageGiB?: number;
  /**
   * What happens to the brokers' data volumes when they leave the app or the stack is destroyed.
   * @default RemovalPolicy.RETAIN
   */
  readonly storageRemovalPolicy?: RemovalPolicy;
  /**
   * Acknowledge a decrease of `storageGiB` against the lock file.
   * @default false
   */
  readonly allowVolumeShrink?: boolean;
  /**
   * Host port of the first broker's client listener; broker `i` gets `hostPort + i`.
   * @default 9092
   */
  readonly hostPort?: number;
  /**
   * Host port of broker 0's replication listener, published only when the brokers span several
   * hosts (the other brokers replicate through it); broker `i` gets `+ i`.
   * @default hostPort + 100
   */
  readonly replicationHostPort?: number;
  /**
   * Host port of broker 0's KRaft controller listener, published only when the brokers span several
   * hosts (the quorum's voters reach each other through it); broker `i` gets `+ i`.
   * @default hostPort + 200
   */
  readonly controllerHostPort?: number;
  /**
   * Host address the client ports are published on. Use `0.0.0.0` only on trusted networks. On
   * several hosts, each host's `publishAddress` applies instead.
   * @default - the host's publishAddress, else "127.0.0.1"
   */
  readonly publishAddress?: string;
  /**
   * Host name or address clients outside the target use to reach the published ports; the brokers
   * advertise `<advertisedHost>:<hostPort + i>`. On several hosts, each host's `address` applies
   * instead.
   * @default - the host's address, else "127.0.0.1"
   */
  readonly advertisedHost?: string;
  /**
   * Extra networks the brokers join, typically internal ones for tenants' client containers.
   * @default - only the cluster's own network
   */
  readonly clientNetworks?: readonly BrokerNetwork[];
  /**
   * Lock file recording partition counts and volume sizes; a decrease against it is refused at synth
   * unless acknowledged. Relative paths are resolved against the working directory.
   * @default - the context value `sluice:lockFile`; with neither, no lock is kept
   */
  readonly lockFile?: string;
  /**
   * What `sluice apply` may delete when the cluster has it but the model does not: `"none"`, `"all"`,
   * or kinds among `topics` (destroys data), `configs`, `acls`, `quotas`, `credentials`. Internal
   * topics are never deleted.
   * @default "none" - removing a topic or tenant from the app leaves it on the cluster
   */
  readonly deletions?: DeletionPolicy;
  /**
   * How clients authenticate on the brokers' listener. Switching it restarts the brokers (their
   * listener changes); adding tenants afterwards does not.
   * @default - ClientAuthentication.SASL once the app adds a tenant, else ClientAuthentication.NONE
   */
  readonly clientAuthentication?: ClientAuthentication;
  /**
   * Acknowledges switching the {@link engine} (bundled ↔ Apache Kafka): the new engine's brokers start
   * empty — records, committed offsets and SCRAM credentials do not carry over. Without it, `sluice plan`
   * reports the switch as an unacknowledged `ENGINE_SWITCHED` error (exit 3).
   * @default false
   */
  readonly allowEngineSwitch?: boolean;
  /**
   * Acknowledges a change that makes the listener require authentication (the first tenant, or
   * `clientAuthentication` set to SASL): every client connecting without credentials loses access.
   * Without it, `sluice plan` reports an unacknowledged `AUTHENTICATION_REQUIRED` error (exit 3).
   * @default false
   */
  readonly allowAuthenticationChange?: boolean;
}

/** The cluster's `publishAddress` and `advertisedHost` props as given, before any default. */
export interface ClusterAddressing {
  /** The `publishAddress` prop. */
  readonly publishAddress?: string;
  /** The `advertisedHost` prop. */
  readonly advertisedHost?: string;
}

/** placeBrokers refuses an empty list of targets, so there is always a first one. */
function unreachableTarget(clusterPath: string): never {
  throw new SluiceValidationError(clusterPath, "targets", [], "at least one host");
}

/** A DNS-label-safe name from an arbitrary string. */
function dnsLabel(text: string): string {
  const label = text
    .toLowerCase()
    .replace(/[^a-z0-9-]+/g, "-")
    .replace(/^-+|-+$/g, "")
    .slice(0, 63)
    .replace(/-+$/, "");
  return label === "" ? "sluice" : label;
}

const portSchema = z
  .number({ error: "must be a port number" })
  .int({ error: "must be an integer" })
  .min(1, { error: "must be a port in 1-65535" })
  .max(65535, { error: "must be a port in 1-65535" });

const DNS_LABEL = /^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$/;

const clusterPropsSchema = z
  .object({
    clusterName: z.string().regex(DNS_LABEL, {
      error:
        "must be a lower-case DNS label: 1-63 characters of a-z, 0-9 and '-', not starting or ending with '-'",
    }),
    brokers: z
      .number({ error: "must be a number" })
      .int({ error: "must be an integer" })
      .min(1, { error: "must be >= 1" }),
    brokerCpus: z
      .number({ error: "must be a number of CPUs" })
      .positive({ error: "must be > 0 CPUs" }),
    brokerMemoryMiB: z
      .number({ error: "must be a number of MiB" })
      .int({ error: "must be an integer number of MiB" })
      .min(128, { error: "must be >= 128 MiB (the broker's Node.js heap needs it)" }),
    storageGiB: z
      .number({ error: "must be a number of GiB" })
      .positive({ error: "must be > 0 GiB" }),
    hostPort: portSchema,
    replicationHostPort: portSchema,
    controllerHostPort: portSchema,
    publishAddress: z.union([z.ipv4(), z.ipv6()], {
      error: "must be an IPv4 or IPv6 address, e.g. 127.0.0.1",
    }),
    advertisedHost: z
      .string()
      .regex(/^[A-Za-z0-9.:_-]+$/, { error: "must be a host name or IP address" }),
    deletions: deletionPolicySchema,
    clientAuthentication: z.enum(ClientAuthentication, {
      error: `must be one of ${Object.values(ClientAuthentication).join(", ")}`,
    }),
  })
  // Every prop is optional; defaults are applied before validation. Built once, not per construct.
  .partial();

/**
 * A streaming cluster: brokers running an {@link Engine} on a target, with topics and tenants added
 * through {@link addTopic} and {@link addTenant}. Topics, tenants, ACLs and quotas form the cluster's
 * manifest, which the target applies to running brokers without restarting them.
 */
export class StreamingCluster extends Construct {
  /** The cluster name (DNS label). */
  readonly clusterName: string;
  /** The broker software. */
  readonly engine: Engine;
  /** The brokers. */
  readonly brokers: readonly Broker[];
  /** The network every broker joins (ports are published from it). */
  readonly network: BrokerNetwork;
  /** Extra networks the brokers join. */
  readonly clientNetworks: readonly BrokerNetwork[];
  /** CPU limit of each broker. */
  readonly brokerCpus: number;
  /** Memory limit of each broker, in MiB. */
  readonly brokerMemoryMiB: number;
  /** Host address client ports are published on (single host; see {@link addressing}). */
  readonly publishAddress: string;
  /** Host clients use to reach the published ports (single host; see {@link addressing}). */
  readonly advertisedHost: string;
  /** `publishAddress` and `advertisedHost` as given (a target may default them per host). */
  readonly addressing: ClusterAddressing;
  /** The first of the hosts the cluster runs on (the only one, unless `targets` gave several). */
  readonly target: IClusterTarget;
  /** The hosts the cluster runs on, in the order given. */
  readonly targets: readonly IClusterTarget[];
  /** Where each broker runs, in broker order. */
  readonly placement: readonly BrokerPlacement[];
  private readonly topicList: Topic[] = [];
  private readonly tenantList: Tenant[] = [];
  private readonly topicsScope: Construct;
  private readonly tenantsScope: Construct;
  private readonly binding: IClusterBinding;
  private readonly lockFile: string | undefined;
  private readonly deletions: DeletionPolicy;
  private readonly allowEngineSwitch: boolean;
  private readonly allowAuthenticationChange: boolean;
  private readonly explicitAuthentication: ClientAuthentication | undefined;

  constructor(scope: Construct, id: string, props: StreamingClusterProps) {
    super(scope, id);
    const clusterName = props.clusterName ?? dnsLabel(this.node.path.split("/").join("-"));
    validateProps(this, clusterPropsSchema, { ...props, clusterName });
    this.engine = props.engine ?? Engine.bundled();
    const brokerCount = props.brokers ?? 1;
    if (brokerCount > this.engine.maxBrokers) {
      throw new SluiceValidationError(
        this.node.path,
        "brokers",
        brokerCount,
        this.engine.kind === EngineKind.BUNDLED
          ? "the bundled engine runs exactly 1 broker; use Engine.apacheKafka({ version }) for more"
          : `at most ${this.engine.maxBrokers} brokers with ${this.engine.kind}`,
      );
    }
    this.clusterName = clusterName;
    if ((props.target === undefined) === (props.targets === undefined)) {
      throw new SluiceValidationError(
        this.node.path,
        "target",
        props.target?.node.path,
        props.target === undefined
          ? "a host: give target (one host) or targets (several)"
          : "either target or targets, not both",
      );
    }
    this.targets = props.targets ?? (props.target === undefined ? [] : [props.target]);
    this.brokerCpus = props.brokerCpus ?? 1;
    this.brokerMemoryMiB = props.brokerMemoryMiB ?? 512;
    this.publishAddress = props.publishAddress ?? "127.0.0.1";
    this.advertisedHost = props.advertisedHost ?? "127.0.0.1";
    this.addressing = {
      publishAddress: props.publishAddress,
      advertisedHost: props.advertisedHost,
    };
    this.clientNetworks = props.clientNetworks ?? [];
    this.deletions = props.deletions ?? "none";
    this.allowEngineSwitch = props.allowEngineSwitch ?? false;
    this.allowAuthenticationChange = props.allowAuthenticationChange ?? false;
    this.explicitAuthentication = props.clientAuthentication;
    const contextLock = this.node.tryGetContext(LOCK_FILE_CONTEXT_KEY);
    const lockFile = props.lockFile ?? (typeof contextLock === "string" ? contextLock : undefined);
    this.lockFile = lockFile === undefined ? undefined : path.resolve(lockFile);

    this.network = new BrokerNetwork(this, "network", { networkName: clusterName });
    const hostPort = props.hostPort ?? 9092;
    const replicationHostPort = props.replicationHostPort ?? hostPort + 100;
    const controllerHostPort = props.controllerHostPort ?? hostPort + 200;
    const brokers: Broker[] = [];
    for (let i = 0; i < brokerCount; i++) {
      const brokerScope = new Construct(this, `broker-${i}`);
      const volume = new StorageVolume(brokerScope, "data", {
        volumeName: `${clusterName}-broker-${i}-data`,
        sizeGiB: props.storageGiB ?? 10,
        removalPolicy: props.storageRemovalPolicy ?? RemovalPolicy.RETAIN,
        allowVolumeShrink: props.allowVolumeShrink ?? false,
      });
      brokers.push(
        new Broker(brokerScope, "broker", {
          nodeId: i,
          hostPort: hostPort + i,
          replicationHostPort: replicationHostPort + i,
          controllerHostPort: controllerHostPort + i,
          volume,
        }),
      );
    }
    this.brokers = brokers;
    this.placement = placeBrokers(
      { clusterPath: this.node.path, targets: this.targets, placement: props.placement },
      brokers,
    );
    this.target = this.targets[0] ?? unreachableTarget(this.node.path);
    this.topicsScope = new Construct(this, "topics");
    this.tenantsScope = new Construct(this, "tenants");
    this.binding = this.target.bindCluster(this);
    this.node.addValidation({ validate: () => this.validateCluster() });
    Aspects.of(this).add(new PolicyChecks());
    // `sluice plan` compares these models of two synth outputs (lib/preview).
    addCustomSynthesis(this, {
      onSynthesize: (session) => {
        const stackDir = session.manifest.forStack(TerraformStack.of(this)).workingDirectory;
        const file = path.join(session.outdir, stackDir, clusterModelFileName(this.clusterName));
        fs.writeFileSync(file, `${JSON.stringify(this.toModel(), null, 2)}\n`);
      },
    });
  }

  /** The model `sluice plan` compares: brokers, engine, acknowledgements and the manifest. */
  toModel(): ClusterModelInput {
    return {
      sluiceClusterModel: CLUSTER_MODEL_VERSION,
      cluster: this.clusterName,
      constructPath: this.node.path,
      engine: {
        kind: this.engine.kind,
        version: this.engine.version ?? null,
        image: this.binding.brokerImage ?? null,
        baseImage: this.engine.baseImage ?? null,
      },
      clientAuthentication: this.clientAuthentication,
      brokers: this.placement.map(({ broker: b, target }) => ({
        nodeId: b.nodeId,
        cpus: this.brokerCpus,
        memoryMiB: this.brokerMemoryMiB,
        hostPort: b.hostPort,
        host: target.node.path,
        volume: {
          name: b.volume.volumeName,
          sizeGiB: b.volume.sizeGiB,
          removalPolicy: b.volume.removalPolicy,
          allowShrink: b.volume.allowVolumeShrink,
        },
      })),
      acknowledgedPartitionDecreases: this.topicList
        .filter((t) => t.allowPartitionDecrease)
        .map((t) => t.topicName)
        .sort(),
      acknowledgedEngineSwitch: this.allowEngineSwitch,
      acknowledgedAuthenticationChange: this.allowAuthenticationChange,
      lockFile: this.lockFile !== undefined,
      manifest: this.toManifest(),
    };
  }

  /** How clients authenticate: the prop, else SASL when the app has tenants. */
  get clientAuthentication(): ClientAuthentication {
    if (this.explicitAuthentication !== undefined) return this.explicitAuthentication;
    return this.tenantList.length > 0 ? ClientAuthentication.SASL : ClientAuthentication.NONE;
  }

  /** Number of brokers. */
  get brokerCount(): number {
    return this.brokers.length;
  }

  /** Bootstrap servers for clients outside the target (`host:port,…`). */
  get bootstrapServers(): string {
    return this.binding.bootstrapServers;
  }

  /** The topics, in the order they were added. */
  get topics(): readonly Topic[] {
    return [...this.topicList];
  }

  /** The tenants, in the order they were added. */
  get tenants(): readonly Tenant[] {
    return [...this.tenantList];
  }

  /** Adds a topic. The construct id is the topic name unless `options.topicName` is given. */
  addTopic(id: string, options: TopicOptions = {}): Topic {
    const topic = new Topic(this.topicsScope, id, { ...options, cluster: this });
    this.topicList.push(topic);
    return topic;
  }

  /** Adds a tenant. The construct id is the tenant name unless `options.tenantName` is given. */
  addTenant(id: string, options: TenantOptions = {}): Tenant {
    const tenant = new Tenant(this.tenantsScope, id, { ...options, cluster: this });
    this.tenantList.push(tenant);
    this.binding.bindTenant(tenant);
    return tenant;
  }

  /** The desired state (topics, principals, tenants, ACLs, quotas) as a `sluice apply` manifest. */
  toManifest(): ManifestInput {
    const byName =
      <T>(key: (t: T) => string) =>
      (a: T, b: T) =>
        key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0;
    const tenants = [...this.tenantList].sort(byName((t) => t.tenantName));
    const GiB = 1024 ** 3;
    return {
      apiVersion: MANIFEST_API_VERSION,
      cluster: this.clusterName,
      deletions: this.deletions,
      topics: [...this.topicList].sort(byName((t) => t.topicName)).map((t) => ({
        name: t.topicName,
        partitions: t.partitions,
        replicationFactor: t.replicationFactor,
        configs: t.kafkaConfigs,
      })),
      principals: tenants.flatMap((t) =>
        t.principals.map((p) => ({
          name: p.name,
          mechanism: t.saslMechanism,
          credential: { env: p.credentialEnv },
        })),
      ),
      tenants: tenants.map((t) => ({
        name: t.tenantName,
        topicPrefix: t.topicPrefix,
        groupPrefix: t.groupPrefix,
        principals: t.principals.map((p) => p.name),
        limits: withoutUndefined({
          storageBytes:
            t.quotas.storageGiB === undefined ? undefined : Math.round(t.quotas.storageGiB * GiB),
          maxTopics: t.quotas.maxTopics,
          maxPartitions: t.quotas.maxPartitions,
          maxConnections: t.quotas.maxConnections,
        }),
      })),
      acls: tenants.flatMap((t) =>
        t.principals.flatMap((p) =>
          t.grants.map((g) => ({
            resourceType: g.resourceType,
            patternType: g.patternType,
            resourceName: g.resourceName,
            principal: `User:${p.name}`,
            host: "*",
            operation: g.operation,
            permission: "allow" as const,
          })),
        ),
      ),
      quotas: tenants.flatMap((t) => {
        const values = withoutUndefined({
          producer_byte_rate: t.quotas.produceBytesPerSecond,
          consumer_byte_rate: t.quotas.consumeBytesPerSecond,
          request_percentage: t.quotas.cpus === undefined ? undefined : t.quotas.cpus * 100,
        });
        if (Object.keys(values).length === 0) return [];
        return t.principals.map((p) => ({ entity: { user: p.name }, values }));
      }),
    };
  }

  /** The manifest as the canonical JSON document `sluice apply` reads. */
  manifestJson(): string {
    return `${JSON.stringify(this.toManifest(), null, 2)}\n`;
  }

  /** SHA-256 of {@link manifestJson}: changes exactly when the desired state changes. */
  manifestHash(): string {
    return crypto.createHash("sha256").update(this.manifestJson()).digest("hex");
  }

  private validateCluster(): string[] {
    const errors: string[] = [];
    for (const topic of this.topicList) errors.push(...topic.checkAgainstCluster());
    for (const tenant of this.tenantList) errors.push(...tenant.checkAgainstCluster());
    errors.push(...this.checkTopicNames(), ...this.checkTenants(), ...this.checkAuthentication());
    if (errors.length === 0) {
      const parsed = manifestSchema.safeParse(this.toManifest());
      if (!parsed.success) {
        for (const issue of parsed.error.issues) {
          errors.push(
            formatValidationMessage(
              this.node.path,
              `manifest.${issue.path.join(".")}`,
              undefined,
              issue.message,
            ),
          );
        }
      }
    }
    if (errors.length === 0 && this.lockFile !== undefined)
      errors.push(...this.checkAndWriteLock(this.lockFile));
    return errors;
  }

  private checkTopicNames(): string[] {
    const errors: string[] = [];
    const seen = new Map<string, Topic>();
    const collisions = new Map<string, Topic>();
    for (const topic of this.topicList) {
      const other = seen.get(topic.topicName);
      if (other !== undefined) {
        errors.push(
          formatValidationMessage(
            topic.node.path,
            "topicName",
            topic.topicName,
            `already used by ${other.node.path}; topic names are unique in a cluster`,
          ),
        );
        continue;
      }
      seen.set(topic.topicName, topic);
      // Kafka's metric names replace '.' with '_', so `a.b` and `a_b` cannot coexist.
      const key = topic.topicName.replace(/\./g, "_");
      const clash = collisions.get(key);
      if (clash !== undefined) {
        errors.push(
          formatValidationMessage(
            topic.node.path,
            "topicName",
            topic.topicName,
            `collides with "${clash.topicName}" (${clash.node.path}): Kafka treats '.' and '_' as equal in topic names; rename one`,
          ),
        );
      } else {
        collisions.set(key, topic);
      }
    }
    return errors;
  }

  private checkAuthentication(): string[] {
    const errors: string[] = [];
    if (this.tenantList.length > 0 && this.clientAuthentication === ClientAuthentication.NONE) {
      errors.push(
        formatValidationMessage(
          this.node.path,
          "clientAuthentication",
          ClientAuthentication.NONE,
          `ClientAuthentication.SASL (or unset): the cluster has tenants (${this.tenantList.map((t) => t.tenantName).join(", ")}), whose principals must authenticate`,
        ),
      );
    }
    for (const tenant of this.tenantList) {
      if (tenant.principals.some((p) => p.name === CLUSTER_ADMIN_USER)) {
        errors.push(
          formatValidationMessage(
            tenant.node.path,
            "principals",
            CLUSTER_ADMIN_USER,
            `any name but "${CLUSTER_ADMIN_USER}", the cluster's administrator`,
          ),
        );
      }
    }
    return errors;
  }

  private checkTenants(): string[] {
    const errors: string[] = [];
    const tenants = this.tenantList;
    for (let i = 0; i < tenants.length; i++) {
      for (let j = 0; j < i; j++) {
        const a = tenants[i];
        const b = tenants[j];
        if (a === undefined || b === undefined) continue;
        if (a.tenantName === b.tenantName) {
          errors.push(
            formatValidationMessage(
              a.node.path,
              "tenantName",
              a.tenantName,
              `already used by ${b.node.path}`,
            ),
          );
        }
        for (const field of ["topicPrefix", "groupPrefix"] as const) {
          if (a[field].startsWith(b[field]) || b[field].startsWith(a[field])) {
            errors.push(
              formatValidationMessage(
                a.node.path,
                field,
                a[field],
                `overlaps tenant "${b.tenantName}" (${field} "${b[field]}"): one tenant would own the other's ${field === "topicPrefix" ? "topics" : "groups"}; prefixes must not start with one another`,
              ),
            );
          }
        }
      }
    }
    const principals = new Map<string, Tenant>();
    for (const tenant of tenants) {
      for (const p of tenant.principals) {
        const owner = principals.get(p.name);
        if (owner !== undefined && owner !== tenant) {
          errors.push(
            formatValidationMessage(
              tenant.node.path,
              "principals",
              p.name,
              `already a principal of tenant "${owner.tenantName}"; a principal acts for one tenant`,
            ),
          );
        }
        principals.set(p.name, tenant);
      }
    }
    return errors;
  }

  private checkAndWriteLock(file: string): string[] {
    let previous: ClusterLock | undefined;
    try {
      previous = readLock(file).clusters[this.clusterName];
    } catch (e) {
      return [`${this.node.path}: lockFile ${(e as Error).message}`];
    }
    const errors: string[] = [];
    for (const topic of this.topicList) {
      const before = previous?.topics[topic.topicName];
      if (before !== undefined && topic.partitions < before && !topic.allowPartitionDecrease) {
        errors.push(
          formatValidationMessage(
            topic.node.path,
            "partitions",
            topic.partitions,
            `lower than the ${before} recorded in ${file}; Kafka cannot remove partitions (keys would move to other partitions). Keep ${before} or more, or set allowPartitionDecrease: true to acknowledge`,
          ),
        );
      }
    }
    for (const broker of this.brokers) {
      const volume = broker.volume;
      const before = previous?.volumes[volume.volumeName];
      if (before !== undefined && volume.sizeGiB < before && !volume.allowVolumeShrink) {
        errors.push(
          formatValidationMessage(
            volume.node.path,
            "sizeGiB",
            volume.sizeGiB,
            `lower than the ${before} GiB recorded in ${file}; data may no longer fit. Keep ${before} or more, or set allowVolumeShrink: true to acknowledge`,
          ),
        );
      }
    }
    if (errors.length > 0) return errors;
    writeClusterLock(file, this.clusterName, {
      topics: Object.fromEntries(this.topicList.map((t) => [t.topicName, t.partitions])),
      volumes: Object.fromEntries(this.brokers.map((b) => [b.volume.volumeName, b.volume.sizeGiB])),
    });
    return [];
  }
}

function withoutUndefined<T extends Record<string, number | undefined>>(
  o: T,
): { [K in keyof T]?: number } {
  const out: { [K in keyof T]?: number } = {};
  for (const [k, v] of Object.entries(o)) {
    if (v !== undefined) out[k as keyof T] = v;
  }
  return out;
}
