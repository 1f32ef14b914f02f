import { isIP } from "node:net";
import { DockerProvider } from "@cdktf/provider-docker/lib/provider";
import { TerraformStack } from "cdktf";
import { Construct } from "constructs";
import { z } from "zod";
import type {
  IClusterBinding,
  IClusterTarget,
  TargetCapacity,
} from "../../constructs/cluster-target";
import { formatValidationMessage } from "../../constructs/sluice-validation-error";
import type { StreamingCluster } from "../../constructs/streaming-cluster";
import { validateProps } from "../../constructs/validate-props";
import { DockerClusterBinding } from "./docker-cluster-binding";
import {
  type DockerBrokerPlacement,
  type DockerClusterPlacement,
  dockerPlacement,
} from "./docker-placement";
import type { IDockerProviderHost } from "./docker-provider-host";

/** Props of {@link DockerHost}. */
export interface DockerHostProps {
  /**
   * Docker Engine endpoint: `unix:///path/to/docker.sock`, `tcp://host:2376` or `ssh://user@host`.
   * @default "unix:///var/run/docker.sock"
   */
  readonly host?: string;
  /**
   * Extra `ssh` options for `ssh://` hosts, e.g. `["-o", "StrictHostKeyChecking=no"]`.
   * @default - none
   */
  readonly sshOptions?: readonly string[];
  /**
   * Directory with `ca.pem`, `cert.pem` and `key.pem` for a TLS-protected `tcp://` host.
   * @default - no client certificate
   */
  readonly certPath?: string;
  /**
   * The address (IP or DNS name) at which clients and the other hosts reach this machine: the brokers
   * on it advertise `<address>:<port>`. Needed when a cluster spans several hosts.
   * @default - the cluster's advertisedHost ("127.0.0.1")
   */
  readonly address?: string;
  /**
   * The IP address of this machine the brokers' ports are published on. Use `0.0.0.0` only on
   * trusted networks.
   * @default - `address` when it is an IP address, else the cluster's publishAddress ("127.0.0.1")
   */
  readonly publishAddress?: string;
  /**
   * CPUs this host offers to Sluice; tenants' `cpus` must fit in it.
   * @default - not checked
   */
  readonly cpus?: number;
  /**
   * Memory this host offers to Sluice, in MiB; tenants' `memoryMiB` must fit in it.
   * @default - not checked
   */
  readonly memoryMiB?: number;
  /**
   * Storage this host offers to Sluice, in GiB; tenants' `storageGiB` must fit in it.
   * @default - not checked
   */
  readonly storageGiB?: number;
}

const hostPropsSchema = z
  .object({
    host: z.string().regex(/^(unix:\/\/\/.+|tcp:\/\/[^/\s]+|ssh:\/\/[^/\s]+)$/, {
      error: "must be unix:///path/to/docker.sock, tcp://HOST:PORT or ssh://[USER@]HOST[:PORT]",
    }),
    sshOptions: z.array(z.string()),
    certPath: z.string().min(1, { error: "must be a directory path" }),
    address: z.string().regex(/^[A-Za-z0-9.:_-]+$/, { error: "must be a host name or IP address" }),
    publishAddress: z.union([z.ipv4(), z.ipv6()], {
      error: "must be an IPv4 or IPv6 address, e.g. 10.0.0.5",
    }),
    cpus: z.number({ error: "must be a number of CPUs" }).positive({ error: "must be > 0 CPUs" }),
    memoryMiB: z
      .number({ error: "must be a number of MiB" })
      .int({ error: "must be an integer" })
      .positive({
        error: "must be > 0 MiB",
      }),
    storageGiB: z
      .number({ error: "must be a number of GiB" })
      .positive({ error: "must be > 0 GiB" }),
  })
  // Every prop is optional; defaults are applied before validation. Built once, not per construct.
  .partial();

/**
 * A Docker Engine that runs clusters: the local one by default, or a remote one over TCP or SSH.
 * It configures the `kreuzwerker/docker` provider and checks, at synth, that host ports do not
 * collide and that the tenants' declared CPU, memory and storage fit in the capacity it declares.
 */
export class DockerHost extends Construct implements IClusterTarget, IDockerProviderHost {
  /** The Docker Engine endpoint. */
  readonly host: string;
  /** The declared capacity. */
  readonly capacity: TargetCapacity;
  /** Where clients and other hosts reach this machine, when given. */
  readonly address: string | undefined;
  /** The IP ports are published on, when given (or implied by an IP `address`). */
  readonly publishAddress: string | undefined;
  /** The provider all of this host's resources use. */
  readonly provider: DockerProvider;
  /** The clusters with brokers on this host, and where their brokers are. */
  private readonly placed: Array<{ cluster: StreamingCluster; placement: DockerClusterPlacement }> =
    [];

  constructor(scope: Construct, id: string, props: DockerHostProps = {}) {
    super(scope, id);
    const host = props.host ?? "unix:///var/run/docker.sock";
    validateProps(this, hostPropsSchema, { ...props, host });
    if (props.sshOptions !== undefined && !host.startsWith("ssh://")) {
      validateProps(
        this,
        z.object({ sshOptions: z.undefined({ error: "only apply to ssh:// hosts" }) }),
        {
          sshOptions: props.sshOptions,
        },
      );
    }
    this.host = host;
    this.address = props.address;
    this.publishAddress =
      props.publishAddress ??
      (props.address !== undefined && isIP(props.address) !== 0 ? props.address : undefined);
    this.capacity = { cpus: props.cpus, memoryMiB: props.memoryMiB, storageGiB: props.storageGiB };
    const stack = TerraformStack.of(this);
    // A second Docker host in the same stack needs its own provider alias.
    const others = stack.node.findAll().filter((c) => c instanceof DockerHost && c !== this).length;
    this.provider = new DockerProvider(this, "provider", {
      host,
      sshOpts: props.sshOptions === undefined ? undefined : [...props.sshOptions],
      certPath: props.certPath,
      alias: others === 0 ? undefined : this.node.id,
    });
    this.node.addValidation({ validate: () => [...this.checkPorts(), ...this.checkCapacity()] });
  }

