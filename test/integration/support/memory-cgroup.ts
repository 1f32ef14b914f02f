import { existsSync, mkdirSync, readFileSync, rmdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";

const V1_ROOT = "/sys/fs/cgroup/memory";
const V2_ROOT = "/sys/fs/cgroup";

/**
 * A memory cgroup of its own (root only), so a process can be given a hard memory limit the way a
 * container's is enforced (`docker run --memory`): cgroup v1 (`memory.limit_in_bytes`, swap off
 * through `memory.memsw.limit_in_bytes` where the kernel accounts swap) or v2 (`memory.max`,
 * `memory.swap.max`).
 */
export class MemoryCgroup {
  private constructor(
    readonly dir: string,
    private readonly version: 1 | 2,
  ) {}

  /** Creates `name` with `limitBytes`; throws naming the paths when this machine offers neither version. */
  static create(name: string, limitBytes: number): MemoryCgroup {
    try {
      return MemoryCgroup.make(name, limitBytes);
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      if (code !== "EACCES" && code !== "EROFS" && code !== "EPERM") throw e;
      throw new Error(
        `creating memory cgroup ${name} needs root and a writable /sys/fs/cgroup (as on the CI machine): ${(e as Error).message}`,
      );
    }
  }

  private static make(name: string, limitBytes: number): MemoryCgroup {
    if (existsSync(join(V1_ROOT, "memory.limit_in_bytes"))) {
      const dir = join(V1_ROOT, name);
      mkdirSync(dir, { recursive: true });
      writeFileSync(join(dir, "memory.limit_in_bytes"), String(limitBytes));
      const memsw = join(dir, "memory.memsw.limit_in_bytes");
      if (existsSync(memsw)) writeFileSync(memsw, String(limitBytes));
      return new MemoryCgroup(dir, 1);
    }
    if (existsSync(join(V2_ROOT, "cgroup.controllers"))) {
      const controllers = readFileSync(join(V2_ROOT, "cgroup.subtree_control"), "utf8");
      if (!controllers.split(/\s+/).includes("memory")) {
        writeFileSync(join(V2_ROOT, "cgroup.subtree_control"), "+memory");
      }
      const dir = join(V2_ROOT, name);
      mkdirSync(dir, { recursive: true });
      writeFileSync(join(dir, "memory.max"), String(limitBytes));
      const swap = join(dir, "memory.swap.max");
      if (existsSync(swap)) writeFileSync(swap, "0");
      return new MemoryCgroup(dir, 2);
    }
    throw new Error(
      `no memory cgroup to create: neither ${V1_ROOT}/memory.limit_in_bytes (v1) nor ${V2_ROOT}/cgroup.controllers (v2) exists`,
    );
  }

  /** Moves a running process into the group (its later allocations count against the limit). */
  add(pid: number): void {
    writeFileSync(join(this.dir, "cgroup.procs"), String(pid));
  }

  /** How often the kernel's OOM killer fired in the group. */
  oomKills(): number {
    const file = this.version === 1 ? "memory.oom_control" : "memory.events";
    const m = /^oom_kill (\d+)$/m.exec(readFileSync(join(this.dir, file), "utf8"));
    return m ? Number(m[1]) : 0;
  }

  /** Peak memory charged to the group, in bytes (v1 `max_usage_in_bytes`, v2 `memory.peak`; null when absent). */
  peakBytes(): number | null {
    const file = join(this.dir, this.version === 1 ? "memory.max_usage_in_bytes" : "memory.peak");
    return existsSync(file) ? Number(readFileSync(file, "utf8").trim()) : null;
  }

  /** Removes the group (its processes must have exited). */
  remove(): void {
    try {
      rmdirSync(this.dir);
    } catch {
      // Still busy: a process in it has not been reaped yet; the empty group is harmless.
    }
  }
}

/** A process's resident set size in bytes (`VmRSS` of /proc/PID/status). */
export function residentBytes(pid: number): number {
  const m = /^VmRSS:\s+(\d+) kB$/m.exec(readFileSync(`/proc/${pid}/status`, "utf8"));
  if (!m) throw new Error(`no VmRSS for process ${pid}`);
  return Number(m[1]) * 1024;
}
