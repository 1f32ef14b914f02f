import { ApiKey, ErrorCode, type ResponseInputOf } from "../../protocol";
import { getOrAutoCreateTopic } from "../auto-create";
import type { BrokerServices } from "../broker-services";
import type { HandlerFor, RequestContext } from "../handler";
import { isInternalTopicName, topicNameProblem } from "../topic-name";
import type { TopicInfo } from "../topic-registry";

type MetadataTopic = ResponseInputOf<ApiKey.Metadata>["topics"][number];

/** Kafka's all-zero topic id, used where a topic has no id (errors, old versions). */
export const ZERO_UUID = "00000000-0000-0000-0000-000000000000";

/** The advertised endpoint of this broker on the listener the request came in on. */
export function brokerEndpoint(
  broker: BrokerServices,
  ctx: RequestContext,
): { nodeId: number; host: string; port: number; rack: string | null } {
  const all = broker.advertisedListeners();
  const l = all.find((a) => a.name === ctx.listenerName) ?? all[0];
  return {
    nodeId: broker.config.nodeId,
    host: l?.host ?? "localhost",
    port: l?.port ?? 0,
    rack: broker.config.rack,
  };
}

function describeTopic(t: TopicInfo, nodeId: number): MetadataTopic {
  const partitions = [];
  for (let p = 0; p < t.partitions; p++) {
    partitions.push({
      errorCode: ErrorCode.NONE,
      partitionIndex: p,
      leaderId: nodeId,
      leaderEpoch: 0,
      replicaNodes: [nodeId],
      isrNodes: [nodeId],
      offlineReplicas: [],
    });
  }
  return {
    errorCode: ErrorCode.NONE,
    name: t.name,
    topicId: t.topicId,
    isInternal: isInternalTopicName(t.name),
    partitions,
  };
}

function topicError(name: string | null, errorCode: number, topicId = ZERO_UUID): MetadataTopic {
  return { errorCode, name, topicId, isInternal: false, partitions: [] };
}

/**
 * Metadata (3): this broker as the only broker and controller, and the requested topics (all topics
 * for a null list, or an empty list in v0). Unknown topics are auto-created when the broker allows it
 * and the request does not forbid it (v4+ `allowAutoTopicCreation`).
 */
export const metadataHandler: HandlerFor<ApiKey.Metadata> = {
  apiKey: ApiKey.Metadata,
  async handle(req, ctx, broker) {
    const nodeId = broker.config.nodeId;
    let topics: MetadataTopic[];
    const wantsAll = req.topics === null || (ctx.apiVersion === 0 && req.topics.length === 0);
    if (wantsAll || req.topics === null) {
      topics = broker.topics.list().map((t) => describeTopic(t, nodeId));
    } else {
      topics = [];
      for (const rt of req.topics) {
        if (rt.name === null || rt.name === "") {
          // v10+: by topic id.
          const t = broker.topics.getById(rt.topicId);
          topics.push(
            t ? describeTopic(t, nodeId) : topicError(null, ErrorCode.UNKNOWN_TOPIC_ID, rt.topicId),
          );
          continue;
        }
        if (topicNameProblem(rt.name) !== null) {
          topics.push(topicError(rt.name, ErrorCode.INVALID_TOPIC_EXCEPTION));
          continue;
        }
        const t = await getOrAutoCreateTopic(broker, rt.name, req.allowAutoTopicCreation);
        topics.push(
          t ? describeTopic(t, nodeId) : topicError(rt.name, ErrorCode.UNKNOWN_TOPIC_OR_PARTITION),
        );
      }
    }
    return {
      throttleTimeMs: 0,
      brokers: [brokerEndpoint(broker, ctx)],
      clusterId: broker.clusterId,
      controllerId: nodeId,
      topics,
    };
  },
};
