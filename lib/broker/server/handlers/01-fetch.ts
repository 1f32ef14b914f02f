import type { PartitionLog, ReadScope } from "../../log";
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
  /** The logs of the requested partitions that exist (what a long poll waits on). */
  logs: PartitionLog[];
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

/** One requested partition, its log and the limit planned for its read. */
interface PartitionRead {
  readonly topic: string;
  readonly partition: number;
  readonly fetchOffset: number;
  readonly partitionMaxBytes: number;
  readonly log: PartitionLog | undefined;
}

/** What reading one partition gave: its response, and the record bytes in it. */
interface PartitionOutcome {
  response: FetchPartitionResponse;
  size: number;
  error: boolean;
}

/** The answer for a partition whose records are not read (budget used up, or nothing new). */
function offsetsOnly(partition: number, log: PartitionLog): FetchPartitionResponse {
  const hw = BigInt(log.highWatermark);
  return {
    ...emptyPartition(partition, ErrorCode.NONE),
    highWatermark: hw,
    lastStableOffset: hw,
    logStartOffset: BigInt(log.logStartOffset),
  };
}

/** Reads one partition: whole batches from `fetchOffset`, up to `limit` bytes but at least one. */
async function readPartition(
  broker: BrokerServices,
  r: PartitionRead,
  limit: number,
  scope: ReadScope,
): Promise<PartitionOutcome> {
  const { log, partition, fetchOffset } = r;
  if (!log) {
    return {
      response: emptyPartition(partition, ErrorCode.UNKNOWN_TOPIC_OR_PARTITION),
      size: 0,
      error: true,
    };
  }
  try {
    const hw = log.highWatermark;
    if (fetchOffset < log.logStartOffset || fetchOffset > hw) {
      // Let the log produce its error (OFFSET_OUT_OF_RANGE) with its message.
      await log.read(fetchOffset, 1);
    }
    if (limit <= 0 || fetchOffset === hw) {
      return { response: offsetsOnly(partition, log), size: 0, error: false };
    }
    const read = await log.read(fetchOffset, limit, scope);
    let size = 0;
    for (const b of read.records) size += b.length;
    return {
      response: {
        partitionIndex: partition,
        errorCode: ErrorCode.NONE,
        highWatermark: BigInt(read.highWatermark),
        lastStableOffset: BigInt(read.lastStableOffset),
        logStartOffset: BigInt(read.logStartOffset),
        abortedTransactions: null,
        preferredReadReplica: -1,
        records: read.records.length > 0 ? read.records : NO_RECORDS,
      },
      size,
      error: false,
    };
  } catch (e) {
    if (!isExpectedError(e)) {
      broker.logger.error(`fetch from ${r.topic}-${partition} failed: ${errorMessageOf(e)}`);
    }
    return {
      response: {
        ...emptyPartition(partition, errorCodeOf(e)),
        highWatermark: BigInt(log.highWatermark),
        logStartOffset: BigInt(log.logStartOffset),
      },
      size: 0,
      error: true,
    };
  }
}

/**
 * Cuts a partition's read to `limit` bytes: the whole batches that fit, at least one — what reading
 * it with that limit returns, since a read's batches are a prefix of a larger read's.
 */
function keepWithin(outcome: PartitionOutcome, limit: number, log: PartitionLog): void {
  const records = outcome.response.records;
  if (outcome.size <= limit || !Array.isArray(records)) return;
  if (limit <= 0) {
    outcome.response = offsetsOnly(outcome.response.partitionIndex, log);
    outcome.size = 0;
    return;
  }
  const kept: Buffer[] = [];
  let size = 0;
  for (const b of records as Buffer[]) {
    if (kept.length > 0 && size + b.length > limit) break;
    kept.push(b);
    size += b.length;
  }
  outcome.response = { ...outcome.response, records: kept };
  outcome.size = size;
}

/**
 * Reads every requested partition once. The response limit — the client's `maxBytes`, capped by the
 * broker's `fetch.max.bytes` as in Kafka, so no client can make the broker build a response of any
 * size — is soft: the first partition with data returns at least one whole batch even if it is
 * larger; after the budget is used up, the remaining partitions report their offsets with no records.
 *
 * The reads run concurrently (they overlap in libuv's thread pool instead of queueing one after
 * another): each partition in request order is planned what is left of the budget after the ones
 * before it took their whole `partitionMaxBytes`, so together they never read more than the budget.
 * The budget is then applied in request order to what was read, exactly as sequential reads would
 * apply it; a partition planned nothing is read afterwards if budget is left.
 */
async function readAll(
  req: FetchRequest,
  broker: BrokerServices,
  scope: ReadScope,
): Promise<FetchRound> {
  const budget = Math.min(Math.max(req.maxBytes, 0), broker.config.fetchMaxBytes);
  const reads: PartitionRead[] = [];
  for (const t of req.topics) {
    for (const p of t.partitions) {
      reads.push({
        topic: t.topic,
        partition: p.partition,
        fetchOffset: Number(p.fetchOffset),
        partitionMaxBytes: p.partitionMaxBytes,
        log: lookup(broker, t.topic, p.partition),
      });
    }
  }
  let planLeft = budget;
  const planned = reads.map((r) => {
    const limit = Math.max(0, Math.min(r.partitionMaxBytes, planLeft));
    planLeft -= limit;
    return limit;
  });
  const first = await Promise.all(
    reads.map((r, i) =>
      (planned[i] as number) > 0 || !r.log
        ? readPartition(broker, r, planned[i] as number, scope)
        : null,
    ),
  );
  let left = budget;
  let bytes = 0;
  let hasError = false;
  const outcomes: PartitionOutcome[] = [];
  for (let i = 0; i < reads.length; i++) {
    const r = reads[i] as PartitionRead;
    const limit = Math.min(r.partitionMaxBytes, left);
    let outcome = first[i] ?? null;
    if (outcome === null) outcome = await readPartition(broker, r, limit, scope);
    else if (r.log) keepWithin(outcome, limit, r.log);
    bytes += outcome.size;
    left -= outcome.size;
    hasError ||= outcome.error;
    outcomes.push(outcome);
  }
  const responses: FetchTopicResponse[] = [];
  let i = 0;
  for (const t of req.topics) {
    const partitions: FetchPartitionResponse[] = [];
    for (const _ of t.partitions) partitions.push((outcomes[i++] as PartitionOutcome).response);
    responses.push({ topic: t.topic, partitions });
  }
  const logs: PartitionLog[] = [];
  for (const r of reads) if (r.log) logs.push(r.log);
  return { responses, bytes, hasError, logs };
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
 *
 * Each round reads into pooled buffers (a {@link ReadScope}): a round that is read again gives them
 * back at once; the answered round's go back once the response is on the socket.
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
    let scope = broker.readBuffers.scope();
    let round = await readAll(req, broker, scope);
    const logs = round.logs;
    while (
      round.bytes < req.minBytes &&
      !round.hasError &&
      logs.length > 0 &&
      !broker.shutdown.aborted
    ) {
      const left = deadline - Date.now();
      if (left <= 0) break;
      await waitForAppend(logs, left, broker.shutdown);
      // Nothing refers to the previous round's records any more.
      scope.release();
      scope = broker.readBuffers.scope();
      round = await readAll(req, broker, scope);
    }
    const answered = scope;
    ctx.onResponseSent?.(() => answered.release());
    return {
      throttleTimeMs: 0,
      errorCode: ErrorCode.NONE,
      sessionId: 0,
      responses: round.responses,
    };
  },
};
