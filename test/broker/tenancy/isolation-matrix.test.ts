import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildRecordBatch } from "../../../lib/broker/log";
import { ErrorCode as E, ApiKey as K } from "../../../lib/broker/protocol";
import { SaslWireClient } from "./sasl-wire-client";
import { startTenancyBroker, type TenancyBroker } from "./tenancy-broker";

const TENANTS = ["red", "green", "blue"] as const;
type T = (typeof TENANTS)[number];
const topic = (t: T) => `${t}.events`;
const group = (t: T) => `${t}-workers`;
const TAF = E.TOPIC_AUTHORIZATION_FAILED;
const GAF = E.GROUP_AUTHORIZATION_FAILED;

let tb: TenancyBroker;
const clients = new Map<T, SaslWireClient>();
const client = (t: T): SaslWireClient => {
  const c = clients.get(t);
  if (c === undefined) throw new Error(`no client for ${t}`);
  return c;
};
const batch = () => buildRecordBatch({ records: [{ key: "k", value: "v" }] });

/**
 * One probe per API that names a topic or group: `actor` acts on `target`'s resources and the probe
 * returns the error code the broker answered (or "hidden"/"visible" for listings).
 */
type Probe = (actor: T, target: T) => Promise<number | "hidden" | "visible">;

const PROBES: Record<string, Probe> = {
  "Metadata (all topics)": async (a, t) => {
    const r = await client(a).call(K.Metadata, 12, {
      topics: null,
      allowAutoTopicCreation: false,
      includeTopicAuthorizedOperations: false,
    });
    return r.topics.some((x) => x.name === topic(t)) ? "visible" : "hidden";
  },
  "Metadata (named)": async (a, t) => {
    const r = await client(a).call(K.Metadata, 12, {
      topics: [{ topicId: "00000000-0000-0000-0000-000000000000", name: topic(t) }],
      allowAutoTopicCreation: true,
      includeTopicAuthorizedOperations: false,
    });
    return r.topics[0]?.errorCode ?? -100;
  },
  Produce: async (a, t) => {
    const r = await client(a).call(K.Produce, 9, {
      transactionalId: null,
      acks: -1,
      timeoutMs: 5000,
      topicData: [{ name: topic(t), partitionData: [{ index: 0, records: batch() }] }],
    });
    return r.responses[0]?.partitionResponses[0]?.errorCode ?? -100;
  },
  Fetch: async (a, t) => {
    const r = await client(a).call(K.Fetch, 11, {
      replicaId: -1,
      maxWaitMs: 0,
      minBytes: 0,
      maxBytes: 1 << 20,
      isolationLevel: 0,
      sessionId: 0,
      sessionEpoch: -1,
      topics: [
        {
          topic: topic(t),
          partitions: [
            {
              partition: 0,
              currentLeaderEpoch: -1,
              fetchOffset: 0n,
              logStartOffset: -1n,
              partitionMaxBytes: 1 << 20,
            },
          ],
        },
      ],
      forgottenTopicsData: [],
      rackId: "",
    });
    return r.responses[0]?.partitions[0]?.errorCode ?? -100;
  },
  ListOffsets: async (a, t) => {
    const r = await client(a).call(K.ListOffsets, 7, {
      replicaId: -1,
      isolationLevel: 0,
      topics: [
        {
          name: topic(t),
          partitions: [{ partitionIndex: 0, currentLeaderEpoch: -1, timestamp: -1n }],
        },
      ],
    });
    return r.topics[0]?.partitions[0]?.errorCode ?? -100;
  },
  OffsetForLeaderEpoch: async (a, t) => {
    const r = await client(a).call(K.OffsetForLeaderEpoch, 4, {
      replicaId: -1,
      topics: [
        { topic: topic(t), partitions: [{ partition: 0, currentLeaderEpoch: -1, leaderEpoch: 0 }] },
      ],
    });
    return r.topics[0]?.partitions[0]?.errorCode ?? -100;
  },
  DescribeConfigs: async (a, t) => {
    const r = await client(a).call(K.DescribeConfigs, 4, {
      resources: [{ resourceType: 2, resourceName: topic(t), configurationKeys: null }],
      includeSynonyms: false,
      includeDocumentation: false,
    });
    return r.results[0]?.errorCode ?? -100;
  },
  AlterConfigs: async (a, t) => {
    const r = await client(a).call(K.AlterConfigs, 2, {
      resources: [
        {
          resourceType: 2,
          resourceName: topic(t),
          configs: [{ name: "retention.ms", value: "1000" }],
        },
      ],
      validateOnly: true,
    });
    return r.responses[0]?.errorCode ?? -100;
  },
  IncrementalAlterConfigs: async (a, t) => {
    const r = await client(a).call(K.IncrementalAlterConfigs, 1, {
      resources: [
        {
          resourceType: 2,
          resourceName: topic(t),
          configs: [{ name: "retention.ms", configOperation: 0, value: "1000" }],
        },
      ],
      validateOnly: true,
    });
    return r.responses[0]?.errorCode ?? -100;
  },
  "CreateTopics (in their prefix)": async (a, t) => {
    const r = await client(a).call(K.CreateTopics, 7, {
      topics: [
        {
          name: `${t}.by-${a}`,
          numPartitions: 1,
          replicationFactor: 1,
          assignments: [],
          configs: [],
        },
      ],
      timeoutMs: 5000,
      validateOnly: false,
    });
    return r.topics[0]?.errorCode ?? -100;
  },
  CreatePartitions: async (a, t) => {
    const r = await client(a).call(K.CreatePartitions, 3, {
      topics: [{ name: topic(t), count: 5, assignments: null }],
      timeoutMs: 5000,
      validateOnly: true,
    });
    return r.results[0]?.errorCode ?? -100;
  },
  DeleteRecords: async (a, t) => {
    const r = await client(a).call(K.DeleteRecords, 2, {
      topics: [{ name: topic(t), partitions: [{ partitionIndex: 0, offset: 0n }] }],
      timeoutMs: 5000,
    });
    return r.topics[0]?.partitions[0]?.errorCode ?? -100;
  },
  DeleteTopics: async (a, t) => {
    const r = await client(a).call(K.DeleteTopics, 6, {
      topics: [{ name: topic(t), topicId: "00000000-0000-0000-0000-000000000000" }],
      timeoutMs: 5000,
    });
    return r.responses[0]?.errorCode ?? -100;
  },
  FindCoordinator: async (a, t) => {
    const r = await client(a).call(K.FindCoordinator, 4, {
      keyType: 0,
      coordinatorKeys: [group(t)],
    });
    return r.coordinators[0]?.errorCode ?? -100;
  },
  JoinGroup: async (a, t) => {
    const r = await client(a).call(K.JoinGroup, 7, {
      groupId: group(t),
      sessionTimeoutMs: 10000,
      rebalanceTimeoutMs: 10000,
      memberId: "",
      groupInstanceId: null,
      protocolType: "consumer",
      protocols: [{ name: "range", metadata: Buffer.alloc(0) }],
    });
    return r.errorCode;
  },
  SyncGroup: async (a, t) => {
    const r = await client(a).call(K.SyncGroup, 5, {
      groupId: group(t),
      generationId: 1,
      memberId: "m",
      groupInstanceId: null,
      protocolType: "consumer",
      protocolName: "range",
      assignments: [],
    });
    return r.errorCode;
  },
  Heartbeat: async (a, t) =>
    (
      await client(a).call(K.Heartbeat, 4, {
        groupId: group(t),
        generationId: 1,
        memberId: "m",
        groupInstanceId: null,
      })
    ).errorCode,
  LeaveGroup: async (a, t) =>
    (
      await client(a).call(K.LeaveGroup, 4, {
        groupId: group(t),
        members: [{ memberId: "m", groupInstanceId: null }],
      })
    ).errorCode,
  OffsetCommit: async (a, t) => {
    const r = await client(a).call(K.OffsetCommit, 8, {
      groupId: group(t),
      generationIdOrMemberEpoch: -1,
      memberId: "",
      groupInstanceId: null,
      topics: [
        {
          name: topic(t),
          partitions: [
            {
              partitionIndex: 0,
              committedOffset: 0n,
              committedLeaderEpoch: -1,
              committedMetadata: null,
            },
          ],
        },
      ],
    });
    return r.topics[0]?.partitions[0]?.errorCode ?? -100;
  },
  OffsetFetch: async (a, t) => {
    const r = await client(a).call(K.OffsetFetch, 8, {
      groups: [{ groupId: group(t), topics: null }],
      requireStable: false,
    });
    return r.groups[0]?.errorCode ?? -100;
  },
  DescribeGroups: async (a, t) => {
    const r = await client(a).call(K.DescribeGroups, 5, {
      groups: [group(t)],
      includeAuthorizedOperations: false,
    });
    return r.groups[0]?.errorCode ?? -100;
  },
  ListGroups: async (a, t) => {
    const r = await client(a).call(K.ListGroups, 4, { statesFilter: [] });
    return r.groups.some((g) => g.groupId === group(t)) ? "visible" : "hidden";
  },
  DeleteGroups: async (a, t) => {
    const r = await client(a).call(K.DeleteGroups, 2, { groupsNames: [group(t)] });
    return r.results[0]?.errorCode ?? -100;
  },
};

