/** An EC2 instance type Sluice knows: its size, for checks at synth. */
export interface InstanceTypeSize {
  /** EC2 instance type, e.g. `m7i.large`. */
  readonly name: string;
  /** vCPUs. */
  readonly vcpus: number;
  /** Memory, MiB. */
  readonly memoryMiB: number;
  /** Burstable (CPU credits): fine for trials, not for a broker under steady load. */
  readonly burstable: boolean;
}

const GiB = 1024;

function size(name: string, vcpus: number, memoryGiB: number): InstanceTypeSize {
  return { name, vcpus, memoryMiB: memoryGiB * GiB, burstable: name.startsWith("t") };
}

/**
 * Known x86_64 Nitro instance types (EBS volumes appear as NVMe devices on all of them), from the
 * EC2 instance type documentation. Brokers are derived from the general-purpose (m7i) and
 * memory-optimised (r7i) families; the others may be named explicitly.
 */
export const INSTANCE_TYPES: readonly InstanceTypeSize[] = [
  size("t3.small", 2, 2),
  size("t3.medium", 2, 4),
  size("t3.large", 2, 8),
  size("t3.xlarge", 4, 16),
  size("t3.2xlarge", 8, 32),
  size("c7i.large", 2, 4),
  size("c7i.xlarge", 4, 8),
  size("c7i.2xlarge", 8, 16),
  size("m7i.large", 2, 8),
  size("m7i.xlarge", 4, 16),
  size("m7i.2xlarge", 8, 32),
  size("m7i.4xlarge", 16, 64),
  size("r7i.large", 2, 16),
  size("r7i.xlarge", 4, 32),
  size("r7i.2xlarge", 8, 64),
  size("r7i.4xlarge", 16, 128),
];

/** Memory the OS, the SSM agent and the page cache's floor need beside the broker, MiB. */
export const INSTANCE_OVERHEAD_MIB = 1024;

/** The size of a known instance type, or undefined. */
export function instanceTypeSize(name: string): InstanceTypeSize | undefined {
  return INSTANCE_TYPES.find((t) => t.name === name);
}

/** Whether an instance type fits a broker of the given CPUs and memory (plus the OS overhead). */
export function fitsBroker(type: InstanceTypeSize, cpus: number, memoryMiB: number): boolean {
  return type.vcpus >= cpus && type.memoryMiB >= memoryMiB + INSTANCE_OVERHEAD_MIB;
}

/**
 * The smallest general-purpose or memory-optimised type that fits a broker (fewest vCPUs, then least
 * memory), or undefined when none in the table does.
 */
export function deriveInstanceType(cpus: number, memoryMiB: number): InstanceTypeSize | undefined {
  return INSTANCE_TYPES.filter((t) => /^(m7i|r7i)\./.test(t.name))
    .filter((t) => fitsBroker(t, cpus, memoryMiB))
    .sort((a, b) => a.vcpus - b.vcpus || a.memoryMiB - b.memoryMiB)[0];
}
