import { gzipSync } from "node:zlib";
import { Container } from "@cdktf/provider-docker/lib/container";
import { Image } from "@cdktf/provider-docker/lib/image";
import { Network } from "@cdktf/provider-docker/lib/network";
import { Volume } from "@cdktf/provider-docker/lib/volume";
import { Annotations, AssetType, Lazy, TerraformAsset, TerraformOutput } from "cdktf";
import { Construct } from "constructs";
import type { Broker } from "../../constructs/broker";
import type { BrokerNetwork } from "../../constructs/broker-network";
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
import {
  BROKER_CLIENT_PORT,
  HEALTHCHECK_COMMAND,
  IMAGE_APP_DIR,
  IMAGE_DATA_DIR,
} from "../../image/dockerfile";
import { cachedImageBundle } from "../../image/image-bundle";
import {
  ADMIN_PASSWORD_ENV,
  ADMIN_SASL_MECHANISM,
  applyArgs,
  brokerCommand,
} from "../broker-command";
import { brokerMemorySizing } from "../broker-memory";
import { GeneratedPassword } from "../generated-password";
import { KAFKA_ADMIN_SASL_MECHANISM, kafkaTenantMechanismErrors } from "../kafka-server-properties";
import { dockerCpusString } from "./docker-cpus";
import type { IDockerProviderHost } from "./docker-provider-host";
import {
  KAFKA_DATA_DIR,
  KAFKA_IMAGE_UID,
  KAFKA_WRITABLE_DIRS,
  kafkaEnvironment,
} from "./kafka-environment";

/**
 * The variable that carries the manifest (gzip-compressed JSON in base64) into the one-shot apply
 * container: a read-only container takes no uploaded file outside a volume.
 */
export const APPLY_MANIFEST_ENV = "SLUICE_MANIFEST";
const MAX_ENV_STRING_BYTES = 131_072;

const HARDENING = {
  capabilities: { drop: ["ALL"] },
  securityOpts: ["no-new-privileges"],
} as const;

/**
 * Renders one {@link StreamingCluster} as `kreuzwerker/docker` resources: the image (built from the
 * synth-time bundle, tagged and triggered by its content hash), networks, data volumes, one
 * container per broker, a one-shot container that runs `sluice apply` with the manifest, and outputs.
 *
 * Broker containers depend only on the image, sizing, networks and volumes — never on the manifest —
 * so topics, tenants and quotas change without replacing a broker.
 */
export class DockerClusterBinding implements IClusterBinding {
  readonly bootstrapServers: string;
  readonly brokerImage: string;
  private readonly cluster: StreamingCluster;
  private readonly host: IDockerProviderHost;
  private readonly credentials: Array<{ env: string; value: string }> = [];
  private readonly scope: Construct;
  private adminPassword: string | undefined;

  constructor(cluster: StreamingCluster, host: IDockerProviderHost) {
    this.cluster = cluster;
    this.host = host;
    this.bootstrapServers = cluster.brokers
      .map((b) => `${cluster.advertisedHost}:${b.hostPort}`)
      .join(",");
    if (cluster.engine.kind === EngineKind.APACHE_KAFKA && cluster.brokerCount % 2 === 0) {
      const n = cluster.brokerCount;
      throw new SluiceValidationError(
        cluster.node.path,
        "brokers",
        n,
        `an odd number: on a Docker host each Apache Kafka broker is also a KRaft controller (combined mode), and the controllers need a majority; ${n} tolerates no more failures than ${n - 1}. Use ${n - 1} or ${n + 1}`,
      );
    }
    const scope = new Construct(cluster, "docker");
    this.scope = scope;
    if (cluster.clientAuthentication === ClientAuthentication.SASL) this.ensureAdmin();
    scope.node.addValidation({ validate: () => this.validateEngine() });
    scope.node.addValidation({ validate: () => this.validateManifestSize() });
    const toolImage = this.toolImage(scope);
    this.brokerImage =
      cluster.engine.kind === EngineKind.BUNDLED
        ? toolImage.name
        : (cluster.engine.prebuiltImage ?? "apache/kafka");
    const brokerImage =
      cluster.engine.kind === EngineKind.BUNDLED
        ? toolImage.image
        : new Image(scope, "broker-image", {
            provider: host.provider,
            name: this.brokerImage,
            keepLocally: true,
          });
    const network = this.network(cluster.network);
    const clientNetworks = cluster.clientNetworks.map((n) => this.network(n));
    const containers = cluster.brokers.map((broker) =>
      this.brokerContainer(broker, brokerImage, [network, ...clientNetworks]),
    );
    if (toolImage.hasCli) {
      this.applyContainer(scope, toolImage.image, containers);
    } else {
      Annotations.of(cluster).addWarning(
        "the image has no `sluice` CLI (lib/cli/main.ts not found): topics and tenants are not applied to the brokers",
      );
    }
    new TerraformOutput(scope, "bootstrap-servers", {
      value: this.bootstrapServers,
      description: `Bootstrap servers of cluster ${cluster.clusterName} for clients on the Docker host`,
    }).overrideLogicalId(`${cluster.clusterName}-bootstrap-servers`);
  }

