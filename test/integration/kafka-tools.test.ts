import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { brokerNodeId, createTopics, produceWithTimestamps, uniqueName } from "./support/admin";
import { BrokerUnderTest } from "./support/broker-under-test";
import { kafkaVersion, runKafkaTool } from "./support/clients";

// Kafka's own command-line tools (the classes behind bin/kafka-*.sh, from Maven Central's
// kafka-tools) against the Sluice broker and Apache Kafka in the same run, with the same steps:
// Kafka's answer is the reference, and Sluice's must be the same. Under SLUICE_TARGET=kafka the
// file is skipped, so `both` does not run it twice.

type Name = "sluice" | "kafka";

/**
 * Every topic config Apache Kafka 4.3 knows (TopicConfig / LogConfig), each at a value that is not
 * its default, valid on a single node without tiered storage (`remote.storage.enable` stays false:
 * both brokers refuse true, see the bad-input test).
 */
const EVERY_TOPIC_CONFIG: Readonly<Record<string, string>> = {
  "cleanup.policy": "compact,delete",
  "compression.gzip.level": "5",
  "compression.lz4.level": "10",
  "compression.type": "lz4",
  "compression.zstd.level": "7",
  "delete.retention.ms": "3600000",
  "file.delete.delay.ms": "30000",
  "flush.messages": "1000",
  "flush.ms": "2000",
  "follower.replication.throttled.replicas": "0:1",
  "index.interval.bytes": "8192",
  "leader.replication.throttled.replicas": "0:1",
  "local.retention.bytes": "1048576",
  "local.retention.ms": "3600000",
  "max.compaction.lag.ms": "86400000",
  "max.message.bytes": "2097152",
  "message.timestamp.after.max.ms": "60000",
  "message.timestamp.before.max.ms": "86400000",
  "message.timestamp.type": "LogAppendTime",
  "min.cleanable.dirty.ratio": "0.25",
  "min.compaction.lag.ms": "1000",
  "min.insync.replicas": "2",
  preallocate: "true",
  "remote.log.copy.disable": "true",
  "remote.log.delete.on.disable": "true",
  "retention.bytes": "1073741824",
  "retention.ms": "3600000",
  "segment.bytes": "16777216",
  "segment.index.bytes": "1048576",
  "segment.jitter.ms": "1000",
  "segment.ms": "3600000",
  "unclean.leader.election.enable": "true",
};

/** The `key=value` pairs of ConfigCommand --describe's output (the topic's own configs). */
function describedConfigs(stdout: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const m of stdout.matchAll(/^\s+([a-z0-9.]+)=(\S*) sensitive=/gm)) {
    if (m[1] !== undefined) out[m[1]] = m[2] ?? "";
  }
  return out;
}

let brokers: Record<Name, BrokerUnderTest> | undefined;
beforeAll(async () => {
  const [s, k] = await Promise.allSettled([
    BrokerUnderTest.start("sluice"),
    BrokerUnderTest.start("kafka"),
  ]);
  if (s.status === "fulfilled" && k.status === "fulfilled") {
    brokers = { sluice: s.value, kafka: k.value };
    return;
  }
  await Promise.all([s, k].map((r) => (r.status === "fulfilled" ? r.value.stop() : undefined)));
  throw new Error(
    `the brokers did not start: ${[s, k].map((r) => (r.status === "rejected" ? String(r.reason) : "ok")).join("; ")}`,
  );
}, 240_000);
afterAll(async () => {
  if (brokers) await Promise.all([brokers.sluice.stop(), brokers.kafka.stop()]);
});

/** Runs `step` against both brokers (at once) and returns each one's result. */
async function onBoth<T>(step: (b: BrokerUnderTest) => Promise<T>): Promise<Record<Name, T>> {
  if (!brokers) throw new Error("the brokers did not start");
  const [sluice, kafka] = await Promise.all([step(brokers.sluice), step(brokers.kafka)]);
  return { sluice, kafka };
}

/** `kafka-configs` (ConfigCommand) on one entity of `b` (`--entity-…` arguments), with the action's. */
function configCommand(b: BrokerUnderTest, entity: readonly string[], action: readonly string[]) {
  return runKafkaTool("kafka.admin.ConfigCommand", [
    "--bootstrap-server",
    b.bootstrap,
    ...entity,
    ...action,
  ]);
}

/** `kafka-configs` on one topic of `b`. */
function topicConfigCommand(b: BrokerUnderTest, topic: string, ...action: string[]) {
  return configCommand(b, ["--entity-type", "topics", "--entity-name", topic], action);
}

