import { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import { Aspects, TerraformStack } from "cdktf";
import { Construct } from "constructs";
import { z } from "zod";
import type {
  IClusterBinding,
  IClusterTarget,
  TargetCapacity,
} from "../../constructs/cluster-target";
import {
  formatValidationMessage,
  SluiceValidationError,
} from "../../constructs/sluice-validation-error";
import type { StreamingCluster } from "../../constructs/streaming-cluster";
import { validateProps } from "../../constructs/validate-props";
import { AwsClusterBinding } from "./aws-cluster-binding";
import { AwsHardeningChecks } from "./aws-hardening-checks";
import { AwsNetwork, type AwsNetworkProps } from "./aws-network";
import { parseIpv4Cidr } from "./ipv4-cidr";

/** Settings of each broker's EBS data volume beyond its size (the cluster's `storageGiB`). */
export interface AwsDataVolumeOptions {
  /**
   * Provisioned IOPS of the gp3 volume (3,000–16,000).
   * @default 3000
   */
  readonly iops?: number;
  /**
   * Provisioned throughput of the gp3 volume, MiB/s (125–1,000).
   * @default 125
   */
  readonly throughputMiBps?: number;
  /**
   * KMS key (id or ARN) that encrypts the data and root volumes.
   * @default - the account's AWS-managed EBS key
   */
  readonly kmsKeyId?: string;
}

/** Where one tenant's applications connect from (see {@link AwsTargetProps.tenantClients}). */
export interface AwsTenantClients {
  /**
   * CIDR blocks of this tenant's clients.
   * @default - none
   */
  readonly clientCidrs?: readonly string[];
  /**
   * Security groups of this tenant's clients.
   * @default - none
   */
  readonly clientSecurityGroupIds?: readonly string[];
}

/** Props of {@link AwsTarget}. */
export interface AwsTargetProps {
  /** The AWS region, e.g. `eu-west-1`. */
  readonly region: string;
  /**
   * The network: a new VPC (settings here) or an existing one (`existingVpc`).
   * @default - a new VPC with private subnets in the region's zones a, b and c, and VPC endpoints
   */
  readonly network?: Omit<AwsNetworkProps, "region" | "provider">;
  /**
   * EC2 instance type of every broker; checked against the broker's CPUs and memory.
   * @default - the smallest m7i/r7i type with the broker's CPUs and its memory plus 1 GiB
   */
  readonly instanceType?: string;
  /**
   * The data volumes' IOPS, throughput and KMS key.
   * @default - gp3 at 3,000 IOPS and 125 MiB/s, encrypted with the AWS-managed key
   */
  readonly dataVolume?: AwsDataVolumeOptions;
  /**
   * CIDR blocks clients connect from (the brokers' client port is open to these only).
   * @default - none
   */
  readonly clientCidrs?: readonly string[];
  /**
   * Security groups whose members may connect (besides the client security group the target creates).
   * @default - none
   */
  readonly clientSecurityGroupIds?: readonly string[];
  /**
   * Allow `0.0.0.0/0` in `clientCidrs`: the brokers' port open to every address that can route to them.
   * @default false
   */
  readonly allowClientsFromAnywhere?: boolean;
  /**
   * Client access per tenant, by tenant name: each tenant named here gets a client security group
   * of its own (output `<cluster>-tenant-<name>-client-security-group-id`), and the client port
   * opens to its CIDRs and groups. Revoking a tenant's network access is then one change that leaves
   * the others alone; which topics it may use is still up to its ACLs.
   * @default - one client security group for the whole cluster
   */
  readonly tenantClients?: Readonly<Record<string, AwsTenantClients>>;
  /**
   * Apache Kafka for clusters with `Engine.apacheKafka`: the path of Apache's binary release
   * `kafka_2.13-<version>.tgz` (check it against its `.sha512`), or of a directory with its jars in
   * `libs/` (`scripts/kafka/fetch-kafka.sh` assembles one from Maven Central). Uploaded at synth next
   * to the broker bundle: the brokers have no internet access to download it.
   * @default - none; required with `Engine.apacheKafka`
   */
  readonly kafkaDistribution?: string;
  /**
   * Tags on every resource the target creates.
   * @default - `sluice:cluster` on per-cluster resources only
   */
  readonly tags?: Readonly<Record<string, string>>;
}

const clientCidrsSchema = z.array(
  z
    .string()
    .refine((c) => parseIpv4Cidr(c) !== undefined, "must be an IPv4 CIDR block, e.g. 10.0.0.0/8"),
);
const clientSecurityGroupIdsSchema = z.array(
  z.string().regex(/^sg-[0-9a-f]+$/, { error: "must be a security group id, sg-…" }),
);

const targetPropsSchema = z
  .object({
    instanceType: z.string().regex(/^[a-z][a-z0-9-]*\.[a-z0-9]+$/, {
      error: "must be an EC2 instance type such as m7i.large",
    }),
    dataVolume: z
      .object({
        iops: z
          .number()
          .int()
          .min(3000, { error: "must be 3000-16000" })
          .max(16000, { error: "must be 3000-16000" }),
        throughputMiBps: z
          .number()
          .int()
          .min(125, { error: "must be 125-1000 MiB/s" })
          .max(1000, { error: "must be 125-1000 MiB/s" }),
        kmsKeyId: z.string().min(1),
      })
      .partial(),
    clientCidrs: clientCidrsSchema,
    clientSecurityGroupIds: clientSecurityGroupIdsSchema,
    allowClientsFromAnywhere: z.boolean(),
    kafkaDistribution: z.string().min(1, { error: "must be a path" }),
    tenantClients: z.record(
      z.string(),
      z
        .object({
          clientCidrs: clientCidrsSchema,
          clientSecurityGroupIds: clientSecurityGroupIdsSchema,
        })
        .partial(),
    ),
  })
  .partial();

/**
 * AWS as a target: each broker on a hardened EC2 instance in private subnets, with an encrypted gp3
 * EBS data volume of its own, reached by clients only from the security groups and CIDRs the app
 * names. Load it from `sluice/aws`; it is the only module that uses `@cdktf/provider-aws`.
 */
export class AwsTarget extends Construct implements IClusterTarget {
  /** The region. */
  readonly region: string;
  /** The provider of every resource of this target. */
  readonly provider: AwsProvider;
  /** The network. */
  readonly network: AwsNetwork;
  /** Capacity checks are per broker (instance type, volume size), not per target. */
  readonly capacity: TargetCapacity = {};
  /** The props, as given. */
  readonly options: AwsTargetProps;
  private readonly clusters: StreamingCluster[] = [];

  constructor(scope: Construct, id: string, props: AwsTargetProps) {
    super(scope, id);
    validateProps(this, targetPropsSchema, props);
    const cidrLists: [string, readonly string[]][] = [
      ["clientCidrs", props.clientCidrs ?? []],
      ...Object.entries(props.tenantClients ?? {}).map(
        ([tenant, c]): [string, readonly string[]] => [
          `tenantClients.${tenant}.clientCidrs`,
          c.clientCidrs ?? [],
        ],
      ),
    ];
    for (const [field, cidrs] of cidrLists) {
      for (const [i, cidr] of cidrs.entries()) {
        if (cidr === "0.0.0.0/0" && props.allowClientsFromAnywhere !== true) {
          throw new SluiceValidationError(
            this.node.path,
            `${field}.${i}`,
            cidr,
            "opens the brokers to every address; name the clients' CIDR blocks or security groups, or set allowClientsFromAnywhere: true to mean it",
          );
        }
      }
    }
    this.region = props.region;
    this.options = props;
    const stack = TerraformStack.of(this);
    const others = stack.node.findAll().filter((c) => c instanceof AwsTarget && c !== this).length;
    this.provider = new AwsProvider(this, "provider", {
      region: props.region,
      alias: others === 0 ? undefined : this.node.id,
      defaultTags: props.tags === undefined ? undefined : [{ tags: { ...props.tags } }],
    });
    // Once per stack: a second target in the same stack shares the checks.
    if (others === 0) Aspects.of(stack).add(new AwsHardeningChecks());
    this.network = new AwsNetwork(this, "network", {
      ...props.network,
      region: props.region,
      provider: this.provider,
    });
    this.node.addValidation({ validate: () => this.checkTenantClients() });
  }

  /** Binds a cluster: security groups, and per broker an instance and its data volume. */
  bindCluster(cluster: StreamingCluster): IClusterBinding {
    if (cluster.targets.length > 1) {
      throw new SluiceValidationError(
        cluster.node.path,
        "targets",
        cluster.targets.map((t) => t.node.path),
        `one AwsTarget: it spreads the brokers over its availability zones itself; give target: ${this.node.path}`,
      );
    }
    this.clusters.push(cluster);
    return new AwsClusterBinding(cluster, this);
  }

  /** Every tenant named in `tenantClients` must be a tenant of a cluster on this target. */
  private checkTenantClients(): string[] {
    const tenants = new Set(this.clusters.flatMap((c) => c.tenants.map((t) => t.tenantName)));
    return Object.keys(this.options.tenantClients ?? {})
      .filter((name) => !tenants.has(name))
      .map((name) =>
        formatValidationMessage(
          this.node.path,
          `tenantClients.${name}`,
          name,
          `names no tenant of a cluster on this target; tenants: ${[...tenants].sort().join(", ") || "none"}`,
        ),
      );
  }
}
