import { writeFileSync } from "node:fs";
import * as path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { buildRecordBatch } from "../../../lib/broker/log";
import { ApiKey, ErrorCode } from "../../../lib/broker/protocol";
import { BROKER_CONFIGS_FILE } from "../../../lib/broker/server/broker-log-configs";
import { ConfigSource } from "../../../lib/broker/server/topic-configs";
import { RawClient } from "./raw-client";
import { startTestBroker, type TestBroker, tempDir } from "./test-broker";

const BROKER = 4;
const TOPIC = 2;
const SET = 0;
const DELETE = 1;
const APPEND = 2;
const SUBTRACT = 3;

let tb: TestBroker | undefined;
let client: RawClient | undefined;

afterEach(async () => {
  client?.close();
  await tb?.destroy();
  tb = undefined;
  client = undefined;
});

async function start(dataDir = tempDir(), settings = {}): Promise<RawClient> {
  tb = await startTestBroker({ nodeId: 3, log: { retentionMs: 5000 }, ...settings }, dataDir);
  client = await RawClient.connect(tb.port);
  return client;
}

function alter(
  c: RawClient,
  resourceName: string,
  configs: { name: string; configOperation: number; value: string | null }[],
  validateOnly = false,
) {
  return c.call(ApiKey.IncrementalAlterConfigs, 1, {
    resources: [{ resourceType: BROKER, resourceName, configs }],
    validateOnly,
  });
}

async function describeResource(c: RawClient, resourceType: number, resourceName: string) {
  const res = await c.call(ApiKey.DescribeConfigs, 4, {
    resources: [{ resourceType, resourceName, configurationKeys: null }],
    includeSynonyms: true,
    includeDocumentation: false,
  });
  const r = res.results[0];
  return { errorCode: r?.errorCode, configs: new Map(r?.configs.map((e) => [e.name, e])) };
}

const set = (name: string, value: string) => ({ name, configOperation: SET, value });

