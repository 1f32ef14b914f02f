import { DataAwsPrefixList } from "@cdktf/provider-aws/lib/data-aws-prefix-list";
import { DataAwsSsmParameter } from "@cdktf/provider-aws/lib/data-aws-ssm-parameter";
import { EbsVolume } from "@cdktf/provider-aws/lib/ebs-volume";
import { IamInstanceProfile } from "@cdktf/provider-aws/lib/iam-instance-profile";
import { IamRole } from "@cdktf/provider-aws/lib/iam-role";
import { IamRolePolicy } from "@cdktf/provider-aws/lib/iam-role-policy";
import { IamRolePolicyAttachment } from "@cdktf/provider-aws/lib/iam-role-policy-attachment";
import { Instance } from "@cdktf/provider-aws/lib/instance";
import { NetworkInterface } from "@cdktf/provider-aws/lib/network-interface";
import { SecurityGroup } from "@cdktf/provider-aws/lib/security-group";
import { SsmParameter } from "@cdktf/provider-aws/lib/ssm-parameter";
import { VolumeAttachment } from "@cdktf/provider-aws/lib/volume-attachment";
import { VpcSecurityGroupEgressRule } from "@cdktf/provider-aws/lib/vpc-security-group-egress-rule";
import { VpcSecurityGroupIngressRule } from "@cdktf/provider-aws/lib/vpc-security-group-ingress-rule";
import { Lazy, TerraformOutput } from "cdktf";
import { Construct } from "constructs";
import type { Broker } from "../../constructs/broker";
import { PolicySuppressions } from "../../constructs/checks/policy-suppressions";
import { CLUSTER_ADMIN_USER, ClientAuthentication } from "../../constructs/client-authentication";
import type { IClusterBinding } from "../../constructs/cluster-target";
import { EngineKind } from "../../constructs/engine";
import { RemovalPolicy } from "../../constructs/removal-policy";
import {
  formatValidationMessage,
  SluiceValidationError,
} from "../../constructs/sluice-validation-error";
import type { StreamingCluster } from "../../constructs/streaming-cluster";
import type { Tenant } from "../../constructs/tenant";
import { BROKER_CLIENT_PORT } from "../../image/dockerfile";
import { ADMIN_PASSWORD_ENV, applyArgs, brokerCommand } from "../broker-command";
import { brokerMemorySizing } from "../broker-memory";
import {
  KAFKA_ADMIN_SASL_MECHANISM,
  KAFKA_CONTROLLER_PORT,
  KAFKA_INTERNAL_PORT,
  kafkaClusterId,
  kafkaHeapMiB,
  kafkaServerProperties,
  kafkaTenantMechanismErrors,
} from "../kafka-server-properties";
import { AwsHardeningRule } from "./aws-hardening-checks";
import type { AwsTarget } from "./aws-target";
import { BrokerArtifact } from "./broker-artifact";
import { GeneratedSecret } from "./generated-secret";
import {
  deriveInstanceType,
  fitsBroker,
  INSTANCE_OVERHEAD_MIB,
  INSTANCE_TYPES,
  type InstanceTypeSize,
  instanceTypeSize,
} from "./instance-types";
import { KafkaDistribution } from "./kafka-distribution";
import { type KafkaBoot, renderUserData, shellQuote } from "./user-data";

/** The AMI brokers boot: the latest Amazon Linux 2023 for x86_64, from AWS's public SSM parameter. */
export const BROKER_AMI_PARAMETER =
  "/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-x86_64";
/** Device name the data volume is attached as (Nitro exposes it as an NVMe device, by volume id). */
export const DATA_VOLUME_DEVICE = "/dev/sdf";
/** Where the boot script mounts the data volume (the broker keeps its log under `broker/`). */
export const AWS_DATA_DIR = "/var/lib/sluice";
/** Size of each broker's encrypted root volume, GiB. */
export const ROOT_VOLUME_GIB = 16;
/** Ports brokers use between themselves (client listener and the controller/replication ones). */
const BROKER_PORTS = { from: BROKER_CLIENT_PORT, to: BROKER_CLIENT_PORT + 2 };
/**
 * Apache Kafka on AWS: brokers in at least this many zones, and this many KRaft controllers, one per
 * zone, so the quorum and every partition with 3 replicas outlive the loss of a zone.
 */
