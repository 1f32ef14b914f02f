import type { BrokerLogger } from "./broker-services";

/** One line per event on stderr: `<ISO time> <LEVEL> <message>`. */
export function stderrLogger(): BrokerLogger {
  const line = (level: string, message: string) => {
    process.stderr.write(`${new Date().toISOString()} ${level} ${message}\n`);
  };
  return {
    info: (m) => line("INFO", m),
    warn: (m) => line("WARN", m),
    error: (m) => line("ERROR", m),
  };
}

/** A logger that keeps lines in memory (tests) or drops them. */
export function memoryLogger(lines: string[] = []): BrokerLogger & { lines: string[] } {
  return {
    lines,
    info: (m) => lines.push(`INFO ${m}`),
    warn: (m) => lines.push(`WARN ${m}`),
    error: (m) => lines.push(`ERROR ${m}`),
  };
}
