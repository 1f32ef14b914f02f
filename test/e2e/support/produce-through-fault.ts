import { runJava } from "../../integration/support/clients";
import { javaSasl, type SaslLogin } from "./default-grants";

/** What test/integration/java/ProduceDefaults.java reports. */
export interface Produced {
  readonly acks: string;
  readonly sent: number;
  readonly acked: string[];
  readonly failed: string[];
}

/** Options of {@link produceThroughFault}. */
export interface ProduceThroughFaultOptions {
  readonly bootstrap: string;
  readonly topic: string;
  readonly login: SaslLogin;
  /** Records `<prefix>-<i>`. */
  readonly prefix: string;
  readonly count: number;
  /** Pause between sends, so the fault lands mid-stream. */
  readonly intervalMs: number;
  /** The fault: started once a quarter of the records were sent. */
  readonly fault: () => Promise<unknown>;
}

/**
 * Runs the Java producer with its default settings (idempotent, acks=all), paced, and starts `fault`
 * a quarter through. Resolves when both ended; `faulted` says whether the fault ran at all (a test
 * whose fault never fired proves nothing).
 */
export async function produceThroughFault(
  o: ProduceThroughFaultOptions,
): Promise<{ produced: Produced; faulted: boolean }> {
  let fault: Promise<unknown> | undefined;
  const produced = (await runJava(
    "ProduceDefaults",
    {
      bootstrap: o.bootstrap,
      topic: o.topic,
      count: o.count,
      "interval-ms": o.intervalMs,
      prefix: o.prefix,
      ...javaSasl(o.login),
    },
    300_000,
    (line) => {
      const progress = /"progress":\s*(\d+)/.exec(line);
      if (fault === undefined && progress !== null && Number(progress[1]) >= o.count / 4) {
        fault = o.fault();
      }
    },
  )) as Produced;
  await fault;
  return { produced, faulted: fault !== undefined };
}