export const KAFKA_AWS_ZONES = 3;
/** Where Apache Kafka keeps its log on the data volume. */
export const AWS_KAFKA_DATA_DIR = `${AWS_DATA_DIR}/kafka`;
/** Where the user data writes a Kafka broker's settings (the administrator's password left out). */
export const KAFKA_PROPERTIES_TEMPLATE = "/etc/sluice/kafka.properties";
/** Placeholder of the administrator's password in that template, replaced at boot. */
export const ADMIN_PASSWORD_PLACEHOLDER = "@ADMIN_PASSWORD@";

/** One broker on AWS. */
export interface AwsBroker {
  /** The broker construct. */
  readonly broker: Broker;
  /** Its EC2 instance. */
  readonly instance: Instance;
  /** Its encrypted gp3 data volume (outlives the instance). */
  readonly dataVolume: EbsVolume;
  /** Its subnet's availability zone name. */
  readonly availabilityZone: string;
  /** Its subnet's availability-zone ID, its `broker.rack`. */
  readonly rack: string;
  /**
   * Apache Kafka: its network interface, made before the instance and kept across replacements,
   * so its address — in every other node's `controller.quorum.voters` — never changes.
   */
  readonly networkInterface?: NetworkInterface;
  /** Apache Kafka: whether it is also a KRaft controller. */
  readonly controller: boolean;
  /** Its private address (a token). */
  readonly privateIp: string;
}

/**
 * What {@link AwsTarget} creates for one cluster: a broker security group open only to the clients
 * the app names, a client security group for client instances to join, an instance role that can be
 * reached through SSM Session Manager, and per broker a hardened instance with its own encrypted gp3
 * data volume, attached but not owned (the volume outlives the instance).
 */
export class AwsClusterBinding implements IClusterBinding {
  readonly bootstrapServers: string;
  /** The security group brokers are in. */
  readonly brokerSecurityGroup: SecurityGroup;
  /** The security group clients join to reach the brokers. */
  readonly clientSecurityGroup: SecurityGroup;
  /** The brokers. */
  readonly brokers: readonly AwsBroker[];
  /** The instance type every broker runs on. */
  readonly instanceType: string;
  /** The broker bundle in S3. */
  readonly artifact: BrokerArtifact;
  /** The bundle's object key: a new broker version is a new key. */
  readonly brokerImage: string;
  /** Apache Kafka's distribution in S3 (the Apache Kafka engine only). */
  readonly kafkaDistribution: KafkaDistribution | undefined;
  /** The manifest `sluice apply` brings the brokers to, in SSM Parameter Store. */
  readonly manifestParameter: SsmParameter;
  /** Each principal's password variable → its secret's ARN, for `sluice apply` (SSM). */
  readonly credentialsParameter: SsmParameter;
  /** Password variable → secret ARN of every tenant principal. */
  private readonly credentialSecrets: Record<string, string> = {};
  /** Secrets of the administrator (SASL clusters) and every tenant principal. */
  readonly secrets: GeneratedSecret[] = [];
  private readonly cluster: StreamingCluster;
  private readonly target: AwsTarget;
  private readonly scope: Construct;
  private admin: GeneratedSecret | undefined;

