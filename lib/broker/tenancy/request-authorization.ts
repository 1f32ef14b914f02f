import { ApiKey, ErrorCode, type RequestOf, type ResponseInputOf } from "../protocol";
import type { BrokerServices } from "../server/broker-services";
import type { ApiHandler, HandlerFor, RequestContext } from "../server/handler";
import { answerEachPartition } from "../server/handlers/34-alter-replica-log-dirs";
import { AclOperation as Op, ResourceType as RT } from "./acl-binding";
import { authorizeCluster } from "./cluster-access";
import { type Tenancy, tenancyOf } from "./tenancy";
import { TenantLimits } from "./tenant-limits";
import { measureTenantUsage } from "./tenant-usage";

const ZERO_UUID = "00000000-0000-0000-0000-000000000000";
const UNKNOWN_OPS = -2147483648;
const EMPTY = Buffer.alloc(0);

type Body<K extends ApiKey> = (
  req: RequestOf<K>,
  ctx: RequestContext,
  broker: BrokerServices,
  t: Tenancy,
  inner: HandlerFor<K>,
) => Promise<ResponseInputOf<K>> | ResponseInputOf<K>;

/**
 * Wraps a handler: without tenancy attached the inner handler runs untouched. The handler's other
 * members (`expectsResponse`, `closeWithoutResponse`, …) are kept as they are.
 */
function wrap<K extends ApiKey>(inner: HandlerFor<K>, body: Body<K>): HandlerFor<K> {
  return {
    ...inner,
    handle(req, ctx, broker) {
      const t = tenancyOf(broker);
      return t === null ? inner.handle(req, ctx, broker) : body(req, ctx, broker, t, inner);
    },
  };
}

function can(t: Tenancy, ctx: RequestContext, op: Op, type: RT, name: string): boolean {
  return t.authorize(ctx, op, type, name);
}

/**
 * Kafka's authorize-and-filter (KafkaApis splits each request's items by the authorizer's answer):
 * the items `ok` allows are served by `serve`, skipped when there are none (`empty` answers then),
 * and the others come back as `denied`, for the caller to answer each with its error.
 */
async function authorizeAndFilter<T, R>(
  items: readonly T[],
  ok: (item: T) => boolean,
  serve: (allowed: T[]) => Promise<R> | R,
  empty: () => Promise<NoInfer<R>> | NoInfer<R>,
): Promise<{ res: R; denied: T[] }> {
  const allowed: T[] = [];
  const denied: T[] = [];
  for (const x of items) (ok(x) ? allowed : denied).push(x);
  return { res: await (allowed.length > 0 ? serve(allowed) : empty()), denied };
}

function recordsBytes(records: Buffer | Buffer[] | null | undefined): number {
  if (records === null || records === undefined) return 0;
  if (Array.isArray(records)) return records.reduce((n, b) => n + b.length, 0);
  return records.length;
}

const metadata = (inner: HandlerFor<ApiKey.Metadata>) =>
  wrap(inner, async (req, ctx, broker, t) => {
    const all = req.topics === null || (ctx.apiVersion === 0 && req.topics.length === 0);
    if (all) {
      const res = await inner.handle(req, ctx, broker);
      // Unauthorized topics are simply absent from "all topics" listings (Kafka's behaviour).
      return {
        ...res,
        topics: res.topics.filter(
          (x) => x.name != null && can(t, ctx, Op.DESCRIBE, RT.TOPIC, x.name),
        ),
      };
    }
    const requested = (req.topics ?? []).map((x) => ({
      ...x,
      name: x.name ?? broker.topics.getById(x.topicId)?.name ?? null,
    }));
    const allowed = requested.filter(
      (x) => x.name === null || can(t, ctx, Op.DESCRIBE, RT.TOPIC, x.name),
    );
    const denied = requested.filter((x) => !allowed.includes(x));
    const mayCreate = allowed.every(
      (x) => x.name === null || can(t, ctx, Op.CREATE, RT.TOPIC, x.name),
    );
    const res = await inner.handle(
      { ...req, topics: allowed, allowAutoTopicCreation: req.allowAutoTopicCreation && mayCreate },
      ctx,
      broker,
    );
    const allowedNames = new Set(allowed.map((x) => x.name));
    return {
      ...res,
      topics: [
        // v0 treats an empty list as "all": keep only what was asked for.
        ...res.topics.filter((x) => allowedNames.has(x.name ?? null) || x.name == null),
        ...denied.map((x) => ({
          errorCode: ErrorCode.TOPIC_AUTHORIZATION_FAILED,
          name: x.name,
          topicId: ZERO_UUID,
          isInternal: false,
          partitions: [],
          topicAuthorizedOperations: UNKNOWN_OPS,
        })),
      ],
    };
  });

