import { LogError } from "./log-error";

/** One batch an idempotent producer wrote, remembered to answer retries with its offsets. */
export interface ProducerBatch {
  readonly firstSeq: number;
  readonly lastSeq: number;
  readonly firstOffset: number;
  readonly lastOffset: number;
}

/** State of one producer id in one partition. */
export interface ProducerEntry {
  epoch: number;
  /** The last (up to) 5 batches, oldest first. */
  batches: ProducerBatch[];
}

/** Kafka keeps the last 5 batches: clients have at most 5 requests in flight per connection. */
export const MAX_REMEMBERED_BATCHES = 5;

/** Outcome of checking one batch against the producer state. */
export type SequenceCheck =
  | { readonly kind: "append" }
  | { readonly kind: "duplicate"; readonly batch: ProducerBatch };

const INT32_MAX = 2147483647;

/** Sequence numbers wrap from INT32_MAX to 0. */
function nextSeq(seq: number): number {
  return seq === INT32_MAX ? 0 : seq + 1;
}

/** `baseSequence + count - 1` with wrap-around. */
export function lastSequence(baseSeq: number, count: number): number {
  const last = baseSeq + count - 1;
  return last > INT32_MAX ? last - INT32_MAX - 1 : last;
}

/**
 * Idempotent-producer state of one partition: per producer id the epoch and the last 5 batches.
 * `check` is pure (so a multi-batch append can be validated before anything is written), `record`
 * applies an appended batch. Serialized into snapshots so it survives restarts.
 */
export class ProducerState {
  private readonly producers = new Map<number, ProducerEntry>();

  /** Number of known producer ids. */
  get size(): number {
    return this.producers.size;
  }

  /** The entry of a producer id (tests, diagnostics). */
  get(producerId: number): ProducerEntry | undefined {
    return this.producers.get(producerId);
  }

  /**
   * Validates a batch of an idempotent producer against the state (plus `pending`, batches of the
   * same append already checked): older epoch → INVALID_PRODUCER_EPOCH; a new epoch must start at
   * sequence 0 and an unknown producer too; same epoch: a remembered batch is a duplicate, anything
   * else must continue the last sequence → else OUT_OF_ORDER_SEQUENCE_NUMBER.
   */
  check(
    producerId: number,
    epoch: number,
    firstSeq: number,
    lastSeq: number,
    pending?: ProducerEntry,
  ): SequenceCheck {
    const entry = pending ?? this.producers.get(producerId);
    if (entry === undefined || entry.epoch < epoch) {
      if (firstSeq !== 0) {
        throw new LogError(
          "OUT_OF_ORDER_SEQUENCE_NUMBER",
          `producer ${producerId} epoch ${epoch} must start at sequence 0, got ${firstSeq}`,
        );
      }
      return { kind: "append" };
    }
    if (epoch < entry.epoch) {
      throw new LogError(
        "INVALID_PRODUCER_EPOCH",
        `producer ${producerId} epoch ${epoch} is older than ${entry.epoch}`,
      );
    }
    for (const b of entry.batches) {
      if (b.firstSeq === firstSeq && b.lastSeq === lastSeq) return { kind: "duplicate", batch: b };
    }
    const last = entry.batches[entry.batches.length - 1];
    const expected = last === undefined ? 0 : nextSeq(last.lastSeq);
    if (firstSeq !== expected) {
      throw new LogError(
        "OUT_OF_ORDER_SEQUENCE_NUMBER",
        `producer ${producerId} epoch ${epoch}: expected sequence ${expected}, got ${firstSeq}`,
      );
    }
    return { kind: "append" };
  }

  /** Applies an appended batch to `target` (default: this state) and returns the new entry. */
  record(
    producerId: number,
    epoch: number,
    batch: ProducerBatch,
    target?: ProducerEntry,
  ): ProducerEntry {
    const entry = target ?? this.producers.get(producerId);
    let next: ProducerEntry;
    if (entry === undefined || entry.epoch !== epoch) next = { epoch, batches: [batch] };
    else {
      next = { epoch, batches: [...entry.batches, batch] };
      if (next.batches.length > MAX_REMEMBERED_BATCHES) next.batches.shift();
    }
    if (target === undefined) this.producers.set(producerId, next);
    return next;
  }

  /** Stores a precomputed entry (after an append validated it). */
  set(producerId: number, entry: ProducerEntry): void {
    this.producers.set(producerId, entry);
  }

  /** Forgets everything (before a replay). */
  clear(): void {
    this.producers.clear();
  }

  /** Snapshot form: JSON (small: at most 5 batches per producer). */
  serialize(nextOffset: number): Buffer {
    const producers = [...this.producers.entries()].map(([id, e]) => ({
      id,
      epoch: e.epoch,
      batches: e.batches,
    }));
    return Buffer.from(JSON.stringify({ version: 1, nextOffset, producers }));
  }

  /** Restores from {@link serialize} output; returns the snapshot's next offset, or undefined if unreadable. */
  load(data: Buffer): number | undefined {
    try {
      const doc = JSON.parse(data.toString("utf8")) as {
        version?: number;
        nextOffset?: number;
        producers?: Array<{ id: number; epoch: number; batches: ProducerBatch[] }>;
      };
      if (doc.version !== 1 || typeof doc.nextOffset !== "number" || !Array.isArray(doc.producers))
        return undefined;
      this.producers.clear();
      for (const p of doc.producers)
        this.producers.set(p.id, { epoch: p.epoch, batches: p.batches });
      return doc.nextOffset;
    } catch {
      return undefined;
    }
  }
}