  constructor(cluster: StreamingCluster, target: AwsTarget) {
    this.cluster = cluster;
    this.target = target;
    const scope = new Construct(cluster, "aws");
    this.scope = scope;
    const provider = target.provider;
    const name = cluster.clusterName;
    const tags = { "sluice:cluster": name };
    const kafka = cluster.engine.kind === EngineKind.APACHE_KAFKA;
    if (kafka) this.checkKafkaSpread();
    const size = this.instanceSize();
    this.instanceType = size.name;
    const kmsKeyId = target.options.dataVolume?.kmsKeyId;
    this.artifact = new BrokerArtifact(scope, "artifact", {
      provider,
      clusterName: name,
      baseImage: cluster.engine.baseImage ?? "node:22-bookworm-slim",
      kmsKeyId,
      tags,
    });
    this.brokerImage = this.artifact.key;
    this.kafkaDistribution = kafka ? this.distribution(scope, tags) : undefined;
    if (kafka) scope.node.addValidation({ validate: () => kafkaTenantMechanismErrors(cluster) });
    // The manifest changes with topics and tenants, which never touch an instance: a parameter the
    // brokers' `sluice apply` unit watches, not user data.
    this.manifestParameter = new SsmParameter(scope, "manifest", {
      provider,
      name: `/sluice/${name}/manifest`,
      description: `Desired state of Sluice cluster ${name} (topics, tenants, ACLs, quotas)`,
      type: "String",
      tier: "Intelligent-Tiering",
      value: Lazy.stringValue({ produce: () => cluster.manifestJson() }),
      tags,
    });
    this.credentialsParameter = new SsmParameter(scope, "credentials", {
      provider,
      name: `/sluice/${name}/credentials`,
      description: `Secrets Manager ARNs of the principals' passwords of Sluice cluster ${name}, by variable`,
      type: "String",
      tier: "Intelligent-Tiering",
      value: Lazy.stringValue({ produce: () => JSON.stringify(this.credentialSecrets) }),
      tags,
    });
    if (cluster.clientAuthentication === ClientAuthentication.SASL) this.ensureAdmin();

    this.clientSecurityGroup = new SecurityGroup(scope, "clients", {
      provider,
      vpcId: target.network.vpcId,
      name: `${name}-clients`,
      description: `Clients of Sluice cluster ${name}: members may connect to its brokers`,
      tags: { ...tags, Name: `${name}-clients` },
    });
    this.brokerSecurityGroup = new SecurityGroup(scope, "brokers", {
      provider,
      vpcId: target.network.vpcId,
      name: `${name}-brokers`,
      description: `Brokers of Sluice cluster ${name}`,
      tags: { ...tags, Name: `${name}-brokers` },
    });
    this.securityGroupRules(scope);

    const role = new IamRole(scope, "role", {
      provider,
      name: `${name}-broker`,
      description: `Brokers of Sluice cluster ${name}`,
      assumeRolePolicy: JSON.stringify({
        Version: "2012-10-17",
        Statement: [
          {
            Effect: "Allow",
            Principal: { Service: "ec2.amazonaws.com" },
            Action: "sts:AssumeRole",
          },
        ],
      }),
      tags,
    });
    // Session Manager instead of SSH: no key pair, no port 22.
    new IamRolePolicyAttachment(scope, "ssm-core", {
      provider,
      role: role.name,
      policyArn: "arn:aws:iam::aws:policy/AmazonSSMManagedInstanceCore",
    });
    // Least privilege: its own bundle, its own manifest and its own cluster's secrets, nothing else.
    new IamRolePolicy(scope, "own-resources", {
      provider,
      name: "sluice-own-resources",
      role: role.id,
      policy: Lazy.stringValue({ produce: () => this.ownResourcesPolicy() }),
    });
    const profile = new IamInstanceProfile(scope, "profile", {
      provider,
      name: `${name}-broker`,
      role: role.name,
      tags,
    });
    const ami = new DataAwsSsmParameter(scope, "ami", { provider, name: BROKER_AMI_PARAMETER });

    const subnets = target.network.subnets;
    const volumeOptions = target.options.dataVolume ?? {};
    this.brokers = cluster.brokers.map((broker, i) => {
      const subnet = subnets[i % subnets.length];
      if (subnet === undefined) throw new Error("unreachable: the network has at least one subnet");
      const brokerScope = new Construct(broker, "aws");
      const dataVolume = new EbsVolume(brokerScope, "data", {
        provider,
        // Literal, so the volume's place is known without the instance: it outlives replacements.
        availabilityZone: subnet.availabilityZone,
        size: Math.ceil(broker.volume.sizeGiB),
        type: "gp3",
        iops: volumeOptions.iops ?? 3000,
        throughput: volumeOptions.throughputMiBps ?? 125,
        encrypted: true,
        kmsKeyId: volumeOptions.kmsKeyId,
        tags: { ...tags, Name: broker.volume.volumeName, "sluice:broker": `${broker.nodeId}` },
        lifecycle: { preventDestroy: broker.volume.removalPolicy !== RemovalPolicy.DESTROY },
      });
      const networkInterface = kafka
        ? new NetworkInterface(brokerScope, "network-interface", {
            provider,
            subnetId: subnet.subnetId,
            securityGroups: [this.brokerSecurityGroup.id],
            description: `Broker ${broker.nodeId} of Sluice cluster ${name}`,
            tags: { ...tags, Name: `${name}-broker-${broker.nodeId}` },
          })
        : undefined;
      // An existing interface never gets a public address (AWS assigns those only to new ones).
      const placement =
        networkInterface === undefined
          ? {
              subnetId: subnet.subnetId,
              vpcSecurityGroupIds: [this.brokerSecurityGroup.id],
              associatePublicIpAddress: false,
            }
          : { primaryNetworkInterface: { networkInterfaceId: networkInterface.id } };
      const instance = new Instance(brokerScope, "instance", {
        provider,
        ami: ami.value,
        instanceType: size.name,
        ...placement,
        iamInstanceProfile: profile.name,
        // IMDSv2 only, and not reachable from containers or forwarded hops.
        metadataOptions: {
          httpEndpoint: "enabled",
          httpTokens: "required",
          httpPutResponseHopLimit: 1,
        },
        rootBlockDevice: {
          encrypted: true,
          kmsKeyId: volumeOptions.kmsKeyId,
          volumeType: "gp3",
          volumeSize: ROOT_VOLUME_GIB,
          deleteOnTermination: true,
        },
        monitoring: true,
        // Names the bundle by its hash: new broker code replaces the instance (the volume stays).
        userData: Lazy.stringValue({
          produce: () => this.userData(this.brokers[i] ?? unreachable(), dataVolume.id),
        }),
        userDataReplaceOnChange: true,
        tags: {
          ...tags,
          Name: `${name}-broker-${broker.nodeId}`,
          "sluice:broker": `${broker.nodeId}`,
        },
      });
      new VolumeAttachment(brokerScope, "data-attachment", {
        provider,
        deviceName: DATA_VOLUME_DEVICE,
        volumeId: dataVolume.id,
        instanceId: instance.id,
        // Stop the broker's instance before detaching, so the file system is unmounted cleanly.
        stopInstanceBeforeDetaching: true,
      });
      return {
        broker,
        instance,
        dataVolume,
        availabilityZone: subnet.availabilityZone,
        rack: subnet.availabilityZoneId,
        networkInterface,
        // Brokers go round-robin over the zones: the first three are in three zones.
        controller: kafka && i < KAFKA_AWS_ZONES,
        privateIp: networkInterface?.privateIp ?? instance.privateIp,
      };
    });
    this.bootstrapServers = this.brokers
      .map((b) => `${b.privateIp}:${BROKER_CLIENT_PORT}`)
      .join(",");

    new TerraformOutput(scope, "bootstrap-servers", {
      value: this.bootstrapServers,
      description: `Bootstrap servers of cluster ${name} (private addresses, inside the VPC)`,
    }).overrideLogicalId(`${name}-bootstrap-servers`);
    new TerraformOutput(scope, "client-security-group", {
      value: this.clientSecurityGroup.id,
      description: `Security group that clients of cluster ${name} join to reach its brokers`,
    }).overrideLogicalId(`${name}-client-security-group-id`);
    scope.node.addValidation({ validate: () => this.checkStorage() });
  }