describe('dynamic broker log configs (BROKER "" and BROKER <node id>)', () => {
  it("sets the cluster default and a per-broker value, described with Kafka's sources and synonyms", async () => {
    const c = await start();
    expect((await alter(c, "", [set("log.retention.ms", "3600000")])).responses[0]?.errorCode).toBe(
      ErrorCode.NONE,
    );
    expect((await alter(c, "3", [set("log.retention.ms", "+7200000")])).responses[0]).toMatchObject(
      { errorCode: ErrorCode.NONE, errorMessage: null },
    );
    const broker = await describeResource(c, BROKER, "3");
    expect(broker.configs.get("log.retention.ms")).toMatchObject({
      value: "7200000",
      readOnly: false,
      configSource: ConfigSource.DYNAMIC_BROKER_CONFIG,
      synonyms: [
        { name: "log.retention.ms", value: "7200000", source: ConfigSource.DYNAMIC_BROKER_CONFIG },
        {
          name: "log.retention.ms",
          value: "3600000",
          source: ConfigSource.DYNAMIC_DEFAULT_BROKER_CONFIG,
        },
        { name: "log.retention.ms", value: "5000", source: ConfigSource.STATIC_BROKER_CONFIG },
        { name: "log.retention.hours", value: "168", source: ConfigSource.DEFAULT_CONFIG },
      ],
    });
    expect(broker.configs.get("log.dirs")?.readOnly).toBe(true);
    // The cluster default resource lists only what is set at that level, as Kafka does.
    const cluster = await describeResource(c, BROKER, "");
    expect([...cluster.configs.keys()]).toEqual(["log.retention.ms"]);
    expect(cluster.configs.get("log.retention.ms")).toMatchObject({
      value: "3600000",
      configSource: ConfigSource.DYNAMIC_DEFAULT_BROKER_CONFIG,
    });
    // Another broker's resource is not this one's.
    expect((await describeResource(c, BROKER, "4")).errorCode).toBe(ErrorCode.INVALID_REQUEST);
    const other = await alter(c, "4", [set("log.retention.ms", "1")]);
    expect(other.responses[0]?.errorMessage).toBe(
      "Unexpected broker id, expected 3 or empty string, but received 4",
    );
  });

  it("takes effect at once on every log without its own override, and on new topics", async () => {
    const c = await start();
    await c.call(ApiKey.CreateTopics, 7, {
      topics: [
        {
          name: "plain",
          numPartitions: 1,
          replicationFactor: 1,
          assignments: [],
          configs: [],
        },
        {
          name: "own",
          numPartitions: 1,
          replicationFactor: 1,
          assignments: [],
          configs: [{ name: "max.message.bytes", value: "100000" }],
        },
      ],
      timeoutMs: 5000,
      validateOnly: false,
    });
    await alter(c, "", [set("message.max.bytes", "500"), set("log.segment.bytes", "1048576")]);
    const logs = tb?.broker.services.logs;
    expect(logs?.get("plain", 0)?.config).toMatchObject({
      maxMessageBytes: 500,
      segmentBytes: 1048576,
      retentionMs: 5000,
    });
    expect(logs?.get("own", 0)?.config.maxMessageBytes).toBe(100000);
    const produce = (topic: string) =>
      c.call(ApiKey.Produce, 9, {
        transactionalId: null,
        acks: -1,
        timeoutMs: 5000,
        topicData: [
          {
            name: topic,
            partitionData: [
              { index: 0, records: buildRecordBatch({ records: [{ value: "x".repeat(1000) }] }) },
            ],
          },
        ],
      });
    const code = async (topic: string) =>
      (await produce(topic)).responses[0]?.partitionResponses[0]?.errorCode;
    expect(await code("plain")).toBe(ErrorCode.MESSAGE_TOO_LARGE);
    expect(await code("own")).toBe(ErrorCode.NONE);
    const topic = await describeResource(c, TOPIC, "plain");
    expect(topic.configs.get("max.message.bytes")).toMatchObject({
      value: "500",
      configSource: ConfigSource.DYNAMIC_DEFAULT_BROKER_CONFIG,
    });
    // Removing it goes back to the static value (here Kafka's default).
    await alter(c, "", [{ name: "message.max.bytes", configOperation: DELETE, value: null }]);
    expect(await code("plain")).toBe(ErrorCode.NONE);
    expect(logs?.get("plain", 0)?.config.segmentBytes).toBe(1048576);
  });

  it("survives a restart, and a damaged file falls back to its previous copy", async () => {
    const dir = tempDir();
    let c = await start(dir);
    await alter(c, "", [set("log.cleanup.policy", "compact,delete")]);
    await alter(c, "3", [set("log.roll.ms", "60000")]);
    c.close();
    await tb?.stop();
    c = await start(dir);
    expect(tb?.broker.services.logs.defaultConfig).toMatchObject({
      cleanupPolicy: "compact,delete",
      segmentMs: 60000,
      retentionMs: 5000,
    });
    const broker = await describeResource(c, BROKER, "3");
    expect(broker.configs.get("log.roll.ms")?.configSource).toBe(
      ConfigSource.DYNAMIC_BROKER_CONFIG,
    );
    c.close();
    await tb?.stop();
    writeFileSync(path.join(dir, BROKER_CONFIGS_FILE), "{garbage");
    c = await start(dir);
    expect(tb?.logLines.join("\n")).toMatch(/broker-configs\.json/);
    expect((await describeResource(c, BROKER, "")).configs.has("log.cleanup.policy")).toBe(true);
  });

  it("refuses bad input per config, names it, and changes nothing", async () => {
    const c = await start();
    await alter(c, "", [set("log.retention.ms", "3600000")]);
    const cases: [string, string, number, RegExp][] = [
      [
        "log.retention.ms",
        "soon",
        ErrorCode.INVALID_REQUEST,
        /Invalid value soon for configuration log\.retention\.ms: "soon" is not an integer/,
      ],
      ["log.segment.bytes", "10", ErrorCode.INVALID_REQUEST, /log\.segment\.bytes.*minimum/],
      [
        "log.dirs",
        "/elsewhere",
        ErrorCode.INVALID_REQUEST,
        /^Cannot update these configs dynamically: \[log\.dirs\]/,
      ],
      // Dynamic in Kafka, but Sluice does not act on it: refused rather than silently ignored.
      [
        "min.insync.replicas",
        "2",
        ErrorCode.INVALID_REQUEST,
        /Cannot update these configs dynamically: \[min\.insync\.replicas\]/,
      ],
      [
        "no.such.config",
        "1",
        ErrorCode.INVALID_CONFIG,
        /Unknown broker config: \[no\.such\.config\]/,
      ],
      // Kafka's per-broker dynamic configs with no counterpart here: refused naming why, not unknown.
      ...(
        [
          ["num.io.threads", "4", /no such thread pool/],
          ["num.network.threads", "4", /no such thread pool/],
          ["log.cleaner.threads", "2", /log cleaner has no such setting/],
          ["leader.replication.throttled.rate", "1048576", /one replica per partition/],
          ["max.connections", "100", /tenant limits/],
        ] as const
      ).map(([name, value, why]): [string, string, number, RegExp] => [
        name,
        value,
        ErrorCode.INVALID_REQUEST,
        new RegExp(
          `^Cannot update these configs dynamically: \\[${name.replaceAll(".", "\\.")}\\] \\(Apache Kafka changes them at run time; Sluice does not act on them: .*${why.source}`,
        ),
      ]),
    ];
    for (const [name, value, code, message] of cases) {
      for (const resource of ["", "3"]) {
        const r = await alter(c, resource, [
          set("log.flush.interval.ms", "1000"),
          set(name, value),
        ]);
        expect(r.responses[0]?.errorCode, `${name}=${value}`).toBe(code);
        expect(r.responses[0]?.errorMessage, `${name}=${value}`).toMatch(message);
      }
    }
    // Both refused configs of one request are named.
    const two = await alter(c, "", [set("log.dirs", "/x"), set("num.partitions", "3")]);
    expect(two.responses[0]?.errorMessage).toMatch(/\[log\.dirs, num\.partitions\]/);
    // Nothing changed, and the broker keeps serving.
    const cluster = await describeResource(c, BROKER, "");
    expect([...cluster.configs.keys()]).toEqual(["log.retention.ms"]);
    expect(tb?.broker.services.logs.defaultConfig.flushMs).not.toBe(1000);
    // validateOnly checks without changing.
    const dry = await alter(c, "", [set("log.flush.interval.ms", "1000")], true);
    expect(dry.responses[0]?.errorCode).toBe(ErrorCode.NONE);
    expect((await describeResource(c, BROKER, "")).configs.has("log.flush.interval.ms")).toBe(
      false,
    );
  });

  it("APPENDs to and SUBTRACTs from log.cleanup.policy from the resource's value or Kafka's default", async () => {
    const c = await start();
    const op = (resource: string, configOperation: number, value: string) =>
      alter(c, resource, [{ name: "log.cleanup.policy", configOperation, value }]);
    expect((await op("", APPEND, "compact")).responses[0]?.errorCode).toBe(ErrorCode.NONE);
    expect((await describeResource(c, BROKER, "")).configs.get("log.cleanup.policy")?.value).toBe(
      "compact,delete",
    );
    // The per-broker resource starts from Kafka's default, not from the cluster's value.
    await op("3", SUBTRACT, "compact");
    expect((await describeResource(c, BROKER, "3")).configs.get("log.cleanup.policy")?.value).toBe(
      "delete",
    );
    await op("", SUBTRACT, "delete");
    expect(tb?.broker.services.logs.defaultConfig.cleanupPolicy).toBe("delete");
    expect((await describeResource(c, BROKER, "")).configs.get("log.cleanup.policy")?.value).toBe(
      "compact",
    );
    const notList = await alter(c, "", [
      { name: "log.retention.ms", configOperation: APPEND, value: "1" },
    ]);
    expect(notList.responses[0]).toMatchObject({
      errorCode: ErrorCode.INVALID_CONFIG,
      errorMessage:
        "Config log.retention.ms is not a list: it cannot be appended to or subtracted from",
    });
  });

  it("AlterConfigs replaces every dynamic config of the resource it names", async () => {
    const c = await start();
    await alter(c, "", [set("log.retention.ms", "3600000"), set("log.retention.bytes", "1000")]);
    await alter(c, "3", [set("log.retention.ms", "60000")]);
    const res = await c.call(ApiKey.AlterConfigs, 2, {
      resources: [
        {
          resourceType: BROKER,
          resourceName: "",
          configs: [{ name: "log.retention.bytes", value: "2000" }],
        },
      ],
      validateOnly: false,
    });
    expect(res.responses[0]?.errorCode).toBe(ErrorCode.NONE);
    const cluster = await describeResource(c, BROKER, "");
    expect([...cluster.configs].map(([n, e]) => `${n}=${e.value}`)).toEqual([
      "log.retention.bytes=2000",
    ]);
    // The per-broker value is another resource's and stays.
    expect(tb?.broker.services.logs.defaultConfig).toMatchObject({
      retentionMs: 60000,
      retentionBytes: 2000,
    });
  });
});