const produce = (inner: HandlerFor<ApiKey.Produce>) =>
  wrap(inner, async (req, ctx, broker, t) => {
    const deniedAll =
      req.transactionalId !== null &&
      !can(t, ctx, Op.WRITE, RT.TRANSACTIONAL_ID, req.transactionalId)
        ? ErrorCode.TRANSACTIONAL_ID_AUTHORIZATION_FAILED
        : null;
    const denied: Array<{
      name: string;
      partitions: number[];
      errorCode: number;
      errorMessage: string | null;
    }> = [];
    const allowed: typeof req.topicData = [];
    let bytes = 0;
    const usage = new Map<string, ReturnType<typeof measureTenantUsage>>();
    for (const topic of req.topicData) {
      const indexes = topic.partitionData.map((p) => p.index);
      const size = topic.partitionData.reduce((n, p) => n + recordsBytes(p.records), 0);
      bytes += size;
      if (deniedAll !== null || !can(t, ctx, Op.WRITE, RT.TOPIC, topic.name)) {
        denied.push({
          name: topic.name,
          partitions: indexes,
          errorCode: deniedAll ?? ErrorCode.TOPIC_AUTHORIZATION_FAILED,
          errorMessage: null,
        });
        continue;
      }
      const owner = t.tenants.ownerOf("topic", topic.name);
      if (owner?.limits.storageBytes !== undefined) {
        let u = usage.get(owner.name);
        if (u === undefined) {
          u = measureTenantUsage(broker, t, owner);
          usage.set(owner.name, u);
        }
        const d = TenantLimits.produce(owner, u, size);
        if (!d.allowed) {
          denied.push({
            name: topic.name,
            partitions: indexes,
            errorCode: d.errorCode,
            errorMessage: d.errorMessage,
          });
          continue;
        }
        usage.set(owner.name, { ...u, storageBytes: u.storageBytes + size });
      }
      allowed.push(topic);
    }
    const res =
      allowed.length > 0
        ? await inner.handle({ ...req, topicData: allowed }, ctx, broker)
        : { responses: [], throttleTimeMs: 0 };
    const throttle = t.quotas.recordProduce(ctx.principal, ctx.clientId, bytes);
    t.noteThrottle(ctx.connectionId, throttle);
    return {
      ...res,
      throttleTimeMs: Math.max(res.throttleTimeMs ?? 0, throttle),
      responses: [
        ...res.responses,
        ...denied.map((d) => ({
          name: d.name,
          partitionResponses: d.partitions.map((index) => ({
            index,
            errorCode: d.errorCode,
            baseOffset: -1n,
            logAppendTimeMs: -1n,
            logStartOffset: -1n,
            recordErrors: [],
            errorMessage: d.errorMessage,
          })),
        })),
      ],
    };
  });