/** `kafka-configs` on `b`'s brokers: the cluster-wide default, or one broker by node id. */
function brokerConfigCommand(b: BrokerUnderTest, broker: "default" | number, ...action: string[]) {
  const entity = broker === "default" ? ["--entity-default"] : ["--entity-name", String(broker)];
  return configCommand(b, ["--entity-type", "brokers", ...entity], action);
}

/** ConfigCommand --describe's entries: each value with its synonyms (`SOURCE:name=value`), in order. */
function describedEntries(stdout: string): Record<string, { value: string; synonyms: string[] }> {
  const out: Record<string, { value: string; synonyms: string[] }> = {};
  for (const m of stdout.matchAll(/^\s+([a-z0-9.]+)=(\S*) sensitive=\S+ synonyms=\{(.*)\}$/gm)) {
    if (m[1] === undefined) continue;
    const synonyms = (m[3] ?? "").split(", ").filter((s) => s !== "");
    out[m[1]] = { value: m[2] ?? "", synonyms };
  }
  return out;
}

/** The entries of `record` named in `keys`. */
function pick<T>(record: Record<string, T>, keys: readonly string[]): Record<string, T> {
  return Object.fromEntries(Object.entries(record).filter(([k]) => keys.includes(k)));
}

/** Whether `topic` refuses a 5000-byte record as too large (MESSAGE_TOO_LARGE). */
async function refusesLargeRecord(b: BrokerUnderTest, topic: string): Promise<boolean> {
  try {
    await produceWithTimestamps(b.bootstrap, topic, [
      { key: "big", value: "x".repeat(5000), timestamp: Date.now() },
    ]);
    return false;
  } catch (e) {
    const text = `${String(e)} ${(e as { type?: string }).type ?? ""}`;
    if (/MESSAGE_TOO_LARGE|larger than the max message size/i.test(text)) return true;
    throw e;
  }
}

/** Polls `check` until it answers `want` (Kafka applies dynamic configs asynchronously). */
async function eventually(check: () => Promise<boolean>, want = true, ms = 15_000) {
  const deadline = Date.now() + ms;
  for (;;) {
    if ((await check()) === want || Date.now() > deadline) return (await check()) === want;
    await new Promise((r) => setTimeout(r, 500));
  }
}

/** A tool's output without its JVM warnings, trimmed. */
function lines(stdout: string): string[] {
  return stdout
    .split("\n")
    .map((l) => l.trim())
    .filter((l) => l !== "");
}

