import { isIP } from "node:net";
import { gzipSync } from "node:zlib";
import {
  Container,
  type ContainerHost,
  type ContainerPorts,
} from "@cdktf/provider-docker/lib/container";
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
import {
  KAFKA_ADMIN_SASL_MECHANISM,
  KAFKA_CONTROLLER_PORT,
  KAFKA_INTERNAL_PORT,
  kafkaTenantMechanismErrors,
} from "../kafka-server-properties";
import { dockerCpusString } from "./docker-cpus";
import type { DockerHost } from "./docker-host";
import type { DockerBrokerPlacement, DockerClusterPlacement } from "./docker-placement";
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

/** Each network's Docker resource per host it is created on. */
const NETWORKS_BY_HOST = new WeakMap<BrokerNetwork, Map<DockerHost, Network>>();

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
  /** The cluster's first host: it builds the image first, runs `sluice apply`, and keeps the ids it always had. */
  private readonly host: IDockerProviderHost;
  private readonly placement: DockerClusterPlacement;
  private readonly credentials: Array<{ env: string; value: string }> = [];
  private readonly scope: Construct;
  private adminPassword: string | undefined;

  constructor(cluster: StreamingCluster, placement: DockerClusterPlacement) {
    this.cluster = cluster;
    this.placement = placement;
    const host = placement.hosts[0];
    if (host === undefined) throw new Error("a cluster's placement has at least one host");
    this.host = host;
    this.bootstrapServers = placement.brokers
      .map((b) => `${b.address}:${b.ports.client}`)
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
    scope.node.addValidation({ validate: () => this.validateQuorumSpread() });
    scope.node.addValidation({ validate: () => this.validateManifestSize() });
    const toolImage = this.toolImage(scope);
    this.brokerImage =
      cluster.engine.kind === EngineKind.BUNDLED
        ? toolImage.name
        : (cluster.engine.prebuiltImage ?? "apache/kafka");
    // Each host builds or pulls the images itself, and has its own networks.
    const perHost = new Map(
      placement.hosts.map((h) => {
        const suffix = h === host ? "" : `-${h.node.id}`;
        // The Sluice image runs `sluice apply` on the first host; elsewhere only as the broker.
        const brokerImage =
          cluster.engine.kind === EngineKind.BUNDLED
            ? h === host
              ? toolImage.image
              : this.toolImageOn(scope, h, suffix)
            : new Image(scope, `broker-image${suffix}`, {
                provider: h.provider,
                name: this.brokerImage,
                keepLocally: true,
              });
        const networks = [cluster.network, ...cluster.clientNetworks].map((n) =>
          this.network(n, h),
        );
        return [h, { brokerImage, networks }] as const;
      }),
    );
    const containers = placement.brokers.map((p) => {
      const on = perHost.get(p.host);
      if (on === undefined) throw new Error(`no resources for host ${p.host.node.path}`);
      return this.brokerContainer(p, on.brokerImage, on.networks);
    });
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

  /**
   * Across three or more hosts no host may hold a majority of the KRaft voters (every Apache Kafka
   * broker here is one): losing that host would stop the quorum, and with it the cluster, which is
   * what spreading over hosts is for. Over two hosts one of them always holds a majority: a warning.
   */
  private validateQuorumSpread(): string[] {
    const { brokers, hosts } = this.placement;
    if (this.cluster.engine.kind !== EngineKind.APACHE_KAFKA || hosts.length < 2) return [];
    const majority = Math.floor(brokers.length / 2) + 1;
    const errors: string[] = [];
    for (const host of hosts) {
      const here = brokers.filter((b) => b.host === host);
      if (here.length < majority) continue;
      const names = here.map((b) => `broker-${b.broker.nodeId}`).join(", ");
      if (hosts.length === 2) {
        Annotations.of(this.cluster).addWarning(
          `${host.node.path} holds ${here.length} of the ${brokers.length} KRaft voters (${names}), a majority: losing that host stops the cluster. Spread the brokers over three hosts to survive the loss of any one.`,
        );
        continue;
      }
      const count = (h: (typeof hosts)[number]) => brokers.filter((b) => b.host === h).length;
      const lightest = hosts.filter((h) => h !== host).sort((a, b) => count(a) - count(b))[0];
      const moved = here[here.length - 1]?.broker.nodeId;
      const fix = `place broker-${moved} on ${lightest?.node.path}, or leave placement out to spread the brokers round-robin`;
      errors.push(
        formatValidationMessage(
          `${this.cluster.node.path}/broker-${moved}`,
          "placement",
          host.node.path,
          `a host holding fewer than ${majority} of the ${brokers.length} KRaft voters: ${host.node.path} would hold ${names}, so losing it stops the quorum; ${fix}`,
        ),
      );
    }
    return errors;
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

  /** The Sluice image on the first host: bundled at synth and built there, or a prebuilt one. */
  private toolImage(scope: Construct): { image: Image; name: string; hasCli: boolean } {
    const engine = this.cluster.engine;
    if (engine.kind === EngineKind.BUNDLED && engine.prebuiltImage !== undefined) {
      return {
        image: this.toolImageOn(scope, this.host, ""),
        name: engine.prebuiltImage,
        hasCli: true,
      };
    }
    const bundle = this.bundle();
    return {
      image: this.toolImageOn(scope, this.host, ""),
      name: `sluice-broker:${bundle.contentHash}`,
      hasCli: bundle.bundles.includes("sluice"),
    };
  }

  private bundle(): ReturnType<typeof cachedImageBundle> {
    return cachedImageBundle({
      baseImage: this.cluster.engine.baseImage ?? "node:22-bookworm-slim",
    });
  }

  /** The Sluice image on one host (`suffix` keeps the first host's ids what they always were). */
  private toolImageOn(scope: Construct, host: IDockerProviderHost, suffix: string): Image {
    const engine = this.cluster.engine;
    if (engine.kind === EngineKind.BUNDLED && engine.prebuiltImage !== undefined) {
      return new Image(scope, `image${suffix}`, {
        provider: host.provider,
        name: engine.prebuiltImage,
        keepLocally: true,
      });
    }
    const bundle = this.bundle();
    const asset =
      scope.node.tryFindChild("image-context") ??
      new TerraformAsset(scope, "image-context", {
        path: bundle.contextDir,
        type: AssetType.DIRECTORY,
      });
    if (!(asset instanceof TerraformAsset)) throw new Error("image-context is not an asset");
    const tag = `sluice-broker:${bundle.contentHash}`;
    return new Image(scope, `image${suffix}`, {
      provider: host.provider,
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
  }

  /** The network on one host (shared by the clusters that name it there). */
  /**
   * The network on one host, shared by the clusters that join it there. The first host it is made on
   * keeps the id it always had (`docker`); each other host's copy is `docker-<host id>`.
   */
  private network(network: BrokerNetwork, host: DockerHost): Network {
    let onHosts = NETWORKS_BY_HOST.get(network);
    if (onHosts === undefined) {
      onHosts = new Map();
      NETWORKS_BY_HOST.set(network, onHosts);
    }
    const existing = onHosts.get(host);
    if (existing !== undefined) return existing;
    const created = new Network(network, onHosts.size === 0 ? "docker" : `docker-${host.node.id}`, {
      provider: host.provider,
      name: network.networkName,
      internal: network.internal,
      labels: [{ label: "sluice.cluster", value: this.cluster.clusterName }],
    });
    onHosts.set(host, created);
    return created;
  }

  private volumeSource(broker: Broker, host: IDockerProviderHost): string {
    const volume = broker.volume;
    if (volume.removalPolicy === RemovalPolicy.RETAIN) {
      // Not managed by Terraform: Docker creates the named volume when the container first mounts
      // it, and no plan (not even `destroy`) can delete it.
      return volume.volumeName;
    }
    const resource = new Volume(volume, "docker", {
      provider: host.provider,
      name: volume.volumeName,
      labels: [{ label: "sluice.cluster", value: this.cluster.clusterName }],
      lifecycle: { preventDestroy: volume.removalPolicy === RemovalPolicy.PROTECT },
    });
    return resource.name;
  }

  private brokerContainer(
    placed: DockerBrokerPlacement,
    image: Image,
    networks: readonly Network[],
  ): Container {
    const cluster = this.cluster;
    const broker = placed.broker;
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
      provider: placed.host.provider,
      name,
      hostname: name,
      image: image.imageId,
      // Lazy: whether the listener speaks SASL is known once every tenant was added.
      command: bundled
        ? Lazy.listValue({
            produce: () =>
              brokerCommand({
                nodeId: broker.nodeId,
                advertisedHost: placed.address,
                hostPort: placed.ports.client,
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
                this.placement,
                placed,
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
      mounts: [{ type: "volume", target: dataDir, source: this.volumeSource(broker, placed.host) }],
      capabilities: { drop: [...HARDENING.capabilities.drop] },
      securityOpts: [...HARDENING.securityOpts],
      ports: publishedPorts(placed),
      host: this.peerHostEntries(),
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
   * Over several hosts, `/etc/hosts` entries naming every broker's IP address: Apache Kafka looks up
   * the name of each peer that connects (SASL), and without an answer from `/etc/hosts` a reverse DNS
   * lookup that times out (seen: 10 s per connection where the host's resolver is out of reach)
   * delays every quorum vote past the brokers' 60-second registration timeout.
   */
  private peerHostEntries(): ContainerHost[] | undefined {
    if (!this.placement.spansHosts) return undefined;
    return this.placement.brokers
      .filter((b) => isIP(b.address) !== 0)
      .map((b) => ({
        host: `${this.cluster.clusterName}-broker-${b.broker.nodeId}`,
        ip: b.address,
      }));
  }

  /**
   * A one-shot container that runs `sluice apply` against the brokers. Its only input that changes
   * with the desired state is the uploaded manifest (and its hash label), so a topic or tenant change
   * replaces this container — nothing else.
   */
  private applyContainer(scope: Construct, image: Image, brokers: readonly Container[]): Container {
    const cluster = this.cluster;
    const first = this.placement.brokers[0];
    const publish = first?.publishAddress ?? cluster.publishAddress;
    const bootstrapHost = publish === "0.0.0.0" || publish === "::" ? "127.0.0.1" : publish;
    // On one host the published port is reachable from the host's network namespace; across hosts
    // every broker's advertised address is (the other hosts must reach them anyway).
    const bootstrap = this.placement.spansHosts
      ? this.bootstrapServers
      : `${bootstrapHost}:${first?.ports.client ?? BROKER_CLIENT_PORT}`;
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
          ...applyArgs(bootstrap, this.sasl(), this.adminMechanism()),
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

/** The host ports a broker publishes: clients, and across hosts replication and the controller. */
function publishedPorts(placed: DockerBrokerPlacement): ContainerPorts[] {
  const ip = placed.publishAddress;
  const ports: ContainerPorts[] = [
    { internal: BROKER_CLIENT_PORT, external: placed.ports.client, ip },
  ];
  if (placed.ports.replication !== undefined) {
    ports.push({ internal: KAFKA_INTERNAL_PORT, external: placed.ports.replication, ip });
  }
  if (placed.ports.controller !== undefined) {
    ports.push({ internal: KAFKA_CONTROLLER_PORT, external: placed.ports.controller, ip });
  }
  return ports;
}