  /** Generates each principal's password at deploy time and exposes the tenant's client settings. */
  bindTenant(tenant: Tenant): void {
    if (this.cluster.clientAuthentication === ClientAuthentication.SASL) this.ensureAdmin();
    const scope = new Construct(tenant, "docker");
    const passwordOutputs: Record<string, string> = {};
    for (const principal of tenant.principals) {
      const value = new GeneratedPassword(scope, `password-${principal.name}`).value;
      this.credentials.push({ env: principal.credentialEnv, value });
      const outputId = `${this.cluster.clusterName}-tenant-${tenant.tenantName}-${principal.name}-password`;
      new TerraformOutput(scope, `password-${principal.name}-output`, {
        value,
        sensitive: true,
        description: `SASL password of ${principal.name} (tenant ${tenant.tenantName})`,
      }).overrideLogicalId(outputId.replace(/[^A-Za-z0-9_-]/g, "_"));
      passwordOutputs[principal.name] = outputId;
    }
    new TerraformOutput(scope, "client-settings", {
      value: {
        bootstrapServers: this.bootstrapServers,
        securityProtocol: Lazy.stringValue({ produce: () => this.securityProtocol() }),
        saslMechanism: tenant.saslMechanism,
        usernames: tenant.principals.map((p) => p.name),
        passwordOutputs,
        topicPrefix: tenant.topicPrefix,
        groupPrefix: tenant.groupPrefix,
      },
      description: `Client settings of tenant ${tenant.tenantName}; passwords are in the sensitive outputs named here`,
    }).overrideLogicalId(`${this.cluster.clusterName}-tenant-${tenant.tenantName}`);
  }

  /** Kafka's security protocol of the published listener. */
  private securityProtocol(): string {
    return this.sasl() ? "SASL_PLAINTEXT" : "PLAINTEXT";
  }

  private sasl(): boolean {
    return this.cluster.clientAuthentication === ClientAuthentication.SASL;
  }

  /**
   * The administrator of a SASL cluster (once): a super user whose password is generated at deploy
   * time, given to the brokers (which create its credential) and to `sluice apply`, and exposed as a
   * sensitive output with the client settings next to it.
   */
  private ensureAdmin(): void {
    if (this.adminPassword !== undefined) return;
    const scope = new Construct(this.scope, "admin");
    const value = new GeneratedPassword(scope, "password").value;
    this.adminPassword = value;
    const name = this.cluster.clusterName;
    new TerraformOutput(scope, "password-output", {
      value,
      sensitive: true,
      description: `SASL password of ${CLUSTER_ADMIN_USER}, the administrator of cluster ${name}`,
    }).overrideLogicalId(`${name}-admin-password`);
    new TerraformOutput(scope, "settings", {
      value: {
        bootstrapServers: this.bootstrapServers,
        securityProtocol: Lazy.stringValue({ produce: () => this.securityProtocol() }),
        saslMechanism: this.adminMechanism(),
        username: CLUSTER_ADMIN_USER,
        passwordOutput: `${name}-admin-password`,
      },
      description: `Client settings of the administrator of cluster ${name} (a super user)`,
    }).overrideLogicalId(`${name}-admin`);
  }

  /** The admin password's variable, for the containers that need it (SASL clusters only). */
  private adminEnv(): string[] {
    return this.sasl() && this.adminPassword !== undefined
      ? [`${ADMIN_PASSWORD_ENV}=${this.adminPassword}`]
      : [];
  }

  /** Tenants on Apache Kafka authenticate with SCRAM (see kafkaTenantMechanismErrors). */
  private validateEngine(): string[] {
    if (this.cluster.engine.kind === EngineKind.BUNDLED) return [];
    return kafkaTenantMechanismErrors(this.cluster);
  }

  /** The manifest as the apply container's variable holds it: gzip-compressed JSON in base64. */
  private packedManifest(): string {
    return gzipSync(this.cluster.manifestJson(), { level: 9 }).toString("base64");
  }

  /** Linux limits one environment string to 128 KiB (MAX_ARG_STRLEN). */
  private validateManifestSize(): string[] {
    const size = APPLY_MANIFEST_ENV.length + 1 + this.packedManifest().length;
    if (size < MAX_ENV_STRING_BYTES) return [];
    return [
      formatValidationMessage(
        this.cluster.node.path,
        "manifest",
        `${size} bytes compressed`,
        `at most ${MAX_ENV_STRING_BYTES} bytes: the apply container takes the manifest in an environment variable; split the cluster's tenants across clusters`,
      ),
    ];
  }

