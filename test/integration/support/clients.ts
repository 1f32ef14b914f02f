import { homedir } from "node:os";
import { join, resolve } from "node:path";
import { CommandFailedError, lastJsonLine, runChecked, runCommand } from "./run-command";

/** The repository root (test/integration/support → ../../..). */
export const repoRoot = resolve(__dirname, "..", "..", "..");

/** Debian's interpreter, which python3-kafka / python3-confluent-kafka install for. */
export const systemPython = "/usr/bin/python3";

/** Kafka version of the Java client and of the reference broker (scripts/kafka/lib.sh). */
export const kafkaVersion = process.env.KAFKA_VERSION ?? "4.3.1";

function cacheDir(): string {
  return (
    process.env.SLUICE_CACHE_DIR ??
    join(process.env.XDG_CACHE_HOME ?? join(homedir(), ".cache"), "sluice")
  );
}

/**
 * Apache Kafka's jars (broker and tools, from Maven Central), as scripts/kafka/fetch-kafka.sh
 * fetches them: the classpath of Kafka's own command-line tools.
 */
export function kafkaToolsClasspath(): string {
  return join(cacheDir(), `kafka-${kafkaVersion}`, "libs", "*");
}

/**
 * Runs one of Kafka's command-line tools by its main class (e.g.
 * `org.apache.kafka.tools.GetOffsetShell`) with `args`, as `bin/kafka-*.sh` does; returns its
 * stdout, stderr and exit code (a non-zero exit is a result here, not an exception).
 */
export async function runKafkaTool(
  mainClass: string,
  args: readonly string[],
  timeoutMs = 90_000,
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const res = await runCommand(
    "java",
    ["-Xmx256m", "-Dlog4j2.level=WARN", "-cp", kafkaToolsClasspath(), mainClass, ...args],
    { timeoutMs },
  );
  if (res.timedOut) throw new CommandFailedError(mainClass, res);
  return { code: res.code, stdout: res.stdout, stderr: res.stderr };
}

/**
 * Classpath of the compiled test/integration/java programs plus kafka-clients, as
 * scripts/integration/install-clients.sh prints it (run.sh exports it as SLUICE_IT_JAVA_CP).
 */
export function javaClasspath(): string {
  const fromEnv = process.env.SLUICE_IT_JAVA_CP;
  if (fromEnv) return fromEnv;
  const cache = cacheDir();
  return `${join(cache, "integration-java", "classes")}:${join(cache, `java-client-${kafkaVersion}`, "libs", "*")}`;
}

/** Runs one of the Java test programs and returns its final JSON report. */
export async function runJava(
  mainClass: string,
  args: Record<string, string | number>,
  timeoutMs: number,
  onLine?: (line: string) => void,
): Promise<unknown> {
  const argv = Object.entries(args).flatMap(([k, v]) => [`--${k}`, String(v)]);
  const res = await runChecked("java", ["-cp", javaClasspath(), mainClass, ...argv], {
    timeoutMs,
    onLine,
  });
  return lastJsonLine(res.stdout);
}

/** Runs test/integration/python/<script> with /usr/bin/python3 and returns its JSON report. */
export async function runPython(
  script: string,
  args: Record<string, string | number>,
  timeoutMs: number,
): Promise<unknown> {
  const argv = Object.entries(args).flatMap(([k, v]) => [`--${k}`, String(v)]);
  const res = await runChecked(
    systemPython,
    [join(repoRoot, "test", "integration", "python", script), ...argv],
    { timeoutMs },
  );
  return lastJsonLine(res.stdout);
}
