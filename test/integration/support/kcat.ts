import { runChecked } from "./run-command";

// kcat is Debian's, linked against librdkafka 2.0.x: the C client behind confluent-kafka,
// node-rdkafka and most non-JVM Kafka tooling.
export const kcat = "kcat";
// Each call takes a second or two against Kafka; the bound only limits how long a failure costs.
export const kcatTimeoutMs = 30_000;

/**
 * Produces `key:value` lines with acks=all. `connect` is how kcat reaches the broker: `-b HOST:PORT`
 * and any `-X` security settings.
 */
export async function kcatProduce(
  connect: readonly string[],
  topic: string,
  lines: readonly string[],
  extra: readonly string[] = [],
): Promise<void> {
  await runChecked(kcat, [...connect, "-P", "-t", topic, "-K", ":", "-X", "acks=all", ...extra], {
    timeoutMs: kcatTimeoutMs,
    input: `${lines.join("\n")}\n`,
  });
}

/** Every `key:value` of one partition, from the beginning to its current end. */
export async function kcatConsumeAll(
  connect: readonly string[],
  topic: string,
  partition: number,
): Promise<string[]> {
  const res = await runChecked(
    kcat,
    [
      ...connect,
      "-C",
      "-t",
      topic,
      "-p",
      String(partition),
      "-o",
      "beginning",
      "-e",
      "-f",
      "%k:%s\\n",
    ],
    { timeoutMs: kcatTimeoutMs },
  );
  return res.stdout.split("\n").filter((l) => l.length > 0);
}
