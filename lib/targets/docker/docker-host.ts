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
  /** The provider all of this host's resources use. */
  readonly provider: DockerProvider;
  private readonly clusters: StreamingCluster[] = [];

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

  /** Binds a cluster: creates its network, volumes, image and containers on this host. */
  bindCluster(cluster: StreamingCluster): IClusterBinding {
    this.clusters.push(cluster);
    return new DockerClusterBinding(cluster, this);
  }

  private checkPorts(): string[] {
    const errors: string[] = [];
    const used = new Map<string, string>();
    for (const cluster of this.clusters) {
      for (const broker of cluster.brokers) {
        const key = `${cluster.publishAddress}:${broker.hostPort}`;
        const wildcard = `0.0.0.0:${broker.hostPort}`;
        const owner =
          used.get(key) ??
          (cluster.publishAddress === "0.0.0.0"
            ? [...used.entries()].find(([k]) => k.endsWith(`:${broker.hostPort}`))?.[1]
            : used.get(wildcard));
        if (owner !== undefined) {
          errors.push(
            formatValidationMessage(
              broker.node.path,
              "hostPort",
              broker.hostPort,
              `already published on ${this.host} by ${owner}; give the cluster another hostPort`,
            ),
          );
        }
        used.set(key, broker.node.path);
      }
    }
    return errors;
  }

  private checkCapacity(): string[] {
    const errors: string[] = [];
    const tenants = this.clusters.flatMap((c) => c.tenants);
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