const fetch = (inner: HandlerFor<ApiKey.Fetch>) =>
  wrap(inner, async (req, ctx, broker, t) => {
    const { res, denied } = await authorizeAndFilter(
      req.topics,
      (x) => can(t, ctx, Op.READ, RT.TOPIC, x.topic),
      (topics) => inner.handle({ ...req, topics }, ctx, broker),
      // A fetch naming no topic (an incremental session's) is served; one whose topics are all
      // denied is not.
      () =>
        req.topics.length === 0
          ? inner.handle(req, ctx, broker)
          : { throttleTimeMs: 0, errorCode: ErrorCode.NONE, sessionId: 0, responses: [] },
    );
    let bytes = 0;
    for (const r of res.responses) for (const p of r.partitions) bytes += recordsBytes(p.records);
    const requestThrottle = t.quotas.requestThrottleMs(ctx.principal, ctx.clientId);
    const byteThrottle = t.quotas.recordFetch(
      ctx.principal,
      ctx.clientId,
      bytes,
      requestThrottle > 0,
    );
    const throttle = Math.max(byteThrottle, requestThrottle);
    t.noteThrottle(ctx.connectionId, throttle);
    // Throttled (bytes or request time): Kafka answers without records (KIP-219) so the client
    // waits, then fetches again.
    const responses =
      throttle > 0
        ? res.responses.map((r) => ({
            ...r,
            partitions: r.partitions.map((p) => ({ ...p, records: EMPTY })),
          }))
        : res.responses;
    return {
      ...res,
      throttleTimeMs: Math.max(res.throttleTimeMs, throttle),
      responses: [
        ...responses,
        ...denied.map((x) => ({
          topic: x.topic,
          partitions: x.partitions.map((p) => ({
            partitionIndex: p.partition,
            errorCode: ErrorCode.TOPIC_AUTHORIZATION_FAILED,
            highWatermark: -1n,
            lastStableOffset: -1n,
            logStartOffset: -1n,
            abortedTransactions: null,
            preferredReadReplica: -1,
            records: EMPTY,
          })),
        })),
      ],
    };
  });

const listOffsets = (inner: HandlerFor<ApiKey.ListOffsets>) =>
  wrap(inner, async (req, ctx, broker, t) => {
    const { res, denied } = await authorizeAndFilter(
      req.topics,
      (x) => can(t, ctx, Op.DESCRIBE, RT.TOPIC, x.name),
      (topics) => inner.handle({ ...req, topics }, ctx, broker),
      () => ({ throttleTimeMs: 0, topics: [] }),
    );
    return {
      ...res,
      topics: [
        ...res.topics,
        ...denied.map((x) => ({
          name: x.name,
          partitions: x.partitions.map((p) => ({
            partitionIndex: p.partitionIndex,
            errorCode: ErrorCode.TOPIC_AUTHORIZATION_FAILED,
            timestamp: -1n,
            offset: -1n,
            leaderEpoch: -1,
          })),
        })),
      ],
    };
  });

const listGroups = (inner: HandlerFor<ApiKey.ListGroups>) =>
  wrap(inner, async (req, ctx, broker, t) => {
    const res = await inner.handle(req, ctx, broker);
    return {
      ...res,
      groups: res.groups.filter((g) => can(t, ctx, Op.DESCRIBE, RT.GROUP, g.groupId)),
    };
  });

const describeConfigs = (inner: HandlerFor<ApiKey.DescribeConfigs>) =>
  wrap(inner, async (req, ctx, broker, t) => {
    // Resource types: 2 topic; 4 broker and 8 broker logger are cluster-level.
    const allowedOne = (r: { resourceType: number; resourceName: string }) =>
      r.resourceType === 2
        ? can(t, ctx, Op.DESCRIBE_CONFIGS, RT.TOPIC, r.resourceName)
        : authorizeCluster(t, ctx, Op.DESCRIBE_CONFIGS);
    const { res, denied } = await authorizeAndFilter(
      req.resources,
      allowedOne,
      (resources) => inner.handle({ ...req, resources }, ctx, broker),
      () => ({ throttleTimeMs: 0, results: [] }),
    );
    return {
      ...res,
      results: [
        ...res.results,
        ...denied.map((r) => ({
          errorCode:
            r.resourceType === 2
              ? ErrorCode.TOPIC_AUTHORIZATION_FAILED
              : ErrorCode.CLUSTER_AUTHORIZATION_FAILED,
          errorMessage: null,
          resourceType: r.resourceType,
          resourceName: r.resourceName,
          configs: [],
        })),
      ],
    };
  });

