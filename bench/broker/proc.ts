/**
 * Child processes of the benchmark: every process started here is registered so that an exit,
 * an error or a signal stops it (brokers, JVMs, kcat), and every tool run has a time cap.
 */
import { type ChildProcess, spawn } from "node:child_process";
import * as fs from "node:fs";

/** A tool run that did not finish in time or failed. */
export class ToolError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "ToolError";
  }
}

const live = new Set<ChildProcess>();

/** Registers a child so that {@link killAll} stops it. */
export function track(child: ChildProcess): ChildProcess {
  live.add(child);
  child.once("exit", () => live.delete(child));
  return child;
}

/** SIGKILLs every registered child (and its process group when it leads one). */
export function killAll(): void {
  for (const c of live) {
    if (c.pid === undefined) continue;
    try {
      process.kill(-c.pid, "SIGKILL");
    } catch {
      try {
        c.kill("SIGKILL");
      } catch {
        // already gone
      }
    }
  }
  live.clear();
}

/** Installs exit/signal hooks once: no broker or JVM outlives the benchmark. */
export function installCleanup(): void {
  process.on("exit", killAll);
  for (const sig of ["SIGINT", "SIGTERM", "SIGHUP"] as const) {
    process.on(sig, () => {
      killAll();
      process.exit(130);
    });
  }
}

/** Result of {@link runTool}. */
export interface ToolRun {
  readonly stdout: string;
  readonly stderr: string;
  readonly code: number | null;
  readonly ms: number;
}

/**
 * Runs a command to completion with a time cap (SIGKILL of its process group when over), returns
 * its output and wall-clock time. Rejects on a non-zero exit or the cap.
 */
export function runTool(
  cmd: string,
  args: readonly string[],
  opts: { timeoutMs: number; env?: NodeJS.ProcessEnv; stdinFile?: string; allowFail?: boolean },
): Promise<ToolRun> {
  return new Promise((resolve, reject) => {
    const t0 = performance.now();
    const stdin = opts.stdinFile ? fs.openSync(opts.stdinFile, "r") : "ignore";
    const child = track(
      spawn(cmd, args, {
        env: opts.env ?? process.env,
        stdio: [stdin, "pipe", "pipe"],
        detached: true,
      }),
    );
    if (typeof stdin === "number") fs.closeSync(stdin);
    let stdout = "";
    let stderr = "";
    child.stdout?.on("data", (d: Buffer) => {
      stdout += d.toString();
      if (stdout.length > 1 << 20) stdout = stdout.slice(-(1 << 19));
    });
    child.stderr?.on("data", (d: Buffer) => {
      stderr += d.toString();
      if (stderr.length > 1 << 20) stderr = stderr.slice(-(1 << 19));
    });
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      if (child.pid !== undefined) {
        try {
          process.kill(-child.pid, "SIGKILL");
        } catch {
          child.kill("SIGKILL");
        }
      }
    }, opts.timeoutMs);
    child.on("error", (e) => {
      clearTimeout(timer);
      reject(new ToolError(`${cmd}: ${e.message}`));
    });
    child.on("exit", (code) => {
      clearTimeout(timer);
      const ms = performance.now() - t0;
      if (timedOut) {
        reject(
          new ToolError(`${cmd} ${args.slice(-6).join(" ")}: over its ${opts.timeoutMs} ms cap`),
        );
      } else if (code !== 0 && !opts.allowFail) {
        reject(
          new ToolError(`${cmd} exited with ${code}: ${(stderr || stdout).trim().slice(-800)}`),
        );
      } else {
        resolve({ stdout, stderr, code, ms });
      }
    });
  });
}

/** VmRSS and VmHWM of a process in MiB (null once it is gone). */
export function memoryOf(pid: number): { rssMiB: number; hwmMiB: number } | null {
  let text: string;
  try {
    text = fs.readFileSync(`/proc/${pid}/status`, "utf8");
  } catch {
    return null;
  }
  const kb = (key: string): number => {
    const m = new RegExp(`^${key}:\\s+(\\d+) kB`, "m").exec(text);
    return m?.[1] ? Number(m[1]) / 1024 : 0;
  };
  return { rssMiB: kb("VmRSS"), hwmMiB: kb("VmHWM") };
}

/** Samples VmRSS of `pid` every `everyMs` until stopped; returns the largest value seen. */
export function sampleRss(pid: number, everyMs = 200): () => number {
  let max = 0;
  const tick = () => {
    const m = memoryOf(pid);
    if (m && m.rssMiB > max) max = m.rssMiB;
  };
  tick();
  const timer = setInterval(tick, everyMs);
  return () => {
    clearInterval(timer);
    tick();
    return max;
  };
}

/** Resolves after `ms`. */
export function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}
