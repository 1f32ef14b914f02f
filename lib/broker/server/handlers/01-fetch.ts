import type { PartitionLog } from "../../log";
import { ApiKey, ErrorCode, type RequestOf, type ResponseInputOf } from "../../protocol";
import type { BrokerServices } from "../broker-services";
import { errorCodeOf, errorMessageOf, isExpectedError } from "../error-codes";
import type { HandlerFor } from "../handler";

type FetchRequest = RequestOf<ApiKey.Fetch>;
type FetchTopicResponse = ResponseInputOf<ApiKey.Fetch>["responses"][number];
type FetchPartitionResponse = FetchTopicResponse["partitions"][number];

/**
 * Partitions without data carry an empty record set, never null: Kafka sends MemoryRecords.EMPTY and
 * librdkafka treats a null (size -1) record set as a protocol parse failure.
 */
const NO_RECORDS = Buffer.alloc(0);

/** Upper bound on one long poll, whatever the client asks (Kafka clients use ≤ 30 s). */
const MAX_WAIT_CAP_MS = 60_000;

interface FetchRound {
  responses: FetchTopicResponse[];
  bytes: number;
  /** Some partition answered with an error: Kafka responds at once then. */
  hasError: boolean;
}

function emptyPartition(partitionIndex: number, errorCode: number): FetchPartitionResponse {
  return {
    partitionIndex,
    errorCode,
    highWatermark: -1n,
    lastStableOffset: -1n,
    logStartOffset: -1n,
    abortedTransactions: null,
    preferredReadReplica: -1,
    records: NO_RECORDS,
  };
}

const UUID_TEXT = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * The topic a Fetch names. @platformatic/kafka (1.x) sends the topic *id* in v12's topic-name field
 * (it is written for v13+, where topics are named by id), so a name that is not a topic but is the
 * text of a known topic id resolves to that topic; the response echoes the string it was sent.
 */
function resolveTopic(broker: BrokerServices, name: string) {
  return (
    broker.topics.get(name) ?? (UUID_TEXT.test(name) ? broker.topics.getById(name) : undefined)
  );
}

function lookup(
  broker: BrokerServices,
  topic: string,
  partition: number,
): PartitionLog | undefined {
  const t = resolveTopic(broker, topic);
  if (!t || partition < 0 || partition >= t.partitions) return undefined;
  return broker.logs.get(t.name, partition);
}

/**
 * Reads every requested partition once. The response limit — the client's `maxBytes`, capped by the
 * broker's `fetch.max.bytes` as in Kafka, so no client can make the broker build a response of any
 * size — is soft: the first partition with data returns at least one whole batch even if it is
 * larger; after the budget is used up, the remaining partitions report their offsets with no records.
 */
async function readAll(req: FetchRequest, broker: BrokerServices): Promise<FetchRound> {
  let budget = Math.min(Math.max(req.maxBytes, 0), broker.config.fetchMaxBytes);
  let bytes = 0;
  let hasError = false;
  const responses: FetchTopicResponse[] = [];
  for (const t of req.topics) {
    const partitions: FetchPartitionResponse[] = [];
    for (const p of t.partitions) {
      const log = lookup(broker, t.topic, p.partition);
      if (!log) {
        hasError = true;
        partitions.push(emptyPartition(p.partition, ErrorCode.UNKNOWN_TOPIC_OR_PARTITION));
        continue;
      }
      const fetchOffset = Number(p.fetchOffset);
      const limit = Math.min(p.partitionMaxBytes, budget);
      try {
        const hw = log.highWatermark;
        if (fetchOffset < log.logStartOffset || fetchOffset > hw) {
          // Let the log produce its error (OFFSET_OUT_OF_RANGE) with its message.
          await log.read(fetchOffset, 1);
        }
        if (limit <= 0 || fetchOffset === hw) {
          partitions.push({
            ...emptyPartition(p.partition, ErrorCode.NONE),
            highWatermark: BigInt(hw),
            lastStableOffset: BigInt(hw),
            logStartOffset: BigInt(log.logStartOffset),
            abortedTransactions: null,
            records: NO_RECORDS,
          });
          continue;
        }
        const r = await log.read(fetchOffset, limit);
        let size = 0;
        for (const b of r.records) size += b.length;
        bytes += size;
        budget -= size;
        partitions.push({
          partitionIndex: p.partition,
          errorCode: ErrorCode.NONE,
          highWatermark: BigInt(r.highWatermark),
          lastStableOffset: BigInt(r.lastStableOffset),
          logStartOffset: BigInt(r.logStartOffset),
          abortedTransactions: null,
          preferredReadReplica: -1,
          records: r.records.length > 0 ? r.records : NO_RECORDS,
        });
      } catch (e) {
        if (!isExpectedError(e)) {
          broker.logger.error(`fetch from ${t.topic}-${p.partition} failed: ${errorMessageOf(e)}`);
        }
        hasError = true;
        partitions.push({
          ...emptyPartition(p.partition, errorCodeOf(e)),
          highWatermark: BigInt(log.highWatermark),
          logStartOffset: BigInt(log.logStartOffset),
        });
      }
    }
    responses.push({ topic: t.topic, partitions });
  }
  return { responses, bytes, hasError };
}

/**
 * Resolves once any of the logs gets an append, the deadline passes, or the broker shuts down.
 * Listeners are removed in every case.
 */
function waitForAppend(logs: PartitionLog[], ms: number, shutdown: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const unsubscribe: (() => void)[] = [];
    const finish = () => {
      clearTimeout(timer);
      for (const u of unsubscribe) u();
      shutdown.removeEventListener("abort", finish);
      resolve();
    };
    const timer = setTimeout(finish, ms);
    for (const log of logs) unsubscribe.push(log.onAppend(finish));
    shutdown.addEventListener("abort", finish, { once: true });
    if (shutdown.aborted) finish();
  });
}

/**
 * Fetch (1), v4-12: full fetches only (no incremental fetch sessions: the response's session id is 0,
 * which tells clients to keep sending full requests). Long polling: when fewer than `minBytes` are
 * available the request waits (up to `maxWaitMs`) for appends to the requested partitions.
 */
export const fetchHandler: HandlerFor<ApiKey.Fetch> = {
  apiKey: ApiKey.Fetch,
  async handle(req, ctx, broker) {
    if (ctx.apiVersion >= 7 && req.sessionId !== 0) {
      return {
        throttleTimeMs: 0,
        errorCode: ErrorCode.FETCH_SESSION_ID_NOT_FOUND,
        sessionId: 0,
        responses: [],
      };
    }
    const deadline = Date.now() + Math.min(Math.max(req.maxWaitMs, 0), MAX_WAIT_CAP_MS);
    let round = await readAll(req, broker);
    const logs: PartitionLog[] = [];
    for (const t of req.topics) {
      for (const p of t.partitions) {
        const log = lookup(broker, t.topic, p.partition);
        if (log) logs.push(log);
      }
    }
    while (
      round.bytes < req.minBytes &&
      !round.hasError &&
      logs.length > 0 &&
      !broker.shutdown.aborted
    ) {
      const left = deadline - Date.now();
      if (left <= 0) break;
      await waitForAppend(logs, left, broker.shutdown);
      round = await readAll(req, broker);
    }
    return {
      throttleTimeMs: 0,
      errorCode: ErrorCode.NONE,
      sessionId: 0,
      responses: round.responses,
    };
  },
};
