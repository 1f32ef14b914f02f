import { readFileSync } from "node:fs";

/** The CLI's side effects, injectable so that tests run it in-process. */
export interface CliIo {
  /** Writes one line to standard output. */
  out(line: string): void;
  /** Writes one line to standard error. */
  err(line: string): void;
  readonly env: Readonly<Record<string, string | undefined>>;
  readFile(path: string): string;
}

/** The real process. */
export const PROCESS_IO: CliIo = {
  out: (line) => {
    process.stdout.write(`${line}\n`);
  },
  err: (line) => {
    process.stderr.write(`${line}\n`);
  },
  env: process.env,
  readFile: (path) => readFileSync(path, "utf8"),
};