  /** Each tenant principal's password, generated into Secrets Manager; ARNs and passwords as outputs. */
  bindTenant(tenant: Tenant): void {
    if (this.cluster.clientAuthentication === ClientAuthentication.SASL) this.ensureAdmin();
    const scope = new Construct(tenant, "aws");
    const name = this.cluster.clusterName;
    this.tenantClientAccess(scope, tenant);
    const secretArns: Record<string, string> = {};
    for (const principal of tenant.principals) {
      const secret = new GeneratedSecret(scope, `secret-${principal.name}`, {
        provider: this.target.provider,
        secretName: `sluice/${name}/principal/${principal.name}`,
        description: `SASL password of ${principal.name} (tenant ${tenant.tenantName} of cluster ${name})`,
        kmsKeyId: this.target.options.dataVolume?.kmsKeyId,
        tags: { "sluice:cluster": name, "sluice:tenant": tenant.tenantName },
      });
      this.secrets.push(secret);
      secretArns[principal.name] = secret.arn;
      this.credentialSecrets[principal.credentialEnv] = secret.arn;
      new TerraformOutput(scope, `password-${principal.name}-output`, {
        value: secret.password,
        sensitive: true,
        description: `SASL password of ${principal.name} (tenant ${tenant.tenantName})`,
      }).overrideLogicalId(
        `${name}-tenant-${tenant.tenantName}-${principal.name}-password`.replace(
          /[^A-Za-z0-9_-]/g,
          "_",
        ),
      );
    }
    new TerraformOutput(scope, "client-settings", {
      value: {
        bootstrapServers: this.bootstrapServers,
        securityProtocol: "SASL_PLAINTEXT",
        saslMechanism: tenant.saslMechanism,
        usernames: tenant.principals.map((p) => p.name),
        passwordSecretArns: secretArns,
        topicPrefix: tenant.topicPrefix,
        groupPrefix: tenant.groupPrefix,
      },
      description: `Client settings of tenant ${tenant.tenantName}; passwords are in the Secrets Manager secrets named here`,
    }).overrideLogicalId(`${name}-tenant-${tenant.tenantName}`);
  }