const createTopics = (inner: HandlerFor<ApiKey.CreateTopics>) =>
  wrap(inner, async (req, ctx, broker, t) => {
    const clusterCreate = authorizeCluster(t, ctx, Op.CREATE);
    const denied: Array<{ name: string; errorCode: number; errorMessage: string | null }> = [];
    const allowed: typeof req.topics = [];
    const perTenant = new Map<string, typeof req.topics>();
    for (const topic of req.topics) {
      if (!clusterCreate && !can(t, ctx, Op.CREATE, RT.TOPIC, topic.name)) {
        denied.push({
          name: topic.name,
          errorCode: ErrorCode.TOPIC_AUTHORIZATION_FAILED,
          errorMessage: null,
        });
        continue;
      }
      const owner = t.tenants.ownerOf("topic", topic.name);
      if (owner === null) allowed.push(topic);
      else perTenant.set(owner.name, [...(perTenant.get(owner.name) ?? []), topic]);
    }
    for (const owner of t.tenants.all()) {
      const topics = perTenant.get(owner.name);
      if (topics === undefined) continue;
      const usage = measureTenantUsage(broker, t, owner);
      const decisions = TenantLimits.createTopics(
        owner,
        usage,
        topics.map((x) => ({
          name: x.name,
          addPartitions:
            x.numPartitions > 0
              ? x.numPartitions
              : x.assignments.length > 0
                ? x.assignments.length
                : broker.config.numPartitions,
        })),
      );
      topics.forEach((x, i) => {
        const d = decisions[i];
        if (d === undefined || d.allowed) allowed.push(x);
        else denied.push({ name: x.name, errorCode: d.errorCode, errorMessage: d.errorMessage });
      });
    }
    let throttle = 0;
    if (allowed.length > 0 && !req.validateOnly) {
      const mutations = allowed.reduce(
        (n, x) => n + Math.max(x.numPartitions, x.assignments.length, 1),
        0,
      );
      const m = t.quotas.checkMutations(ctx.principal, ctx.clientId, mutations);
      throttle = m.throttleTimeMs;
      if (m.errorCode !== ErrorCode.NONE && ctx.apiVersion >= 6) {
        for (const x of allowed.splice(0)) {
          denied.push({
            name: x.name,
            errorCode: m.errorCode,
            errorMessage: "controller mutation quota exceeded",
          });
        }
      }
    }
    t.noteThrottle(ctx.connectionId, throttle);
    const res =
      allowed.length > 0
        ? await inner.handle({ ...req, topics: allowed }, ctx, broker)
        : { throttleTimeMs: 0, topics: [] };
    return {
      ...res,
      throttleTimeMs: Math.max(res.throttleTimeMs, throttle),
      topics: [
        ...res.topics,
        ...denied.map((d) => ({
          name: d.name,
          topicId: ZERO_UUID,
          errorCode: d.errorCode,
          errorMessage: d.errorMessage,
          numPartitions: -1,
          replicationFactor: -1,
          configs: null,
        })),
      ],
    };
  });

const deleteTopics = (inner: HandlerFor<ApiKey.DeleteTopics>) =>
  wrap(inner, async (req, ctx, broker, t) => {
    const ok = (name: string | null) => name !== null && can(t, ctx, Op.DELETE, RT.TOPIC, name);
    const byId = (x: { name: string | null; topicId: string }) =>
      x.name ?? broker.topics.getById(x.topicId)?.name ?? null;
    const deniedNames = req.topicNames.filter((n) => !ok(n));
    const deniedTopics = req.topics.filter((x) => !ok(byId(x)));
    const topicNames = req.topicNames.filter((n) => ok(n));
    const topics = req.topics.filter((x) => ok(byId(x)));
    const res =
      topicNames.length + topics.length > 0
        ? await inner.handle({ ...req, topicNames, topics }, ctx, broker)
        : { throttleTimeMs: 0, responses: [] };
    return {
      ...res,
      responses: [
        ...res.responses,
        ...deniedNames.map((name) => ({
          name,
          topicId: ZERO_UUID,
          errorCode: ErrorCode.TOPIC_AUTHORIZATION_FAILED,
          errorMessage: null,
        })),
        // Denied by id: answer with the id only, never the name (it would reveal the topic).
        ...deniedTopics.map((x) => ({
          name: x.name,
          topicId: x.topicId,
          errorCode: ErrorCode.TOPIC_AUTHORIZATION_FAILED,
          errorMessage: null,
        })),
      ],
    };
  });

