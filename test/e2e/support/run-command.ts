import { spawn } from "node:child_process";

/** Result of a finished child process. */
export interface CommandResult {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** Options of {@link runCommand}. */
export interface RunCommandOptions {
  readonly cwd?: string;
  readonly env?: NodeJS.ProcessEnv;
  /** Written to the child's stdin, which is then closed (CI has no terminal). */
  readonly input?: string | Buffer;
  /** Kill the child after this many milliseconds. */
  readonly timeoutMs?: number;
  /** Exit codes that count as success. */
  readonly okCodes?: readonly number[];
}

/** A command exited with an unexpected code (or was killed); carries the tail of its output. */
export class CommandFailedError extends Error {
  constructor(
    readonly command: string,
    readonly result: CommandResult,
  ) {
    super(
      `${command} exited with ${result.code}\n--- stdout (tail) ---\n${tail(result.stdout)}\n--- stderr (tail) ---\n${tail(result.stderr)}`,
    );
    this.name = "CommandFailedError";
  }
}

function tail(text: string, lines = 40): string {
  return text.split("\n").slice(-lines).join("\n");
}

/**
 * Runs a program without a shell, stdin closed (or fed `input`), and collects its output.
 * Throws {@link CommandFailedError} unless the exit code is in `okCodes` (default `[0]`).
 */
export function runCommand(
  program: string,
  args: readonly string[],
  options: RunCommandOptions = {},
): Promise<CommandResult> {
  const okCodes = options.okCodes ?? [0];
  const display = [program, ...args].join(" ");
  return new Promise((resolve, reject) => {
    const child = spawn(program, args, {
      cwd: options.cwd,
      env: options.env ?? process.env,
      stdio: ["pipe", "pipe", "pipe"],
    });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on("data", (chunk: Buffer) => out.push(chunk));
    child.stderr.on("data", (chunk: Buffer) => err.push(chunk));
    const timer =
      options.timeoutMs === undefined
        ? undefined
        : setTimeout(() => child.kill("SIGKILL"), options.timeoutMs);
    child.on("error", (error) => {
      if (timer) clearTimeout(timer);
      reject(error);
    });
    child.on("close", (code, signal) => {
      if (timer) clearTimeout(timer);
      const result: CommandResult = {
        code: code ?? (signal ? 128 : 1),
        stdout: Buffer.concat(out).toString("utf8"),
        stderr: Buffer.concat(err).toString("utf8"),
      };
      if (okCodes.includes(result.code)) resolve(result);
      else reject(new CommandFailedError(display, result));
    });
    // A child that never reads its stdin may close it first (EPIPE): its exit code says what happened.
    child.stdin.on("error", () => {});
    child.stdin.end(options.input ?? "");
  });
}