  /** The administrator's password in Secrets Manager (SASL clusters; once). */
  private ensureAdmin(): void {
    if (this.admin !== undefined) return;
    const name = this.cluster.clusterName;
    const scope = new Construct(this.scope, "admin");
    this.admin = new GeneratedSecret(scope, "secret", {
      provider: this.target.provider,
      secretName: `sluice/${name}/admin`,
      description: `SASL password of ${CLUSTER_ADMIN_USER}, the administrator of Sluice cluster ${name}`,
      kmsKeyId: this.target.options.dataVolume?.kmsKeyId,
      tags: { "sluice:cluster": name },
    });
    this.secrets.push(this.admin);
    new TerraformOutput(scope, "password-output", {
      value: this.admin.password,
      sensitive: true,
      description: `SASL password of ${CLUSTER_ADMIN_USER}, the administrator of cluster ${name}`,
    }).overrideLogicalId(`${name}-admin-password`);
    new TerraformOutput(scope, "secret-arn", {
      value: this.admin.arn,
      description: `Secrets Manager secret of the administrator's password of cluster ${name}`,
    }).overrideLogicalId(`${name}-admin-secret-arn`);
  }

  /** A broker's user data: ids and ARNs only; the boot script reads the secrets. */
  private userData(aws: AwsBroker, volumeId: string): string {
    const { broker, rack } = aws;
    const sasl = this.cluster.clientAuthentication === ClientAuthentication.SASL;
    const kafka = this.kafkaDistribution !== undefined;
    const args = kafka
      ? []
      : brokerCommand({
          nodeId: broker.nodeId,
          advertisedHost: "@PRIVATE_IP@",
          hostPort: BROKER_CLIENT_PORT,
          dataDir: `${AWS_DATA_DIR}/broker`,
          rack,
          memoryMiB: this.cluster.brokerMemoryMiB,
          sasl: sasl
            ? { adminUser: CLUSTER_ADMIN_USER, passwordEnv: ADMIN_PASSWORD_ENV }
            : undefined,
        });
    const mechanism = kafka ? KAFKA_ADMIN_SASL_MECHANISM : undefined;
    return renderUserData(
      {
        SLUICE_REGION: this.target.region,
        SLUICE_CLUSTER: this.cluster.clusterName,
        SLUICE_NODE_ID: String(broker.nodeId),
        SLUICE_BUCKET: this.artifact.bucket.bucket,
        SLUICE_BUNDLE_KEY: this.artifact.key,
        SLUICE_DATA_VOLUME_ID: volumeId,
        SLUICE_DATA_DIR: AWS_DATA_DIR,
        // Literal names (known at synth) rather than the resources' attributes.
        SLUICE_MANIFEST_PARAMETER: `/sluice/${this.cluster.clusterName}/manifest`,
        SLUICE_CREDENTIALS_PARAMETER: `/sluice/${this.cluster.clusterName}/credentials`,
        SLUICE_ADMIN_SECRET_ARN: sasl && this.admin !== undefined ? this.admin.arn : "",
        SLUICE_BROKER_ARGS: args.map(shellQuote).join(" "),
        SLUICE_BROKER_MEMORY_MIB: String(this.cluster.brokerMemoryMiB),
        SLUICE_BROKER_HEAP_MIB: String(brokerMemorySizing(this.cluster.brokerMemoryMiB).heapMiB),
        SLUICE_APPLY_ARGS: applyArgs(`127.0.0.1:${BROKER_CLIENT_PORT}`, sasl, mechanism).join(" "),
      },
      kafka ? this.kafkaBoot(aws, sasl) : undefined,
    );
  }

