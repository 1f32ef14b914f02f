import { spawn } from "node:child_process";

/** What a finished command printed and how it ended. */
export interface CommandResult {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly stdout: string;
  readonly stderr: string;
  readonly timedOut: boolean;
}

/** Options for {@link runCommand}. */
export interface RunOptions {
  /** Killed (SIGKILL) after this long; every external client call is bounded. */
  readonly timeoutMs: number;
  /** Written to stdin, which is then closed (stdin is always closed: CI has none). */
  readonly input?: string;
  readonly env?: NodeJS.ProcessEnv;
  /** Called with each complete stdout line as it arrives (e.g. progress reports). */
  readonly onLine?: (line: string) => void;
}

/** A command that exited non-zero, timed out or died by a signal. */
export class CommandFailedError extends Error {
  constructor(
    readonly command: string,
    readonly result: CommandResult,
  ) {
    super(
      `${command} ${result.timedOut ? "timed out" : `exited ${result.code ?? result.signal}`}\n` +
        `--- stdout (tail) ---\n${result.stdout.slice(-3000)}\n` +
        `--- stderr (tail) ---\n${result.stderr.slice(-3000)}`,
    );
    this.name = "CommandFailedError";
  }
}

/** Runs a command to completion (never through a shell) and collects its output. */
export function runCommand(
  file: string,
  args: readonly string[],
  opts: RunOptions,
): Promise<CommandResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(file, args, {
      env: { ...process.env, ...opts.env },
      stdio: ["pipe", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    let pending = "";
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      child.kill("SIGKILL");
    }, opts.timeoutMs);
    child.stdout.setEncoding("utf8");
    child.stderr.setEncoding("utf8");
    child.stdout.on("data", (chunk: string) => {
      stdout += chunk;
      if (opts.onLine) {
        pending += chunk;
        let nl = pending.indexOf("\n");
        while (nl >= 0) {
          opts.onLine(pending.slice(0, nl));
          pending = pending.slice(nl + 1);
          nl = pending.indexOf("\n");
        }
      }
    });
    child.stderr.on("data", (chunk: string) => {
      stderr += chunk;
    });
    child.on("error", (err) => {
      clearTimeout(timer);
      reject(err);
    });
    child.on("close", (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, stdout, stderr, timedOut });
    });
    child.stdin.on("error", () => {
      // The command may exit before reading its input; that is its business.
    });
    child.stdin.end(opts.input ?? "");
  });
}

/** {@link runCommand}, throwing {@link CommandFailedError} unless the command exits 0. */
export async function runChecked(
  file: string,
  args: readonly string[],
  opts: RunOptions,
): Promise<CommandResult> {
  const result = await runCommand(file, args, opts);
  if (result.code !== 0 || result.timedOut) {
    throw new CommandFailedError([file, ...args].join(" "), result);
  }
  return result;
}

/** The last line of `stdout` that parses as a JSON object (programs print progress first). */
export function lastJsonLine(stdout: string): unknown {
  const lines = stdout.trim().split("\n").reverse();
  for (const line of lines) {
    const t = line.trim();
    if (t.startsWith("{")) return JSON.parse(t);
  }
  throw new Error(`no JSON object in output:\n${stdout.slice(-2000)}`);
}
