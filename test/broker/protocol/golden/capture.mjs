// Captures real client request bytes into golden fixtures. Run from the repository root:
//   node test/broker/protocol/golden/capture.mjs
// kafkajs covers the fixed-format (non-flexible) versions, @platformatic/kafka the flexible ones.
// Inputs are deterministic (fixed timestamps) so the output is stable.
import { readdirSync, readFileSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const here = dirname(fileURLToPath(import.meta.url));
const require = createRequire(join(here, "../../../../package.json"));
const kjs = (p) => require(`kafkajs/src/protocol/requests/${p}/request.js`);
const kjsFrame = require("kafkajs/src/protocol/request.js");
const Long = require("kafkajs/src/utils/long.js");

const TS = 1700000000000;
const messages = [
  { key: "k1", value: "v1", timestamp: TS, headers: { h: "x" } },
  { key: null, value: "v2", timestamp: TS + 1 },
];

const kafkajsCases = [];
const add = (name, path, args) => kafkajsCases.push({ name, path, args });

for (const v of [0, 1, 2]) add(`apiVersions-v${v}`, `apiVersions/v${v}`, undefined);
for (const v of [0, 1, 2, 3, 4, 5, 6])
  add(`metadata-v${v}`, `metadata/v${v}`, { topics: ["t1", "t2"] });
add("metadata-v1-all", "metadata/v1", { topics: [] });
for (const v of [3, 4, 5, 6, 7]) {
  add(`produce-v${v}`, `produce/v${v}`, {
    acks: -1,
    timeout: 30000,
    transactionalId: v === 5 ? "tx" : null,
    producerId: Long.fromNumber(v === 5 ? 1234 : -1),
    producerEpoch: 0,
    topicData: [{ topic: "t1", partitions: [{ partition: 0, firstSequence: 0, messages }] }],
  });
}
for (const v of [4, 5, 6, 7, 8, 9, 10, 11]) {
  add(`fetch-v${v}`, `fetch/v${v}`, {
    replicaId: -1,
    maxWaitTime: 500,
    minBytes: 1,
    maxBytes: 10485760,
    rackId: "r1",
    topics: [{ topic: "t1", partitions: [{ partition: 0, fetchOffset: "42", maxBytes: 1048576 }] }],
  });
}
for (const v of [1, 2, 3]) {
  add(`listOffsets-v${v}`, `listOffsets/v${v}`, {
    replicaId: -1,
    isolationLevel: 1,
    topics: [{ topic: "t1", partitions: [{ partition: 0, timestamp: -2 }] }],
  });
}
for (const v of [2, 3, 4, 5]) {
  add(`offsetCommit-v${v}`, `offsetCommit/v${v}`, {
    groupId: "g1",
    groupGenerationId: 3,
    memberId: "m1",
    retentionTime: -1,
    topics: [{ topic: "t1", partitions: [{ partition: 0, offset: "17", metadata: "meta" }] }],
  });
}
for (const v of [1, 2, 3, 4]) {
  add(`offsetFetch-v${v}`, `offsetFetch/v${v}`, {
    groupId: "g1",
    topics: [{ topic: "t1", partitions: [{ partition: 0 }, { partition: 1 }] }],
  });
}
add("findCoordinator-v0", "findCoordinator/v0", { groupId: "g1" });
for (const v of [1, 2]) {
  add(`findCoordinator-v${v}`, `findCoordinator/v${v}`, {
    coordinatorKey: "g1",
    coordinatorType: 0,
  });
}
for (const v of [0, 1, 2, 3, 4, 5]) {
  add(`joinGroup-v${v}`, `joinGroup/v${v}`, {
    groupId: "g1",
    sessionTimeout: 30000,
    rebalanceTimeout: 60000,
    memberId: "",
    protocolType: "consumer",
    groupProtocols: [{ name: "RoundRobinAssigner", metadata: Buffer.from([0, 1, 0, 0]) }],
  });
}
for (const v of [0, 1, 2, 3]) {
  add(`heartbeat-v${v}`, `heartbeat/v${v}`, {
    groupId: "g1",
    groupGenerationId: 3,
    memberId: "m1",
    groupInstanceId: null,
  });
}
for (const v of [0, 1, 2])
  add(`leaveGroup-v${v}`, `leaveGroup/v${v}`, { groupId: "g1", memberId: "m1" });
add("leaveGroup-v3", "leaveGroup/v3", {
  groupId: "g1",
  members: [{ memberId: "m1", groupInstanceId: "i1" }],
});
for (const v of [0, 1, 2, 3]) {
  add(`syncGroup-v${v}`, `syncGroup/v${v}`, {
    groupId: "g1",
    generationId: 3,
    memberId: "m1",
    groupAssignment: [{ memberId: "m1", memberAssignment: Buffer.from([0, 1, 2]) }],
  });
}
for (const v of [0, 1, 2])
  add(`describeGroups-v${v}`, `describeGroups/v${v}`, { groupIds: ["g1", "g2"] });
for (const v of [0, 1, 2]) add(`listGroups-v${v}`, `listGroups/v${v}`, undefined);
for (const v of [0, 1]) add(`saslHandshake-v${v}`, `saslHandshake/v${v}`, { mechanism: "PLAIN" });
for (const v of [2, 3]) {
  add(`createTopics-v${v}`, `createTopics/v${v}`, {
    validateOnly: false,
    timeout: 5000,
    topics: [
      {
        topic: "t1",
        numPartitions: 3,
        replicationFactor: 1,
        replicaAssignment: [],
        configEntries: [{ name: "cleanup.policy", value: "compact" }],
      },
    ],
  });
}
add("deleteTopics-v1", "deleteTopics/v1", { topics: ["t1", "t2"], timeout: 5000 });
for (const v of [0, 1]) {
  add(`deleteRecords-v${v}`, `deleteRecords/v${v}`, {
    timeout: 5000,
    topics: [{ topic: "t1", partitions: [{ partition: 0, offset: "7" }] }],
  });
}
for (const v of [0, 1]) {
  add(`initProducerId-v${v}`, `initProducerId/v${v}`, {
    transactionalId: null,
    transactionTimeout: 60000,
  });
}
for (const v of [1, 2]) {
  add(`describeConfigs-v${v}`, `describeConfigs/v${v}`, {
    includeSynonyms: true,
    resources: [{ type: 2, name: "t1", configNames: [] }],
  });
}
for (const v of [0, 1]) {
  add(`alterConfigs-v${v}`, `alterConfigs/v${v}`, {
    validateOnly: false,
    resources: [{ type: 2, name: "t1", configEntries: [{ name: "retention.ms", value: "1000" }] }],
  });
}
for (const v of [0, 1]) {
  // kafkajs SASL mechanisms pass authBytes already length-prefixed (the BYTES encoding).
  const token = Buffer.from("\0user\0pass");
  const authBytes = Buffer.concat([Buffer.from([0, 0, 0, token.length]), token]);
  add(`saslAuthenticate-v${v}`, `saslAuthenticate/v${v}`, { authBytes });
}
for (const v of [0, 1]) {
  add(`createPartitions-v${v}`, `createPartitions/v${v}`, {
    validateOnly: false,
    timeout: 5000,
    topicPartitions: [{ topic: "t1", count: 4, assignments: [] }],
  });
}
for (const v of [0, 1]) add(`deleteGroups-v${v}`, `deleteGroups/v${v}`, ["g1"]);
const acl = {
  resourceType: 2,
  resourceName: "t1",
  resourcePatternType: 3,
  principal: "User:alice",
  host: "*",
  operation: 3,
  permissionType: 3,
};
add("describeAcls-v1", "describeAcls/v1", acl);
add("createAcls-v1", "createAcls/v1", { creations: [acl] });
add("deleteAcls-v1", "deleteAcls/v1", { filters: [acl] });

const API_KEYS = {};
const out = { source: "kafkajs@2 request encoders", frames: [] };
let correlationId = 1;
for (const c of kafkajsCases) {
  const request = kjs(c.path)(c.args);
  const frame = await kjsFrame({ correlationId, clientId: "golden", request });
  API_KEYS[c.name] = request.apiKey;
  out.frames.push({
    name: c.name,
    apiKey: request.apiKey,
    version: request.apiVersion,
    hex: frame.buffer.toString("hex"),
  });
  correlationId++;
}
writeFileSync(join(here, "kafkajs.json"), `${JSON.stringify(out, null, 1)}\n`);
console.log(`kafkajs: ${out.frames.length} frames`);

// --- @platformatic/kafka (flexible versions) ---
const plt = await import("@platformatic/kafka");
const pltCases = [];
const padd = (name, api, args) => pltCases.push({ name, api, args });
const pltMessages = [
  {
    topic: "t1",
    partition: 0,
    key: Buffer.from("k1"),
    value: Buffer.from("v1"),
    timestamp: BigInt(TS),
  },
];
for (const v of [3, 4]) padd(`apiVersions-v${v}`, plt[`apiVersionsV${v}`], ["golden", "1.0.0"]);
for (const v of [9, 10, 11, 12])
  padd(`metadata-v${v}`, plt[`metadataV${v}`], [["t1", "t2"], true, false]);
for (const v of [9, 10, 11]) {
  padd(`produce-v${v}`, plt[`produceV${v}`], [-1, 30000, pltMessages.map((m) => ({ ...m })), {}]);
}
padd("fetch-v12", plt.fetchV12, [
  500,
  1,
  10485760,
  0,
  0,
  -1,
  [
    {
      topicId: "t1",
      partitions: [
        {
          partition: 0,
          currentLeaderEpoch: -1,
          fetchOffset: 42n,
          lastFetchedEpoch: -1,
          partitionMaxBytes: 1048576,
        },
      ],
    },
  ],
  [],
  "",
]);
for (const v of [6, 7, 8, 9]) {
  padd(`listOffsets-v${v}`, plt[`listOffsetsV${v}`], [
    -1,
    0,
    [{ name: "t1", partitions: [{ partitionIndex: 0, currentLeaderEpoch: -1, timestamp: -1n }] }],
  ]);
}
for (const v of [8, 9]) {
  padd(`offsetCommit-v${v}`, plt[`offsetCommitV${v}`], [
    "g1",
    3,
    "m1",
    null,
    [
      {
        name: "t1",
        partitions: [
          {
            partitionIndex: 0,
            committedOffset: 17n,
            committedLeaderEpoch: -1,
            committedMetadata: "meta",
          },
        ],
      },
    ],
  ]);
}
for (const v of [8, 9]) {
  padd(`offsetFetch-v${v}`, plt[`offsetFetchV${v}`], [
    [
      {
        groupId: "g1",
        memberId: "m1",
        memberEpoch: -1,
        topics: [{ name: "t1", partitionIndexes: [0, 1] }],
      },
    ],
    false,
  ]);
}
for (const v of [4, 5, 6]) padd(`findCoordinator-v${v}`, plt[`findCoordinatorV${v}`], [0, ["g1"]]);
for (const v of [6, 7, 8, 9]) {
  padd(`joinGroup-v${v}`, plt[`joinGroupV${v}`], [
    "g1",
    30000,
    60000,
    "",
    null,
    "consumer",
    [{ name: "roundrobin", metadata: Buffer.from([0, 1]) }],
    "",
  ]);
}
padd("heartbeat-v4", plt.heartbeatV4, ["g1", 3, "m1", null]);
for (const v of [4, 5])
  padd(`leaveGroup-v${v}`, plt[`leaveGroupV${v}`], [
    "g1",
    [{ memberId: "m1", groupInstanceId: null, reason: "bye" }],
  ]);
for (const v of [4, 5]) {
  padd(`syncGroup-v${v}`, plt[`syncGroupV${v}`], [
    "g1",
    3,
    "m1",
    null,
    "consumer",
    "roundrobin",
    [{ memberId: "m1", assignment: Buffer.from([0, 1, 2]) }],
  ]);
}
padd("describeGroups-v5", plt.describeGroupsV5, [["g1"], true]);
for (const v of [4, 5]) padd(`listGroups-v${v}`, plt[`listGroupsV${v}`], [["Stable"], ["classic"]]);
padd("saslHandshake-v1", plt.saslHandshakeV1, ["PLAIN"]);
padd("saslAuthenticate-v2", plt.saslAuthenticateV2, [Buffer.from("\0user\0pass")]);
padd("createTopics-v7", plt.createTopicsV7, [
  [
    {
      name: "t1",
      numPartitions: 3,
      replicationFactor: 1,
      assignments: [],
      configs: [{ name: "cleanup.policy", value: "compact" }],
    },
  ],
  5000,
  false,
]);
padd("deleteTopics-v6", plt.deleteTopicsV6, [[{ name: "t1", topicId: null }], 5000]);
padd("deleteRecords-v2", plt.deleteRecordsV2, [
  [{ name: "t1", partitions: [{ partitionIndex: 0, offset: 7n }] }],
  5000,
]);
for (const v of [3, 4, 5])
  padd(`initProducerId-v${v}`, plt[`initProducerIdV${v}`], [null, 60000, -1n, -1]);
padd("offsetForLeaderEpoch-v4", plt.offsetForLeaderEpochV4, [
  -1,
  [{ name: "t1", partitions: [{ partitionIndex: 0, currentLeaderEpoch: 0, leaderEpoch: 0 }] }],
]);
for (const v of [2, 3]) {
  padd(`describeAcls-v${v}`, plt[`describeAclsV${v}`], [
    {
      resourceTypeFilter: 2,
      resourceNameFilter: "t1",
      patternTypeFilter: 3,
      principalFilter: "User:alice",
      hostFilter: "*",
      operation: 3,
      permissionType: 3,
    },
  ]);
  padd(`createAcls-v${v}`, plt[`createAclsV${v}`], [
    [
      {
        resourceType: 2,
        resourceName: "t1",
        resourcePatternType: 3,
        principal: "User:alice",
        host: "*",
        operation: 3,
        permissionType: 3,
      },
    ],
  ]);
  padd(`deleteAcls-v${v}`, plt[`deleteAclsV${v}`], [
    [
      {
        resourceTypeFilter: 2,
        resourceNameFilter: "t1",
        patternTypeFilter: 3,
        principalFilter: "User:alice",
        hostFilter: "*",
        operation: 3,
        permissionType: 3,
      },
    ],
  ]);
}
for (const v of [2, 3, 4]) {
  padd(`describeConfigs-v${v}`, plt[`describeConfigsV${v}`], [
    [{ resourceType: 2, resourceName: "t1", configurationKeys: null }],
    true,
    true,
  ]);
}
padd("alterConfigs-v2", plt.alterConfigsV2, [
  [{ resourceType: 2, resourceName: "t1", configs: [{ name: "retention.ms", value: "1000" }] }],
  false,
]);
for (const v of [2, 3]) {
  padd(`createPartitions-v${v}`, plt[`createPartitionsV${v}`], [
    [{ name: "t1", count: 4, assignments: null }],
    5000,
    false,
  ]);
}
padd("deleteGroups-v2", plt.deleteGroupsV2, [["g1"]]);
padd("incrementalAlterConfigs-v1", plt.incrementalAlterConfigsV1, [
  [
    {
      resourceType: 2,
      resourceName: "t1",
      configs: [{ name: "retention.ms", configOperation: 0, value: "1000" }],
    },
  ],
  false,
]);
padd("describeClientQuotas-v0", plt.describeClientQuotasV0, [
  [{ entityType: "user", matchType: 0, match: "alice" }],
  false,
]);
padd("alterClientQuotas-v1", plt.alterClientQuotasV1, [
  [
    {
      entities: [{ entityType: "user", entityName: "alice" }],
      ops: [{ key: "producer_byte_rate", value: 1024, remove: false }],
    },
  ],
  false,
]);
padd("describeUserScramCredentials-v0", plt.describeUserScramCredentialsV0, [[{ name: "alice" }]]);
padd("alterUserScramCredentials-v0", plt.alterUserScramCredentialsV0, [
  [{ name: "bob", mechanism: 1 }],
  [
    {
      name: "alice",
      mechanism: 1,
      iterations: 4096,
      salt: Buffer.from("salt"),
      saltedPassword: Buffer.from("hash"),
    },
  ],
]);
for (const v of [0, 1])
  padd(`describeCluster-v${v}`, plt[`describeClusterV${v}`], v === 0 ? [false] : [false, 1]);

// Whether each platformatic API writes request-header tagged fields (the 5th createAPI argument).
const pltDir = join(dirname(require.resolve("@platformatic/kafka")), "apis");
const headerTags = new Map();
for (const sub of readdirSync(pltDir, { withFileTypes: true })) {
  if (!sub.isDirectory()) continue;
  for (const file of readdirSync(join(pltDir, sub.name))) {
    if (!file.endsWith(".js")) continue;
    const m = /createAPI\((\d+), (\d+), \w+, \w+(?:, (true|false))?/.exec(
      readFileSync(join(pltDir, sub.name, file), "utf8"),
    );
    if (m) headerTags.set(`${m[1]}/${m[2]}`, m[3] !== "false");
  }
}

const pout = { source: "@platformatic/kafka@1 request encoders", frames: [] };
for (const c of pltCases) {
  if (c.api === undefined) throw new Error(`no platformatic api for ${c.name}`);
  const payload = c.api.createRequest(...c.args);
  const flexibleHeader = headerTags.get(`${c.api.api.key}/${c.api.api.version}`);
  if (flexibleHeader === undefined) throw new Error(`unknown header format for ${c.name}`);
  const w = plt.Writer.create()
    .appendInt16(c.api.api.key)
    .appendInt16(c.api.api.version)
    .appendInt32(correlationId)
    .appendString("golden", false);
  if (flexibleHeader) w.appendTaggedFields();
  w.appendFrom(payload).prependLength();
  pout.frames.push({
    name: c.name,
    apiKey: c.api.api.key,
    version: c.api.api.version,
    hex: w.buffer.toString("hex"),
  });
  correlationId++;
}
writeFileSync(join(here, "platformatic.json"), `${JSON.stringify(pout, null, 1)}\n`);
console.log(`@platformatic/kafka: ${pout.frames.length} frames`);