  /** What a broker of the Apache Kafka engine boots with besides the common settings. */
  private kafkaBoot(aws: AwsBroker, sasl: boolean): KafkaBoot {
    const distribution = this.kafkaDistribution ?? unreachable();
    const properties = kafkaServerProperties(this.cluster, {
      nodeId: aws.broker.nodeId,
      roles: aws.controller ? "broker,controller" : "broker",
      voters: this.brokers
        .filter((b) => b.controller)
        .map((b) => `${b.broker.nodeId}@${b.privateIp}:${KAFKA_CONTROLLER_PORT}`),
      advertisedClient: `${aws.privateIp}:${BROKER_CLIENT_PORT}`,
      internalAddress: `${aws.privateIp}:${KAFKA_INTERNAL_PORT}`,
      dataDir: AWS_KAFKA_DATA_DIR,
      rack: aws.rack,
      admin: sasl
        ? { username: CLUSTER_ADMIN_USER, password: ADMIN_PASSWORD_PLACEHOLDER }
        : undefined,
    });
    return {
      settings: {
        SLUICE_ENGINE: EngineKind.APACHE_KAFKA,
        SLUICE_KAFKA_KEY: distribution.key,
        SLUICE_KAFKA_CLUSTER_ID: kafkaClusterId(this.cluster.clusterName),
        SLUICE_KAFKA_HEAP_MIB: String(kafkaHeapMiB(this.cluster.brokerMemoryMiB)),
        SLUICE_KAFKA_PROPERTIES: KAFKA_PROPERTIES_TEMPLATE,
      },
      properties: Object.entries(properties)
        .map(([key, value]) => `${key}=${value}`)
        .join("\n"),
    };
  }

  /** Apache Kafka's distribution, uploaded next to the bundle; the target must name it. */
  private distribution(scope: Construct, tags: Record<string, string>): KafkaDistribution {
    const source = this.target.options.kafkaDistribution;
    const version = this.cluster.engine.version ?? unreachable();
    if (source === undefined) {
      throw new SluiceValidationError(
        this.target.node.path,
        "kafkaDistribution",
        source,
        `the path of Apache Kafka ${version} for the brokers (they have no internet access to download it): Apache's kafka_2.13-${version}.tgz or a directory with its jars in libs/ (KAFKA_VERSION=${version} scripts/kafka/fetch-kafka.sh prints one)`,
      );
    }
    return new KafkaDistribution(scope, "kafka", {
      provider: this.target.provider,
      artifact: this.artifact,
      version,
      source,
      errorPath: this.target.node.path,
      tags,
    });
  }

  /**
   * Apache Kafka on AWS runs 3 or more brokers over 3 or more zones, with one KRaft controller in
   * each of three zones: losing a zone then leaves 2 of 3 voters and 2 of 3 replicas.
   */
  private checkKafkaSpread(): void {
    const brokers = this.cluster.brokerCount;
    if (brokers < KAFKA_AWS_ZONES) {
      throw new SluiceValidationError(
        this.cluster.node.path,
        "brokerCount",
        brokers,
        `at least ${KAFKA_AWS_ZONES} with Engine.apacheKafka on AWS: one KRaft controller and one replica per availability zone, so the cluster outlives the loss of a zone`,
      );
    }
    const zones = this.target.network.subnets.map((s) => s.availabilityZone);
    if (zones.length < KAFKA_AWS_ZONES) {
      throw new SluiceValidationError(
        this.target.node.path,
        "network.availabilityZones",
        zones,
        `at least ${KAFKA_AWS_ZONES} availability zones for Engine.apacheKafka: its ${brokers} brokers and ${KAFKA_AWS_ZONES} KRaft controllers are spread one per zone so the cluster outlives the loss of a zone; the network has ${zones.length}`,
      );
    }
  }

