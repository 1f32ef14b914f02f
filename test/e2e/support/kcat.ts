import { runCommand } from "./run-command";

const KCAT_TIMEOUT_MS = 60_000;

/**
 * kcat's environment: with the librdkafka scripts/e2e/install-librdkafka.sh provides (Debian's is too
 * old for Apache Kafka 4's SCRAM), when `SLUICE_KCAT_LIBRARY_PATH` names it.
 */
export function kcatEnv(): NodeJS.ProcessEnv {
  const dir = process.env.SLUICE_KCAT_LIBRARY_PATH;
  return dir ? { ...process.env, LD_LIBRARY_PATH: dir } : process.env;
}

/**
 * What librdkafka logs when the broker refuses a SASL password (Sluice and Apache Kafka word it alike):
 * a wrong-password check must match this, not any failure (a timeout or a missing kcat would pass).
 */
export const WRONG_PASSWORD = /SASL authentication error: Authentication failed/;

/** Extra librdkafka settings (`-X key=value`), e.g. SASL credentials of a tenant. */
export type KcatSettings = Readonly<Record<string, string>>;

function settingsArgs(settings: KcatSettings): string[] {
  return Object.entries(settings).flatMap(([key, value]) => ["-X", `${key}=${value}`]);
}

/** Produces one message per line with kcat (librdkafka), waiting for the broker's acks. */
export async function kcatProduce(
  bootstrap: string,
  topic: string,
  lines: readonly string[],
  settings: KcatSettings = {},
): Promise<void> {
  await runCommand(
    "kcat",
    [
      "-b",
      bootstrap,
      "-P",
      "-t",
      topic,
      "-X",
      "acks=all",
      "-X",
      "message.timeout.ms=30000",
      ...settingsArgs(settings),
    ],
    { input: `${lines.join("\n")}\n`, timeoutMs: KCAT_TIMEOUT_MS, env: kcatEnv() },
  );
}

/**
 * Reads message values with kcat: `mode` picks the consumer (`-C -t topic -o beginning`, or `-G group`),
 * `topics` are positional (the balanced consumer's); stops after `count` messages or at the end of
 * every partition it reads (`-e`).
 */
async function readValues(
  bootstrap: string,
  mode: readonly string[],
  topics: readonly string[],
  count: number,
  settings: KcatSettings,
): Promise<string[]> {
  const result = await runCommand(
    "kcat",
    [
      "-b",
      bootstrap,
      ...mode,
      "-c",
      String(count),
      "-e",
      "-f",
      "%s\n",
      ...settingsArgs(settings),
      ...topics,
    ],
    { timeoutMs: KCAT_TIMEOUT_MS, env: kcatEnv() },
  );
  return result.stdout.split("\n").filter((line) => line.length > 0);
}

/**
 * Reads message values of all partitions of `topic` from the beginning with kcat (no consumer group):
 * stops after `count` messages, or when every partition is at its end (`-e`), whichever comes first.
 */
export function kcatConsume(
  bootstrap: string,
  topic: string,
  count: number,
  settings: KcatSettings = {},
): Promise<string[]> {
  return readValues(bootstrap, ["-C", "-t", topic, "-o", "beginning"], [], count, settings);
}

/**
 * Reads message values of `topic` as a member of consumer group `group` (kcat's balanced consumer,
 * `-G`), from the earliest offset when the group has none: stops after `count` messages, or when
 * every assigned partition is at its end.
 */
export function kcatConsumeGroup(
  bootstrap: string,
  group: string,
  topic: string,
  count: number,
  settings: KcatSettings = {},
): Promise<string[]> {
  const earliest = { "auto.offset.reset": "earliest", ...settings };
  return readValues(bootstrap, ["-G", group], [topic], count, earliest);
}

/** kcat's metadata listing (`-L -J`), the parts the suites read. */
export interface KcatMetadata {
  /** `name` is `host:port`, the address the broker advertises. */
  readonly brokers?: { readonly id: number; readonly name?: string }[];
  readonly topics?: {
    readonly topic: string;
    readonly partitions?: {
      readonly partition: number;
      readonly replicas?: { readonly id: number }[];
      readonly isrs?: { readonly id: number }[];
    }[];
  }[];
}

/** Partitions (of the topics the login may see) whose in-sync replicas are fewer than their replicas. */
export function underReplicated(md: KcatMetadata): string[] {
  return (md.topics ?? []).flatMap((t) =>
    (t.partitions ?? [])
      .filter((p) => (p.isrs?.length ?? 0) < (p.replicas?.length ?? 0))
      .map((p) => `${t.topic}-${p.partition}`),
  );
}

/** The cluster's metadata as kcat lists it (`-L -J`). */
export async function kcatMetadata(
  bootstrap: string,
  settings: KcatSettings = {},
): Promise<KcatMetadata> {
  const result = await runCommand(
    "kcat",
    ["-b", bootstrap, "-L", "-J", ...settingsArgs(settings)],
    { timeoutMs: KCAT_TIMEOUT_MS, env: kcatEnv() },
  );
  return JSON.parse(result.stdout) as KcatMetadata;
}

/** Topic → partition count, from kcat's metadata listing (`-L -J`). */
export async function kcatPartitionCounts(
  bootstrap: string,
  settings: KcatSettings = {},
): Promise<Map<string, number>> {
  const metadata = await kcatMetadata(bootstrap, settings);
  return new Map((metadata.topics ?? []).map((t) => [t.topic, t.partitions?.length ?? 0]));
}