  /** The administrator's SASL mechanism: PLAIN on Apache Kafka (see kafkaEnvironment), SCRAM on ours. */
  private adminMechanism(): string {
    return this.cluster.engine.kind === EngineKind.BUNDLED
      ? ADMIN_SASL_MECHANISM
      : KAFKA_ADMIN_SASL_MECHANISM;
  }

  /** The Sluice image: bundled at synth and built on the host, or a prebuilt one. */
  private toolImage(scope: Construct): { image: Image; name: string; hasCli: boolean } {
    const engine = this.cluster.engine;
    if (engine.kind === EngineKind.BUNDLED && engine.prebuiltImage !== undefined) {
      const image = new Image(scope, "image", {
        provider: this.host.provider,
        name: engine.prebuiltImage,
        keepLocally: true,
      });
      return { image, name: engine.prebuiltImage, hasCli: true };
    }
    const bundle = cachedImageBundle({ baseImage: engine.baseImage ?? "node:22-bookworm-slim" });
    const asset = new TerraformAsset(scope, "image-context", {
      path: bundle.contextDir,
      type: AssetType.DIRECTORY,
    });
    const tag = `sluice-broker:${bundle.contentHash}`;
    const image = new Image(scope, "image", {
      provider: this.host.provider,
      name: tag,
      buildAttribute: {
        context: asset.path,
        buildArgs: { ...bundle.buildArgs },
        tag: [tag],
      },
      // Same hash → same name and trigger → no rebuild, no container replacement, an empty plan.
      triggers: { content_sha256: bundle.contentHash },
      // Replaced images stay until `docker image prune`: deleting one still used by a running
      // container would fail the apply.
      keepLocally: true,
    });
    return { image, name: tag, hasCli: bundle.bundles.includes("sluice") };
  }

  private network(network: BrokerNetwork): Network {
    const existing = network.node.tryFindChild("docker");
    if (existing instanceof Network) return existing;
    return new Network(network, "docker", {
      provider: this.host.provider,
      name: network.networkName,
      internal: network.internal,
      labels: [{ label: "sluice.cluster", value: this.cluster.clusterName }],
    });
  }

  private volumeSource(broker: Broker): string {
    const volume = broker.volume;
    if (volume.removalPolicy === RemovalPolicy.RETAIN) {
      // Not managed by Terraform: Docker creates the named volume when the container first mounts
      // it, and no plan (not even `destroy`) can delete it.
      return volume.volumeName;
    }
    const resource = new Volume(volume, "docker", {
      provider: this.host.provider,
      name: volume.volumeName,
      labels: [{ label: "sluice.cluster", value: this.cluster.clusterName }],
      lifecycle: { preventDestroy: volume.removalPolicy === RemovalPolicy.PROTECT },
    });
    return resource.name;
  }