const createPartitions = (inner: HandlerFor<ApiKey.CreatePartitions>) =>
  wrap(inner, async (req, ctx, broker, t) => {
    const denied: Array<{ name: string; errorCode: number; errorMessage: string | null }> = [];
    const allowed: typeof req.topics = [];
    for (const x of req.topics) {
      if (!can(t, ctx, Op.ALTER, RT.TOPIC, x.name)) {
        denied.push({
          name: x.name,
          errorCode: ErrorCode.TOPIC_AUTHORIZATION_FAILED,
          errorMessage: null,
        });
        continue;
      }
      const owner = t.tenants.ownerOf("topic", x.name);
      const current = broker.topics.get(x.name)?.partitions ?? 0;
      if (owner !== null && current > 0 && x.count > current) {
        const [d] = TenantLimits.createPartitions(owner, measureTenantUsage(broker, t, owner), [
          { name: x.name, addPartitions: x.count - current },
        ]);
        if (d !== undefined && !d.allowed) {
          denied.push({ name: x.name, errorCode: d.errorCode, errorMessage: d.errorMessage });
          continue;
        }
      }
      allowed.push(x);
    }
    const res =
      allowed.length > 0
        ? await inner.handle({ ...req, topics: allowed }, ctx, broker)
        : { throttleTimeMs: 0, results: [] };
    return { ...res, results: [...res.results, ...denied] };
  });

const deleteRecords = (inner: HandlerFor<ApiKey.DeleteRecords>) =>
  wrap(inner, async (req, ctx, broker, t) => {
    const { res, denied } = await authorizeAndFilter(
      req.topics,
      (x) => can(t, ctx, Op.DELETE, RT.TOPIC, x.name),
      (topics) => inner.handle({ ...req, topics }, ctx, broker),
      () => ({ throttleTimeMs: 0, topics: [] }),
    );
    return {
      ...res,
      topics: [
        ...res.topics,
        ...denied.map((x) => ({
          name: x.name,
          partitions: x.partitions.map((p) => ({
            partitionIndex: p.partitionIndex,
            lowWatermark: -1n,
            errorCode: ErrorCode.TOPIC_AUTHORIZATION_FAILED,
          })),
        })),
      ],
    };
  });

const offsetForLeaderEpoch = (inner: HandlerFor<ApiKey.OffsetForLeaderEpoch>) =>
  wrap(inner, async (req, ctx, broker, t) => {
    const { res, denied } = await authorizeAndFilter(
      req.topics,
      (x) => can(t, ctx, Op.DESCRIBE, RT.TOPIC, x.topic),
      (topics) => inner.handle({ ...req, topics }, ctx, broker),
      () => ({ throttleTimeMs: 0, topics: [] }),
    );
    return {
      ...res,
      topics: [
        ...res.topics,
        ...denied.map((x) => ({
          topic: x.topic,
          partitions: x.partitions.map((p) => ({
            errorCode: ErrorCode.TOPIC_AUTHORIZATION_FAILED,
            partition: p.partition,
            leaderEpoch: -1,
            endOffset: -1n,
          })),
        })),
      ],
    };
  });