  /** The instance role's inline policy: read its bundle, its manifest and its cluster's secrets. */
  private ownResourcesPolicy(): string {
    const statements: Record<string, unknown>[] = [
      {
        Sid: "Bundle",
        Effect: "Allow",
        Action: "s3:GetObject",
        Resource:
          this.kafkaDistribution === undefined
            ? this.artifact.objectArn
            : [
                this.artifact.objectArn,
                `${this.artifact.bucket.arn}/${this.kafkaDistribution.key}`,
              ],
      },
      {
        Sid: "Manifest",
        Effect: "Allow",
        Action: "ssm:GetParameter",
        Resource: [this.manifestParameter.arn, this.credentialsParameter.arn],
      },
    ];
    if (this.secrets.length > 0) {
      statements.push({
        Sid: "Secrets",
        Effect: "Allow",
        Action: "secretsmanager:GetSecretValue",
        Resource: this.secrets.map((s) => s.arn),
      });
    }
    return JSON.stringify({ Version: "2012-10-17", Statement: statements });
  }

  /** The instance type: given (known and large enough) or derived from the broker's size. */
  private instanceSize(): InstanceTypeSize {
    const { brokerCpus: cpus, brokerMemoryMiB: memoryMiB } = this.cluster;
    const given = this.target.options.instanceType;
    if (given === undefined) {
      const derived = deriveInstanceType(cpus, memoryMiB);
      if (derived === undefined) {
        throw new SluiceValidationError(
          this.cluster.node.path,
          "brokerMemoryMiB",
          memoryMiB,
          `no known m7i/r7i instance type has ${cpus} vCPUs and ${memoryMiB + INSTANCE_OVERHEAD_MIB} MiB; give the target an instanceType`,
        );
      }
      return derived;
    }
    const known = instanceTypeSize(given);
    if (known === undefined) {
      throw new SluiceValidationError(
        this.target.node.path,
        "instanceType",
        given,
        `not a known instance type; use one of ${INSTANCE_TYPES.map((t) => t.name).join(", ")}`,
      );
    }
    if (!fitsBroker(known, cpus, memoryMiB)) {
      throw new SluiceValidationError(
        this.target.node.path,
        "instanceType",
        given,
        `${given} has ${known.vcpus} vCPUs and ${known.memoryMiB} MiB; the broker needs ${cpus} vCPUs and ${memoryMiB} MiB plus ${INSTANCE_OVERHEAD_MIB} MiB for the OS. Choose a larger type, e.g. ${deriveInstanceType(cpus, memoryMiB)?.name ?? "a larger one"}`,
      );
    }
    return known;
  }

  private securityGroupRules(scope: Construct): void {
    const provider = this.target.provider;
    const brokers = this.brokerSecurityGroup.id;
    this.clientRules(
      scope,
      { securityGroup: this.clientSecurityGroup, name: `${this.cluster.clusterName}-clients` },
      this.target.options,
    );
    const betweenBrokers = {
      provider,
      securityGroupId: brokers,
      referencedSecurityGroupId: brokers,
      ipProtocol: "tcp",
      fromPort: BROKER_PORTS.from,
      toPort: BROKER_PORTS.to,
      description: "Brokers of the same cluster",
    };
    new VpcSecurityGroupIngressRule(scope, "between-brokers", betweenBrokers);
    // Egress: only to the brokers, the VPC's endpoints (HTTPS) and S3 through its gateway endpoint.
    new VpcSecurityGroupEgressRule(scope, "to-brokers", betweenBrokers);
    new VpcSecurityGroupEgressRule(scope, "to-endpoints", {
      provider,
      securityGroupId: brokers,
      cidrIpv4: this.target.network.cidrBlock,
      ipProtocol: "tcp",
      fromPort: 443,
      toPort: 443,
      description: "HTTPS to the VPC endpoints (SSM, Secrets Manager)",
    });
    const s3 = new DataAwsPrefixList(scope, "s3-prefix-list", {
      provider,
      name: `com.amazonaws.${this.target.region}.s3`,
    });
    new VpcSecurityGroupEgressRule(scope, "to-s3", {
      provider,
      securityGroupId: brokers,
      prefixListId: s3.id,
      ipProtocol: "tcp",
      fromPort: 443,
      toPort: 443,
      description: "HTTPS to S3 through the gateway endpoint",
    });
  }