describe.skipIf(process.env.SLUICE_TARGET === "kafka")(
  `Kafka ${kafkaVersion}'s own tools against Sluice and Apache Kafka`,
  () => {
    // One batch whose create times are out of order, as a client that stamps records itself
    // sends them: offsets 0-4 carry base + 1000, 3000, 2000, 5000, 4000 ms.
    const base = Date.now() - 86_400_000;
    const stamps = [1000, 3000, 2000, 5000, 4000];
    const topic = uniqueName("tools-times");

    beforeAll(async () => {
      await onBoth(async (b) => {
        await createTopics(b.bootstrap, [{ topic, partitions: 1 }]);
        await produceWithTimestamps(
          b.bootstrap,
          topic,
          stamps.map((ms, i) => ({ key: `k${i}`, value: `v${i}`, timestamp: base + ms })),
        );
      });
    }, 120_000);

    it("GetOffsetShell answers -1, -2, -3, -4, -5 and timestamps with the offsets Kafka answers", async () => {
      const times = [
        "-1",
        "-2",
        "-3",
        "-4",
        "-5",
        `${base + 2500}`,
        `${base + 4500}`,
        `${base + 9000}`,
      ];
      const out = await onBoth(async (b) => {
        const answers: Record<string, string[]> = {};
        for (const time of times) {
          const r = await runKafkaTool("org.apache.kafka.tools.GetOffsetShell", [
            "--bootstrap-server",
            b.bootstrap,
            "--topic",
            topic,
            "--time",
            time,
          ]);
          expect(r.code, `${b.target} --time ${time}: ${r.stderr}`).toBe(0);
          answers[time] = lines(r.stdout);
        }
        return answers;
      });
      expect(out.sluice).toEqual(out.kafka);
      // The reference itself: a record, not its batch (the max timestamp is offset 3's).
      expect(out.kafka["-1"]).toEqual([`${topic}:0:5`]);
      expect(out.kafka["-3"]).toEqual([`${topic}:0:3`]);
      expect(out.kafka[`${base + 2500}`]).toEqual([`${topic}:0:1`]);
      expect(out.kafka[`${base + 4500}`]).toEqual([`${topic}:0:3`]);
    }, 240_000);

    it("ConsumerGroupCommand --reset-offsets --to-datetime moves a group to the first record at or after it", async () => {
      const group = uniqueName("tools-reset");
      // Kafka's date format without a zone is read in the tool's local zone: give it UTC.
      const at = `${new Date(base + 2500).toISOString().replace("Z", "")}+00:00`;
      const out = await onBoth(async (b) => {
        const r = await runKafkaTool("org.apache.kafka.tools.consumer.group.ConsumerGroupCommand", [
          "--bootstrap-server",
          b.bootstrap,
          "--group",
          group,
          "--topic",
          topic,
          "--reset-offsets",
          "--to-datetime",
          at,
          "--execute",
        ]);
        expect(r.code, `${b.target}: ${r.stderr}`).toBe(0);
        return lines(r.stdout).map((l) => l.split(/\s+/));
      });
      expect(out.sluice).toEqual(out.kafka);
      expect(out.kafka.at(-1)).toEqual([group, topic, "0", "1"]);
    }, 120_000);

    it("LogDirsCommand --describe lists the log directory with each partition's size", async () => {
      const out = await onBoth(async (b) => {
        const r = await runKafkaTool("org.apache.kafka.tools.LogDirsCommand", [
          "--bootstrap-server",
          b.bootstrap,
          "--describe",
          "--topic-list",
          topic,
        ]);
        expect(r.code, `${b.target}: ${r.stderr}`).toBe(0);
        const json = lines(r.stdout).find((l) => l.startsWith("{"));
        expect(json, `${b.target}: ${r.stdout}`).toBeDefined();
        return JSON.parse(json ?? "{}") as {
          brokers: {
            broker: number;
            logDirs: {
              logDir: string;
              error: string | null;
              partitions: {
                partition: string;
                size: number;
                offsetLag: number;
                isFuture: boolean;
              }[];
            }[];
          }[];
        };
      });
      for (const name of ["sluice", "kafka"] as const) {
        const [broker] = out[name].brokers;
        expect(out[name].brokers, name).toHaveLength(1);
        expect(broker?.logDirs, name).toHaveLength(1);
        const dir = broker?.logDirs[0];
        expect(dir?.error, name).toBeNull();
        expect(dir?.logDir.startsWith("/"), name).toBe(true);
        expect(dir?.partitions, name).toEqual([
          { partition: `${topic}-0`, size: expect.any(Number), offsetLag: 0, isFuture: false },
        ]);
      }
      // The same batch of 5 records, stored as sent by both: the same bytes on disk.
      const size = (n: Name) => out[n].brokers[0]?.logDirs[0]?.partitions[0]?.size;
      expect(size("sluice")).toBeGreaterThan(0);
      expect(size("sluice")).toBe(size("kafka"));
    }, 120_000);

    it("ConfigCommand: a topic created with every Kafka 4.3 topic config at a non-default value describes them all back", async () => {
      const name = uniqueName("tools-configs");
      const out = await onBoth(async (b) => {
        await createTopics(b.bootstrap, [
          { topic: name, partitions: 1, configs: EVERY_TOPIC_CONFIG },
        ]);
        const r = await topicConfigCommand(b, name, "--describe");
        expect(r.code, `${b.target}: ${r.stderr}`).toBe(0);
        return describedConfigs(r.stdout);
      });
      expect(out.kafka).toEqual(EVERY_TOPIC_CONFIG);
      expect(out.sluice).toEqual(out.kafka);
    }, 120_000);

    it("ConfigCommand: an unknown topic config and malformed values are refused naming the config; the broker keeps serving", async () => {
      const name = uniqueName("tools-bad-config");
      const attempts = [
        { config: "no.such.config=1", expect: /no\.such\.config/ },
        { config: "retention.ms=soon", expect: /retention\.ms/ },
        {
          config: "min.cleanable.dirty.ratio=2",
          expect: /min\.cleanable\.dirty\.ratio.*(1|range|between)/i,
        },
        { config: "remote.storage.enable=true", expect: /remote\.storage|[Tt]iered/ },
      ];
      const out = await onBoth(async (b) => {
        await createTopics(b.bootstrap, [{ topic: name, partitions: 1 }]);
        const answers: { code: number | null; text: string }[] = [];
        for (const a of attempts) {
          const r = await topicConfigCommand(b, name, "--alter", "--add-config", a.config);
          answers.push({ code: r.code, text: `${r.stdout}\n${r.stderr}` });
        }
        // Still serving, and nothing was changed by the refused requests.
        const d = await topicConfigCommand(b, name, "--describe");
        return { answers, described: describedConfigs(d.stdout), describeCode: d.code };
      });
      for (const n of ["sluice", "kafka"] as const) {
        attempts.forEach((a, i) => {
          const ans = out[n].answers[i];
          expect(ans?.code, `${n} ${a.config}`).not.toBe(0);
          expect(ans?.text, `${n} ${a.config}`).toMatch(
            /InvalidConfigurationException|INVALID_CONFIG|Invalid/,
          );
          expect(ans?.text, `${n} ${a.config}`).toMatch(a.expect);
        });
        expect(out[n].describeCode, n).toBe(0);
        expect(out[n].described, n).toEqual({});
      }
    }, 180_000);

    it("ConfigCommand brokers: dynamic log defaults, cluster-wide and per broker, take effect at once and survive a restart; static configs and bad values are refused naming them", async () => {
      const topic = uniqueName("tools-dynamic");
      const out = await onBoth(async (b) => {
        const id = await brokerNodeId(b.bootstrap);
        await createTopics(b.bootstrap, [{ topic, partitions: 1 }]);
        const ok = async (r: Promise<{ code: number | null; stderr: string }>) => {
          const res = await r;
          expect(res.code, `${b.target}: ${res.stderr}`).toBe(0);
        };
        await ok(
          brokerConfigCommand(
            b,
            "default",
            "--alter",
            "--add-config",
            "log.retention.ms=3600000,message.max.bytes=2000",
          ),
        );
        await ok(brokerConfigCommand(b, id, "--alter", "--add-config", "log.retention.ms=7200000"));
        const appliedAtOnce = await eventually(() => refusesLargeRecord(b, topic));
        const describe = async () => {
          const topicConfigs = describedConfigs(
            (await topicConfigCommand(b, topic, "--describe", "--all")).stdout,
          );
          return {
            // Only what the test set: Kafka 4.3 formats its metadata with a cluster-wide
            // min.insync.replicas=1 (for ELR), a config Sluice does not act on.
            clusterDefault: pick(
              describedEntries((await brokerConfigCommand(b, "default", "--describe")).stdout),
              ["log.retention.ms", "message.max.bytes"],
            ),
            thisBroker: describedEntries((await brokerConfigCommand(b, id, "--describe")).stdout),
            topic: {
              "retention.ms": topicConfigs["retention.ms"],
              "max.message.bytes": topicConfigs["max.message.bytes"],
            },
          };
        };
        const before = await describe();
        const refused = async (broker: "default" | number, config: string) => {
          const r = await brokerConfigCommand(b, broker, "--alter", "--add-config", config);
          return { code: r.code, text: `${r.stdout}\n${r.stderr}` };
        };
        const staticConfig = await refused("default", "log.dirs=/elsewhere");
        const badValue = await refused(id, "log.retention.ms=soon");
        await b.restart();
        const after = await describe();
        const afterRestart = await refusesLargeRecord(b, topic);
        // Back to the defaults, for the tests after this one.
        await ok(
          brokerConfigCommand(
            b,
            "default",
            "--alter",
            "--delete-config",
            "log.retention.ms,message.max.bytes",
          ),
        );
        await ok(brokerConfigCommand(b, id, "--alter", "--delete-config", "log.retention.ms"));
        const removed = await eventually(() => refusesLargeRecord(b, topic), false);
        return { appliedAtOnce, before, after, afterRestart, staticConfig, badValue, removed };
      });
      expect(out.kafka.before).toEqual({
        clusterDefault: {
          "log.retention.ms": {
            value: "3600000",
            synonyms: ["DYNAMIC_DEFAULT_BROKER_CONFIG:log.retention.ms=3600000"],
          },
          "message.max.bytes": {
            value: "2000",
            synonyms: ["DYNAMIC_DEFAULT_BROKER_CONFIG:message.max.bytes=2000"],
          },
        },
        thisBroker: {
          "log.retention.ms": {
            value: "7200000",
            synonyms: [
              "DYNAMIC_BROKER_CONFIG:log.retention.ms=7200000",
              "DYNAMIC_DEFAULT_BROKER_CONFIG:log.retention.ms=3600000",
              "DEFAULT_CONFIG:log.retention.hours=168",
            ],
          },
        },
        topic: { "retention.ms": "7200000", "max.message.bytes": "2000" },
      });
      for (const n of ["sluice", "kafka"] as const) {
        const o = out[n];
        expect(o.before, n).toEqual(out.kafka.before);
        expect(o.after, n).toEqual(o.before);
        expect([o.appliedAtOnce, o.afterRestart, o.removed], n).toEqual([true, true, true]);
        expect(o.staticConfig.code, n).not.toBe(0);
        expect(o.staticConfig.text, n).toMatch(
          /InvalidRequestException: Cannot update these configs dynamically: \[log\.dirs\]/,
        );
        expect(o.badValue.code, n).not.toBe(0);
        expect(o.badValue.text, n).toMatch(
          /Invalid value soon for configuration log\.retention\.ms/,
        );
      }
    }, 300_000);

    it("ConfigCommand brokers --entity-name <id>: Kafka's per-broker thread and cleaner configs are applied by Kafka and refused by Sluice naming why, not as unknown; both keep serving", async () => {
      const names = ["num.io.threads", "log.cleaner.threads"];
      const topic = uniqueName("tools-threads");
      const out = await onBoth(async (b) => {
        const id = await brokerNodeId(b.bootstrap);
        const r = await brokerConfigCommand(
          b,
          id,
          "--alter",
          "--add-config",
          "num.io.threads=4,log.cleaner.threads=2",
        );
        const described = describedEntries((await brokerConfigCommand(b, id, "--describe")).stdout);
        if (r.code === 0) {
          const undo = await brokerConfigCommand(
            b,
            id,
            "--alter",
            "--delete-config",
            names.join(","),
          );
          expect(undo.code, undo.stderr).toBe(0);
        }
        await createTopics(b.bootstrap, [{ topic, partitions: 1 }]);
        return {
          code: r.code,
          text: `${r.stdout}\n${r.stderr}`,
          described: pick(described, names),
        };
      });
      expect(out.kafka.code, out.kafka.text).toBe(0);
      expect(out.kafka.described).toEqual({
        "num.io.threads": {
          value: "4",
          synonyms: expect.arrayContaining(["DYNAMIC_BROKER_CONFIG:num.io.threads=4"]),
        },
        "log.cleaner.threads": {
          value: "2",
          synonyms: expect.arrayContaining(["DYNAMIC_BROKER_CONFIG:log.cleaner.threads=2"]),
        },
      });
      expect(out.sluice.code).not.toBe(0);
      // The tool may send the two in either order.
      const either = "(num\\.io\\.threads|log\\.cleaner\\.threads)";
      expect(out.sluice.text).toMatch(
        new RegExp(
          `InvalidRequestException: Cannot update these configs dynamically: \\[${either}, ${either}\\] \\(Apache Kafka changes them at run time; Sluice does not act on them`,
        ),
      );
      expect(out.sluice.text).not.toMatch(/Unknown broker config/);
      expect(out.sluice.described).toEqual({});
    }, 300_000);

    it("DeleteRecordsCommand is refused with POLICY_VIOLATION on a compact-only topic, not on compact,delete", async () => {
      const compact = uniqueName("tools-compact");
      const both = uniqueName("tools-compact-delete");
      const out = await onBoth(async (b) => {
        await createTopics(b.bootstrap, [
          { topic: compact, partitions: 1, configs: { "cleanup.policy": "compact" } },
          { topic: both, partitions: 1, configs: { "cleanup.policy": "compact,delete" } },
        ]);
        const records = [0, 1, 2].map((i) => ({ key: `k${i}`, value: `v${i}`, timestamp: base }));
        await produceWithTimestamps(b.bootstrap, compact, records);
        await produceWithTimestamps(b.bootstrap, both, records);
        const file = join(b.dataDir, "delete-records.json");
        writeFileSync(
          file,
          JSON.stringify({
            version: 1,
            partitions: [
              { topic: compact, partition: 0, offset: 2 },
              { topic: both, partition: 0, offset: 2 },
            ],
          }),
        );
        const r = await runKafkaTool("org.apache.kafka.tools.DeleteRecordsCommand", [
          "--bootstrap-server",
          b.bootstrap,
          "--offset-json-file",
          file,
        ]);
        return { code: r.code, out: lines(r.stdout) };
      });
      for (const name of ["sluice", "kafka"] as const) {
        const text = out[name].out.join("\n");
        expect(text, name).toMatch(
          new RegExp(`partition: ${compact}-0\\s+error: \\S*PolicyViolationException`),
        );
        expect(text, name).toMatch(new RegExp(`partition: ${both}-0\\s+low_watermark: 2`));
      }
      expect(out.sluice.code).toBe(out.kafka.code);
    }, 120_000);
  },
);