/** What a cross-tenant attempt must get, per probe. */
const EXPECTED_CROSS: Record<string, number | "hidden"> = {
  "Metadata (all topics)": "hidden",
  "Metadata (named)": TAF,
  Produce: TAF,
  Fetch: TAF,
  ListOffsets: TAF,
  OffsetForLeaderEpoch: TAF,
  DescribeConfigs: TAF,
  AlterConfigs: TAF,
  IncrementalAlterConfigs: TAF,
  "CreateTopics (in their prefix)": TAF,
  CreatePartitions: TAF,
  DeleteRecords: TAF,
  DeleteTopics: TAF,
  FindCoordinator: GAF,
  JoinGroup: GAF,
  SyncGroup: GAF,
  Heartbeat: GAF,
  LeaveGroup: GAF,
  OffsetCommit: GAF,
  OffsetFetch: GAF,
  DescribeGroups: GAF,
  ListGroups: "hidden",
  DeleteGroups: GAF,
};

beforeAll(async () => {
  tb = await startTenancyBroker({
    users: Object.fromEntries(TENANTS.map((t) => [`${t}-app`, `${t}-pw`])),
    tenants: TENANTS.map((t) => ({
      name: t,
      topicPrefix: `${t}.`,
      groupPrefix: `${t}-`,
      principals: [`${t}-app`],
    })),
  });
  for (const t of TENANTS) {
    const c = await SaslWireClient.login(tb.port, `${t}-app`, `${t}-pw`);
    clients.set(t, c);
    // Each tenant creates its topic, writes a record and commits an offset (so its group exists).
    const created = await c.call(K.CreateTopics, 7, {
      topics: [
        { name: topic(t), numPartitions: 1, replicationFactor: 1, assignments: [], configs: [] },
      ],
      timeoutMs: 5000,
      validateOnly: false,
    });
    expect(created.topics[0]?.errorCode).toBe(0);
    const produced = await c.call(K.Produce, 9, {
      transactionalId: null,
      acks: -1,
      timeoutMs: 5000,
      topicData: [{ name: topic(t), partitionData: [{ index: 0, records: batch() }] }],
    });
    expect(produced.responses[0]?.partitionResponses[0]?.errorCode).toBe(0);
    const committed = await c.call(K.OffsetCommit, 8, {
      groupId: group(t),
      generationIdOrMemberEpoch: -1,
      memberId: "",
      groupInstanceId: null,
      topics: [
        {
          name: topic(t),
          partitions: [
            {
              partitionIndex: 0,
              committedOffset: 1n,
              committedLeaderEpoch: -1,
              committedMetadata: null,
            },
          ],
        },
      ],
    });
    expect(committed.topics[0]?.partitions[0]?.errorCode).toBe(0);
  }
});