  /**
   * Binds a cluster: creates its networks, volumes, images and containers on this host and on the
   * other Docker hosts the cluster places brokers on.
   */
  bindCluster(cluster: StreamingCluster): IClusterBinding {
    const placement = dockerPlacement(cluster, isDockerHost);
    for (const host of placement.hosts) host.placed.push({ cluster, placement });
    return new DockerClusterBinding(cluster, placement);
  }

  /** The brokers of every cluster placed on this host, each with its cluster. */
  private brokersHere(): Array<{ cluster: StreamingCluster; placed: DockerBrokerPlacement }> {
    return this.placed.flatMap(({ cluster, placement }) =>
      placement.brokers.filter((b) => b.host === this).map((placed) => ({ cluster, placed })),
    );
  }

  private checkPorts(): string[] {
    const errors: string[] = [];
    const used = new Map<string, string>();
    for (const { placed } of this.brokersHere()) {
      const ip = placed.publishAddress;
      const ports: Array<[string, number | undefined]> = [
        ["hostPort", placed.ports.client],
        ["replicationHostPort", placed.ports.replication],
        ["controllerHostPort", placed.ports.controller],
      ];
      for (const [field, port] of ports) {
        if (port === undefined) continue;
        const key = `${ip}:${port}`;
        const owner =
          used.get(key) ??
          (ip === "0.0.0.0"
            ? [...used.entries()].find(([k]) => k.endsWith(`:${port}`))?.[1]
            : used.get(`0.0.0.0:${port}`));
        if (owner !== undefined) {
          errors.push(
            formatValidationMessage(
              placed.broker.node.path,
              field,
              port,
              `already published on ${this.host} by ${owner}; give the cluster another ${field}`,
            ),
          );
        }
        used.set(key, `${placed.broker.node.path}${field === "hostPort" ? "" : ` (${field})`}`);
      }
    }
    return errors;
  }

  private checkCapacity(): string[] {
    return [...this.checkBrokerSizes(), ...this.checkTenantQuotas()];
  }

  /** The brokers placed here (their CPU and memory limits, their volumes) fit what the host declares. */
  private checkBrokerSizes(): string[] {
    const brokers = this.brokersHere();
    const checks: Array<[keyof TargetCapacity, string, (b: (typeof brokers)[number]) => number]> = [
      ["cpus", "CPUs", (b) => b.cluster.brokerCpus],
      ["memoryMiB", "MiB", (b) => b.cluster.brokerMemoryMiB],
      ["storageGiB", "GiB", (b) => b.placed.broker.volume.sizeGiB],
    ];
    const errors: string[] = [];
    for (const [field, unit, size] of checks) {
      const declared = this.capacity[field];
      const total = brokers.reduce((sum, b) => sum + size(b), 0);
      if (declared === undefined || total <= declared) continue;
      const parts = brokers.map(
        (b) => `${b.cluster.clusterName} broker-${b.placed.broker.nodeId} ${size(b)}`,
      );
      errors.push(
        formatValidationMessage(
          this.node.path,
          field,
          declared,
          `the brokers placed on this host need ${total} ${unit} (${parts.join(", ")}), more than it declares; raise the host's ${field}, size the brokers down, or place some on another host`,
        ),
      );
    }
    return errors;
  }

  /**
   * The tenants' declared CPU, memory and storage fit the host, for clusters entirely on it (across
   * hosts a tenant's load spreads over them: the brokers' own sizes are what each host checks).
   */
  private checkTenantQuotas(): string[] {
    const errors: string[] = [];
    const tenants = this.placed
      .filter(({ placement }) => !placement.spansHosts)
      .flatMap(({ cluster }) => cluster.tenants);
    const sum = (pick: (q: (typeof tenants)[number]["quotas"]) => number | undefined) =>
      tenants.reduce((total, t) => total + (pick(t.quotas) ?? 0), 0);
    const checks: Array<[keyof TargetCapacity, number, string]> = [
      ["cpus", sum((q) => q.cpus), "CPUs"],
      ["memoryMiB", sum((q) => q.memoryMiB), "MiB"],
      ["storageGiB", sum((q) => q.storageGiB), "GiB"],
    ];
    for (const [field, total, unit] of checks) {
      const declared = this.capacity[field];
      if (declared !== undefined && total > declared) {
        const parts = tenants
          .map((t) => [t.tenantName, t.quotas[field]] as const)
          .filter(([, v]) => v !== undefined)
          .map(([n, v]) => `${n} ${v}`)
          .join(", ");
        errors.push(
          formatValidationMessage(
            this.node.path,
            field,
            declared,
            `the tenants' ${field} add up to ${total} ${unit} (${parts}), more than the host declares; raise the host's ${field} or lower the tenants'`,
          ),
        );
      }
    }
    return errors;
  }
}

function isDockerHost(target: unknown): target is DockerHost {
  return target instanceof DockerHost;
}
