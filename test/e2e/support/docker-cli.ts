import { runCommand } from "./run-command";

/** Kinds of Docker objects the e2e suite checks after a destroy. */
export type DockerObjectKind = "container" | "network" | "volume" | "image";

/** Whether a Docker object with this id or name exists. */
export async function dockerObjectExists(
  kind: DockerObjectKind,
  idOrName: string,
): Promise<boolean> {
  const result = await runCommand("docker", [kind, "inspect", idOrName], { okCodes: [0, 1] });
  return result.code === 0;
}

/** `docker inspect` of one container, parsed. */
export async function inspectContainer(idOrName: string): Promise<ContainerInspect> {
  const result = await runCommand("docker", ["container", "inspect", idOrName]);
  const parsed = JSON.parse(result.stdout) as ContainerInspect[];
  const first = parsed[0];
  if (!first) throw new Error(`docker inspect ${idOrName} returned nothing`);
  return first;
}

/** The parts of `docker container inspect` the suite reads. */
export interface ContainerInspect {
  readonly Id: string;
  readonly Name: string;
  readonly RestartCount: number;
  readonly State: {
    readonly Status: string;
    readonly Running: boolean;
    readonly ExitCode: number;
    readonly StartedAt: string;
    readonly Health?: { readonly Status: string };
  };
  readonly HostConfig: {
    readonly ReadonlyRootfs: boolean;
    readonly CapDrop: readonly string[] | null;
    readonly SecurityOpt: readonly string[] | null;
    /** Bytes; 0 = unlimited. */
    readonly Memory: number;
    readonly MemorySwap: number;
  };
}

/** Bytes in a MiB (Docker's memory limits are in bytes). */
const MiB = 1024 * 1024;

/**
 * The hardening the Docker target gives every broker, as `docker inspect` shows it: a read-only root
 * file system, every capability dropped, no new privileges, and the memory limit with no swap.
 */
export function brokerHardening(c: ContainerInspect): Record<string, unknown> {
  return {
    readOnlyRoot: c.HostConfig.ReadonlyRootfs,
    capDrop: c.HostConfig.CapDrop,
    noNewPrivileges: (c.HostConfig.SecurityOpt ?? []).some((o) =>
      /^no-new-privileges(:true)?$/.test(o),
    ),
    memoryMiB: c.HostConfig.Memory / MiB,
    swapMiB: (c.HostConfig.MemorySwap - c.HostConfig.Memory) / MiB,
  };
}

/** Last lines of a container's log, for failure messages. */
export async function containerLogs(idOrName: string, lines = 60): Promise<string> {
  const result = await runCommand("docker", ["logs", "--tail", String(lines), idOrName], {
    okCodes: [0, 1],
  });
  return `${result.stdout}${result.stderr}`;
}

/** Polls `check` until it returns true or `timeoutMs` passes; returns the last answer. */
export async function waitFor(
  check: () => Promise<boolean>,
  timeoutMs: number,
  intervalMs = 1000,
): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (await check().catch(() => false)) return true;
    if (Date.now() >= deadline) return false;
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
}

/** Names of the Docker volumes that exist now. */
export async function dockerVolumes(): Promise<string[]> {
  const result = await runCommand("docker", ["volume", "ls", "-q"]);
  return result.stdout.split("\n").filter(Boolean);
}

/** Removes the volumes that did not exist in `before` (Docker refuses, and keeps, ones still in use). */
export async function removeVolumesSince(before: readonly string[]): Promise<void> {
  for (const volume of (await dockerVolumes()).filter((v) => !before.includes(v))) {
    await runCommand("docker", ["volume", "rm", volume], { okCodes: [0, 1] });
  }
}