/** AlterConfigs and IncrementalAlterConfigs: ALTER_CONFIGS on the topic, or on the cluster for broker resources. */
function alterConfigsGate<K extends ApiKey.AlterConfigs | ApiKey.IncrementalAlterConfigs>(
  inner: HandlerFor<K>,
): HandlerFor<K> {
  return wrap(inner, async (req, ctx, broker, t) => {
    type Resource = { resourceType: number; resourceName: string };
    const resources = (req as { resources: Resource[] }).resources;
    const ok = (r: Resource) =>
      r.resourceType === 2
        ? can(t, ctx, Op.ALTER_CONFIGS, RT.TOPIC, r.resourceName)
        : authorizeCluster(t, ctx, Op.ALTER_CONFIGS);
    type Answer = { throttleTimeMs: number; responses: unknown[] };
    const { res, denied } = await authorizeAndFilter<Resource, Answer>(
      resources,
      ok,
      async (allowed) =>
        (await inner.handle({ ...req, resources: allowed }, ctx, broker)) as Answer,
      () => ({ throttleTimeMs: 0, responses: [] }),
    );
    return {
      ...res,
      responses: [
        ...res.responses,
        ...denied.map((r) => ({
          errorCode:
            r.resourceType === 2
              ? ErrorCode.TOPIC_AUTHORIZATION_FAILED
              : ErrorCode.CLUSTER_AUTHORIZATION_FAILED,
          errorMessage: null,
          resourceType: r.resourceType,
          resourceName: r.resourceName,
        })),
      ],
    } as ResponseInputOf<K>;
  });
}

/** A group-scoped request answered with only an error code when the group is not authorized. */
function groupGate<
  K extends ApiKey.JoinGroup | ApiKey.SyncGroup | ApiKey.Heartbeat | ApiKey.LeaveGroup,
>(inner: HandlerFor<K>, denied: (version: number) => ResponseInputOf<K>): HandlerFor<K> {
  return wrap(inner, (req, ctx, broker, t) =>
    can(t, ctx, Op.READ, RT.GROUP, (req as { groupId: string }).groupId)
      ? inner.handle(req, ctx, broker)
      : denied(ctx.apiVersion),
  );
}

const GAF = ErrorCode.GROUP_AUTHORIZATION_FAILED;

const joinGroup = (inner: HandlerFor<ApiKey.JoinGroup>) =>
  groupGate(inner, (v) => ({
    throttleTimeMs: 0,
    errorCode: GAF,
    generationId: -1,
    protocolType: null,
    protocolName: v >= 7 ? null : "",
    leader: "",
    memberId: "",
    members: [],
  }));
const syncGroup = (inner: HandlerFor<ApiKey.SyncGroup>) =>
  groupGate(inner, () => ({
    throttleTimeMs: 0,
    errorCode: GAF,
    protocolType: null,
    protocolName: null,
    assignment: EMPTY,
  }));
const heartbeat = (inner: HandlerFor<ApiKey.Heartbeat>) =>
  groupGate(inner, () => ({ throttleTimeMs: 0, errorCode: GAF }));
const leaveGroup = (inner: HandlerFor<ApiKey.LeaveGroup>) =>
  groupGate(inner, () => ({ throttleTimeMs: 0, errorCode: GAF, members: [] }));

const offsetCommit = (inner: HandlerFor<ApiKey.OffsetCommit>) =>
  wrap(inner, async (req, ctx, broker, t) => {
    const groupOk = can(t, ctx, Op.READ, RT.GROUP, req.groupId);
    const { res, denied } = await authorizeAndFilter(
      req.topics,
      (x) => groupOk && can(t, ctx, Op.READ, RT.TOPIC, x.name),
      (topics) => inner.handle({ ...req, topics }, ctx, broker),
      () => ({ throttleTimeMs: 0, topics: [] }),
    );
    const code = groupOk ? ErrorCode.TOPIC_AUTHORIZATION_FAILED : GAF;
    return {
      ...res,
      topics: [
        ...res.topics,
        ...denied.map((x) => ({
          name: x.name,
          partitions: x.partitions.map((p) => ({
            partitionIndex: p.partitionIndex,
            errorCode: code,
          })),
        })),
      ],
    };
  });