  /**
   * Rules opening the client port to a client security group, and to the groups and CIDRs named.
   * 0.0.0.0/0 reaches here only when the target's `allowClientsFromAnywhere` allowed it.
   */
  private clientRules(
    scope: Construct,
    group: { readonly securityGroup: SecurityGroup; readonly name: string },
    named: { clientSecurityGroupIds?: readonly string[]; clientCidrs?: readonly string[] },
  ): void {
    const client = (
      id: string,
      source: { cidrIpv4?: string; referencedSecurityGroupId?: string },
      what: string,
    ) =>
      new VpcSecurityGroupIngressRule(scope, id, {
        provider: this.target.provider,
        securityGroupId: this.brokerSecurityGroup.id,
        ipProtocol: "tcp",
        fromPort: BROKER_CLIENT_PORT,
        toPort: BROKER_CLIENT_PORT,
        description: `Kafka clients: ${what}`,
        ...source,
      });
    client(
      "from-client-group",
      { referencedSecurityGroupId: group.securityGroup.id },
      `members of ${group.name}`,
    );
    for (const [i, sg] of (named.clientSecurityGroupIds ?? []).entries()) {
      client(`from-group-${i}`, { referencedSecurityGroupId: sg }, sg);
    }
    for (const [i, cidr] of (named.clientCidrs ?? []).entries()) {
      const rule = client(`from-cidr-${i}`, { cidrIpv4: cidr }, cidr);
      if (cidr === "0.0.0.0/0") {
        // The target refuses this CIDR unless allowClientsFromAnywhere says so: that prop is the reason.
        PolicySuppressions.of(rule).add(
          AwsHardeningRule.OPEN_TO_THE_WORLD,
          `allowClientsFromAnywhere: true on ${this.target.node.path}`,
        );
      }
    }
  }

  /** A tenant's own client security group and sources, when the target's `tenantClients` names it. */
  private tenantClientAccess(scope: Construct, tenant: Tenant): void {
    const named = this.target.options.tenantClients?.[tenant.tenantName];
    if (named === undefined) return;
    const name = this.cluster.clusterName;
    const groupName = `${name}-${tenant.tenantName}-clients`;
    const group = new SecurityGroup(scope, "clients", {
      provider: this.target.provider,
      vpcId: this.target.network.vpcId,
      name: groupName,
      description: `Clients of tenant ${tenant.tenantName} of Sluice cluster ${name}: members may connect to its brokers`,
      tags: { "sluice:cluster": name, "sluice:tenant": tenant.tenantName, Name: groupName },
    });
    this.clientRules(scope, { securityGroup: group, name: groupName }, named);
    new TerraformOutput(scope, "client-security-group", {
      value: group.id,
      description: `Security group that clients of tenant ${tenant.tenantName} join to reach the brokers of cluster ${name}`,
    }).overrideLogicalId(
      `${name}-tenant-${tenant.tenantName}-client-security-group-id`.replace(
        /[^A-Za-z0-9_-]/g,
        "_",
      ),
    );
  }

  /** The tenants' storage limits must fit on one broker's data volume. */
  private checkStorage(): string[] {
    const tenants = this.cluster.tenants.filter((t) => t.quotas.storageGiB !== undefined);
    const total = tenants.reduce((sum, t) => sum + (t.quotas.storageGiB ?? 0), 0);
    const volume = Math.min(...this.cluster.brokers.map((b) => b.volume.sizeGiB));
    if (total <= volume) return [];
    const parts = tenants.map((t) => `${t.tenantName} ${t.quotas.storageGiB}`).join(", ");
    return [
      formatValidationMessage(
        this.cluster.node.path,
        "storageGiB",
        volume,
        `the tenants' storageGiB add up to ${total} GiB (${parts}), more than each broker's data volume holds; raise storageGiB or lower the tenants'`,
      ),
    ];
  }
}

function unreachable(): never {
  throw new Error("unreachable");
}
