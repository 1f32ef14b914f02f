import type { AppendResult, PartitionLog } from "../../log";
import { ApiKey, ErrorCode, type RequestOf, type ResponseInputOf } from "../../protocol";
import { getOrAutoCreateTopic } from "../auto-create";
import type { BrokerServices } from "../broker-services";
import { errorCodeOf, errorMessageOf, isExpectedError } from "../error-codes";
import type { HandlerFor } from "../handler";

type ProduceTopicResponse = ResponseInputOf<ApiKey.Produce>["responses"][number];
type ProducePartitionResponse = ProduceTopicResponse["partitionResponses"][number];

/** Produce v0-2 use message formats v0/v1, which Sluice does not store (KIP-724 removed them). */
const MIN_SUPPORTED_PRODUCE_VERSION = 3;

function partitionError(
  index: number,
  errorCode: number,
  errorMessage: string | null = null,
): ProducePartitionResponse {
  return {
    index,
    errorCode,
    baseOffset: -1n,
    logAppendTimeMs: -1n,
    logStartOffset: -1n,
    recordErrors: [],
    errorMessage,
  };
}

function appended(index: number, r: AppendResult): ProducePartitionResponse {
  return {
    index,
    errorCode: ErrorCode.NONE,
    baseOffset: BigInt(r.baseOffset),
    logAppendTimeMs: BigInt(r.logAppendTimeMs),
    logStartOffset: BigInt(r.logStartOffset),
    recordErrors: [],
    errorMessage: null,
  };
}

/**
 * Appends one partition's records. Called synchronously, in request order, for every partition of a
 * request, so that pipelined requests of one idempotent producer reach the log in sequence order.
 */
function appendPartition(
  broker: BrokerServices,
  log: PartitionLog | undefined,
  index: number,
  records: Buffer | null,
  requireFsync: boolean,
): Promise<ProducePartitionResponse> {
  if (!log) {
    return Promise.resolve(
      partitionError(
        index,
        ErrorCode.UNKNOWN_TOPIC_OR_PARTITION,
        "This server does not host this topic-partition.",
      ),
    );
  }
  if (records === null || records.length === 0) {
    return Promise.resolve(partitionError(index, ErrorCode.CORRUPT_MESSAGE, "no records"));
  }
  let pending: Promise<AppendResult>;
  try {
    pending = log.append(records, { requireFsync });
  } catch (e) {
    pending = Promise.reject(e);
  }
  return pending.then(
    (r) => appended(index, r),
    (e: unknown) => {
      if (!isExpectedError(e)) {
        broker.logger.error(`append to ${log.topic}-${index} failed: ${errorMessageOf(e)}`);
      }
      return partitionError(index, errorCodeOf(e), errorMessageOf(e));
    },
  );
}

/**
 * Produce (0): appends each partition's record batches as sent (compressed or not). acks=-1 waits for
 * the group-committed fsync; acks=1 answers once the data is written; acks=0 gets no response at all.
 * Unknown topics are auto-created when enabled; per-partition failures become Kafka error codes.
 */
export const produceHandler: HandlerFor<ApiKey.Produce> = {
  apiKey: ApiKey.Produce,
  expectsResponse: (req) => req.acks !== 0,
  closeWithoutResponse(res) {
    for (const t of res.responses) {
      for (const p of t.partitionResponses) {
        if (p.errorCode !== ErrorCode.NONE) {
          return `acks=0 produce to ${t.name}-${p.index} failed with error ${p.errorCode}; closing so the client refreshes metadata`;
        }
      }
    }
    return null;
  },
  async handle(req, ctx, broker) {
    if (ctx.apiVersion < MIN_SUPPORTED_PRODUCE_VERSION || ![-1, 0, 1].includes(req.acks)) {
      const code =
        ctx.apiVersion < MIN_SUPPORTED_PRODUCE_VERSION
          ? ErrorCode.UNSUPPORTED_VERSION
          : ErrorCode.INVALID_REQUIRED_ACKS;
      return {
        responses: req.topicData.map((t) => ({
          name: t.name,
          partitionResponses: t.partitionData.map((p) => partitionError(p.index, code)),
        })),
        throttleTimeMs: 0,
      };
    }
    // Only topics that do not exist yet need an await (auto-creation); the appends themselves are
    // started synchronously below, in request order.
    if (req.topicData.some((t) => !broker.topics.get(t.name))) {
      for (const t of req.topicData) await getOrAutoCreateTopic(broker, t.name);
    }
    return { responses: await Promise.all(startAppends(req, broker)), throttleTimeMs: 0 };
  },
};

function startAppends(
  req: RequestOf<ApiKey.Produce>,
  broker: BrokerServices,
): Promise<ProduceTopicResponse>[] {
  const policy = broker.config.flushPolicy;
  const requireFsync = policy === "always" || (policy === "acks-all" && req.acks === -1);
  return req.topicData.map((t) => {
    const topic = broker.topics.get(t.name);
    const parts = t.partitionData.map((p) => {
      const log =
        topic && p.index >= 0 && p.index < topic.partitions
          ? broker.logs.get(t.name, p.index)
          : undefined;
      return appendPartition(broker, log, p.index, p.records, requireFsync);
    });
    return Promise.all(parts).then((partitionResponses) => ({ name: t.name, partitionResponses }));
  });
}