afterAll(async () => {
  for (const c of clients.values()) c.close();
  await tb?.destroy();
});

describe("tenant isolation matrix (3 tenants × every API naming a topic or group)", () => {
  it("denies and hides every cross-tenant attempt", async () => {
    let cases = 0;
    const failures: string[] = [];
    for (const [api, probe] of Object.entries(PROBES)) {
      for (const actor of TENANTS) {
        for (const target of TENANTS) {
          if (actor === target) continue;
          const got = await probe(actor, target);
          cases++;
          if (got !== EXPECTED_CROSS[api])
            failures.push(`${api}: ${actor} → ${target} got ${got}, want ${EXPECTED_CROSS[api]}`);
        }
      }
    }
    console.log(
      `isolation matrix: ${cases} cross-tenant cases over ${Object.keys(PROBES).length} APIs checked`,
    );
    expect(failures).toEqual([]);
    expect(cases).toBe(Object.keys(PROBES).length * 6);
  });

  it("still lets each tenant see and use its own resources (control)", async () => {
    for (const t of TENANTS) {
      expect(await PROBES["Metadata (all topics)"]?.(t, t)).toBe("visible");
      expect(await PROBES["Metadata (named)"]?.(t, t)).toBe(0);
      expect(await PROBES.Produce?.(t, t)).toBe(0);
      expect(await PROBES.Fetch?.(t, t)).toBe(0);
      expect(await PROBES.DescribeConfigs?.(t, t)).toBe(0);
      expect(await PROBES.OffsetFetch?.(t, t)).toBe(0);
      expect(await PROBES.DescribeGroups?.(t, t)).toBe(0);
      expect(await PROBES.ListGroups?.(t, t)).toBe("visible");
    }
  });
});