const offsetFetch = (inner: HandlerFor<ApiKey.OffsetFetch>) =>
  wrap(inner, async (req, ctx, broker, t) => {
    const visible = <T extends { name: string }>(topics: readonly T[]) =>
      topics.filter((x) => can(t, ctx, Op.DESCRIBE, RT.TOPIC, x.name));
    if (ctx.apiVersion < 8) {
      if (!can(t, ctx, Op.DESCRIBE, RT.GROUP, req.groupId))
        return { throttleTimeMs: 0, topics: [], errorCode: GAF, groups: [] };
      const res = await inner.handle(req, ctx, broker);
      return { ...res, topics: visible(res.topics ?? []) };
    }
    const { res, denied } = await authorizeAndFilter(
      req.groups,
      (g) => can(t, ctx, Op.DESCRIBE, RT.GROUP, g.groupId),
      (groups) => inner.handle({ ...req, groups }, ctx, broker),
      () => ({ throttleTimeMs: 0, groups: [] }),
    );
    return {
      ...res,
      groups: [
        ...(res.groups ?? []).map((g) => ({ ...g, topics: visible(g.topics) })),
        ...denied.map((g) => ({ groupId: g.groupId, topics: [], errorCode: GAF })),
      ],
    };
  });

const describeGroups = (inner: HandlerFor<ApiKey.DescribeGroups>) =>
  wrap(inner, async (req, ctx, broker, t) => {
    const { res, denied } = await authorizeAndFilter(
      req.groups,
      (g) => can(t, ctx, Op.DESCRIBE, RT.GROUP, g),
      (groups) => inner.handle({ ...req, groups }, ctx, broker),
      () => ({ throttleTimeMs: 0, groups: [] }),
    );
    return {
      ...res,
      groups: [
        ...res.groups,
        ...denied.map((groupId) => ({
          errorCode: GAF,
          groupId,
          groupState: "",
          protocolType: "",
          protocolData: "",
          members: [],
          authorizedOperations: UNKNOWN_OPS,
        })),
      ],
    };
  });

const deleteGroups = (inner: HandlerFor<ApiKey.DeleteGroups>) =>
  wrap(inner, async (req, ctx, broker, t) => {
    const { res, denied } = await authorizeAndFilter(
      req.groupsNames,
      (g) => can(t, ctx, Op.DELETE, RT.GROUP, g),
      (groupsNames) => inner.handle({ ...req, groupsNames }, ctx, broker),
      () => ({ throttleTimeMs: 0, results: [] }),
    );
    return {
      ...res,
      results: [...res.results, ...denied.map((groupId) => ({ groupId, errorCode: GAF }))],
    };
  });

const findCoordinator = (inner: HandlerFor<ApiKey.FindCoordinator>) =>
  wrap(inner, async (req, ctx, broker, t) => {
    const txn = req.keyType === 1;
    const ok = (key: string) => can(t, ctx, Op.DESCRIBE, txn ? RT.TRANSACTIONAL_ID : RT.GROUP, key);
    const code = txn ? ErrorCode.TRANSACTIONAL_ID_AUTHORIZATION_FAILED : GAF;
    if (ctx.apiVersion < 4) {
      if (ok(req.key)) return inner.handle(req, ctx, broker);
      return {
        throttleTimeMs: 0,
        errorCode: code,
        errorMessage: null,
        nodeId: -1,
        host: "",
        port: -1,
        coordinators: [],
      };
    }
    const { res, denied } = await authorizeAndFilter(
      req.coordinatorKeys,
      ok,
      (coordinatorKeys) => inner.handle({ ...req, coordinatorKeys }, ctx, broker),
      () => ({ throttleTimeMs: 0, coordinators: [] }),
    );
    return {
      ...res,
      coordinators: [
        ...(res.coordinators ?? []),
        ...denied.map((key) => ({
          key,
          nodeId: -1,
          host: "",
          port: -1,
          errorCode: code,
          errorMessage: null,
        })),
      ],
    };
  });