  private brokerContainer(broker: Broker, image: Image, networks: readonly Network[]): Container {
    const cluster = this.cluster;
    const name = `${cluster.clusterName}-broker-${broker.nodeId}`;
    const bundled = cluster.engine.kind === EngineKind.BUNDLED;
    const dataDir = bundled ? IMAGE_DATA_DIR : KAFKA_DATA_DIR;
    const tmpfs: Record<string, string> = { "/tmp": "rw,noexec,nosuid,size=64m" };
    if (!bundled) {
      // Written at start by the image's non-root user; Docker gives a tmpfs the mode of the directory
      // it covers (0755 there) but not its owner, so the owner is set.
      for (const dir of KAFKA_WRITABLE_DIRS) {
        tmpfs[dir] = `rw,noexec,nosuid,size=16m,uid=${KAFKA_IMAGE_UID},gid=${KAFKA_IMAGE_UID}`;
      }
    }
    return new Container(broker, "container", {
      provider: this.host.provider,
      name,
      hostname: name,
      image: image.imageId,
      // Lazy: whether the listener speaks SASL is known once every tenant was added.
      command: bundled
        ? Lazy.listValue({
            produce: () =>
              brokerCommand({
                nodeId: broker.nodeId,
                advertisedHost: cluster.advertisedHost,
                hostPort: broker.hostPort,
                memoryMiB: cluster.brokerMemoryMiB,
                sasl: this.sasl()
                  ? { adminUser: CLUSTER_ADMIN_USER, passwordEnv: ADMIN_PASSWORD_ENV }
                  : undefined,
              }),
          })
        : undefined,
      env: bundled
        ? Lazy.listValue({
            produce: () => [
              `NODE_OPTIONS=--max-old-space-size=${brokerMemorySizing(cluster.brokerMemoryMiB).heapMiB}`,
              ...this.adminEnv(),
            ],
          })
        : Lazy.listValue({
            produce: () =>
              kafkaEnvironment(
                cluster,
                broker,
                this.sasl() && this.adminPassword !== undefined
                  ? { username: CLUSTER_ADMIN_USER, password: this.adminPassword }
                  : undefined,
              ),
          }),
      memory: cluster.brokerMemoryMiB,
      // No swap (a broker that swaps stalls its clients), and set explicitly: the engine otherwise
      // reports 2 × memory, which the provider would plan to "remove" on every run.
      memorySwap: cluster.brokerMemoryMiB,
      cpus: dockerCpusString(cluster.brokerCpus),
      restart: "unless-stopped",
      readOnly: true,
      tmpfs,
      mounts: [{ type: "volume", target: dataDir, source: this.volumeSource(broker) }],
      capabilities: { drop: [...HARDENING.capabilities.drop] },
      securityOpts: [...HARDENING.securityOpts],
      ports: [
        { internal: BROKER_CLIENT_PORT, external: broker.hostPort, ip: cluster.publishAddress },
      ],
      networksAdvanced: networks.map((n) => ({
        name: n.name,
        aliases: [`broker-${broker.nodeId}`],
      })),
      healthcheck: {
        test: bundled
          ? ["CMD", ...HEALTHCHECK_COMMAND]
          : ["CMD-SHELL", `bash -c '</dev/tcp/127.0.0.1/${BROKER_CLIENT_PORT}'`],
        interval: "5s",
        timeout: "3s",
        startPeriod: "10s",
        retries: 6,
      },
      // Terraform waits until the broker is healthy, so `sluice apply` finds it serving.
      wait: true,
      waitTimeout: 120,
      stopSignal: "SIGTERM",
      stopTimeout: 30,
      labels: [
        { label: "sluice.cluster", value: cluster.clusterName },
        { label: "sluice.node-id", value: String(broker.nodeId) },
      ],
    });
  }

  /**
   * A one-shot container that runs `sluice apply` against the brokers. Its only input that changes
   * with the desired state is the uploaded manifest (and its hash label), so a topic or tenant change
   * replaces this container — nothing else.
   */
  private applyContainer(scope: Construct, image: Image, brokers: readonly Container[]): Container {
    const cluster = this.cluster;
    const first = cluster.brokers[0];
    const bootstrapHost =
      cluster.publishAddress === "0.0.0.0" || cluster.publishAddress === "::"
        ? "127.0.0.1"
        : cluster.publishAddress;
    const name = `${cluster.clusterName}-apply`;
    return new Container(scope, "apply", {
      provider: this.host.provider,
      name,
      image: image.imageId,
      entrypoint: ["/bin/sh", `${IMAGE_APP_DIR}/bin/sluice`],
      command: Lazy.listValue({
        produce: () => [
          "apply",
          "--manifest-env",
          APPLY_MANIFEST_ENV,
          ...applyArgs(
            `${bootstrapHost}:${first?.hostPort ?? BROKER_CLIENT_PORT}`,
            this.sasl(),
            this.adminMechanism(),
          ),
        ],
      }),
      // The brokers advertise the host-published address (what clients on the host use), so the
      // apply tool runs in the host's network namespace where that address is reachable.
      networkMode: "host",
      env: Lazy.listValue({
        produce: () => [
          `${APPLY_MANIFEST_ENV}=${this.packedManifest()}`,
          ...this.adminEnv(),
          ...this.credentials.map((c) => `${c.env}=${c.value}`),
        ],
      }),
      labels: [
        { label: "sluice.cluster", value: cluster.clusterName },
        {
          label: "sluice.manifest-sha256",
          value: Lazy.stringValue({ produce: () => cluster.manifestHash() }),
        },
      ],
      // Nothing to write but the apply tool's scratch space, like the brokers.
      readOnly: true,
      tmpfs: { "/tmp": "rw,noexec,nosuid,size=16m" },
      memory: 256,
      memorySwap: 256,
      capabilities: { drop: [...HARDENING.capabilities.drop] },
      securityOpts: [...HARDENING.securityOpts],
      mustRun: false,
      attach: true,
      logs: true,
      dependsOn: [...brokers],
      lifecycle: {
        postcondition: [
          {
            // biome-ignore lint/suspicious/noTemplateCurlyInString: a Terraform expression
            condition: "${self.exit_code == 0}",
            errorMessage: `sluice apply failed; see: docker logs ${name}`,
          },
        ],
      },
    });
  }
}