const initProducerId = (inner: HandlerFor<ApiKey.InitProducerId>) =>
  wrap(inner, (req, ctx, broker, t) => {
    const ok =
      req.transactionalId !== null
        ? can(t, ctx, Op.WRITE, RT.TRANSACTIONAL_ID, req.transactionalId)
        : authorizeCluster(t, ctx, Op.IDEMPOTENT_WRITE) || t.mayWriteSomeTopic(ctx);
    if (ok) return inner.handle(req, ctx, broker);
    const errorCode =
      req.transactionalId !== null
        ? ErrorCode.TRANSACTIONAL_ID_AUTHORIZATION_FAILED
        : ErrorCode.CLUSTER_AUTHORIZATION_FAILED;
    return { throttleTimeMs: 0, errorCode, producerId: -1n, producerEpoch: -1 };
  });

// Log directories are the cluster's: DESCRIBE / ALTER on the cluster resource, as in Kafka.
const describeLogDirs = (inner: HandlerFor<ApiKey.DescribeLogDirs>) =>
  wrap(inner, (req, ctx, broker, t) =>
    authorizeCluster(t, ctx, Op.DESCRIBE)
      ? inner.handle(req, ctx, broker)
      : { throttleTimeMs: 0, errorCode: ErrorCode.CLUSTER_AUTHORIZATION_FAILED, results: [] },
  );

const alterReplicaLogDirs = (inner: HandlerFor<ApiKey.AlterReplicaLogDirs>) =>
  wrap(inner, (req, ctx, broker, t) =>
    authorizeCluster(t, ctx, Op.ALTER)
      ? inner.handle(req, ctx, broker)
      : answerEachPartition(req, () => ErrorCode.CLUSTER_AUTHORIZATION_FAILED),
  );

/** Any per-key wrapper; `never` accepts every wrapper's parameter type (the key guarantees the match). */
type AnyWrapper = (inner: never) => ApiHandler;

/** The wrappers by API key (APIs not listed pass through unchanged). */
const WRAPPERS: ReadonlyMap<number, AnyWrapper> = new Map<number, AnyWrapper>([
  [ApiKey.Produce, produce],
  [ApiKey.Fetch, fetch],
  [ApiKey.ListOffsets, listOffsets],
  [ApiKey.Metadata, metadata],
  [ApiKey.OffsetCommit, offsetCommit],
  [ApiKey.OffsetFetch, offsetFetch],
  [ApiKey.FindCoordinator, findCoordinator],
  [ApiKey.JoinGroup, joinGroup],
  [ApiKey.Heartbeat, heartbeat],
  [ApiKey.LeaveGroup, leaveGroup],
  [ApiKey.SyncGroup, syncGroup],
  [ApiKey.DescribeGroups, describeGroups],
  [ApiKey.ListGroups, listGroups],
  [ApiKey.CreateTopics, createTopics],
  [ApiKey.DeleteTopics, deleteTopics],
  [ApiKey.DeleteRecords, deleteRecords],
  [ApiKey.InitProducerId, initProducerId],
  [ApiKey.OffsetForLeaderEpoch, offsetForLeaderEpoch],
  [ApiKey.DescribeConfigs, describeConfigs],
  [ApiKey.AlterConfigs, alterConfigsGate],
  [ApiKey.AlterReplicaLogDirs, alterReplicaLogDirs],
  [ApiKey.DescribeLogDirs, describeLogDirs],
  [ApiKey.CreatePartitions, createPartitions],
  [ApiKey.DeleteGroups, deleteGroups],
  [ApiKey.IncrementalAlterConfigs, alterConfigsGate],
]);

/**
 * Adds authorization (ACLs + tenant isolation), tenant limits and client quotas to the broker's
 * handlers, as Kafka's KafkaApis does around each API: unauthorized topics and groups get
 * TOPIC_/GROUP_AUTHORIZATION_FAILED (and vanish from "list everything" answers), Produce and Fetch
 * are measured against their byte-rate quotas (throttle time in the response and noted for the
 * connection to mute the channel), CreateTopics/CreatePartitions respect tenant limits and the
 * controller mutation quota. Handlers run unchanged when no {@link Tenancy} is attached.
 */
export function withTenancy(handlers: readonly ApiHandler[]): ApiHandler[] {
  return handlers.map((h) => {
    const w = WRAPPERS.get(h.apiKey);
    return w === undefined ? h : w(h as never);
  });
}
