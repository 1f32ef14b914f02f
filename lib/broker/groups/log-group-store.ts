import {
  buildRecordBatch,
  decodeRecords,
  type LogConfig,
  type LogManager,
  type PartitionLog,
} from "../log";
import type { GroupClock } from "./clock";
import { systemGroupClock } from "./clock";
import { decodeGroupRecord, encodeGroupRecord } from "./group-record-codec";
import type { GroupStore, GroupStoreRecord } from "./group-store";

/** Kafka's name for the internal topic holding committed offsets and group metadata. */
export const CONSUMER_OFFSETS_TOPIC = "__consumer_offsets";

/**
 * Kafka's settings for the offsets topic: compacted, with 100 MiB segments
 * (`offsets.topic.segment.bytes`) so that compaction, which skips the active segment, keeps the
 * replay on start-up short.
 */
const CONSUMER_OFFSETS_CONFIG: Partial<LogConfig> = {
  cleanupPolicy: "compact",
  segmentBytes: 100 * 1024 * 1024,
};

/** How much of the log one replay read asks for. */
const REPLAY_READ_BYTES = 1024 * 1024;

/**
 * Keeps group records in partition 0 of the compacted internal topic `__consumer_offsets`, through
 * the log engine. Each append is one record batch written with `requireFsync`, so a commit is
 * acknowledged only once durable; compaction keeps the latest record per key, and tombstones delete.
 */
export class LogGroupStore implements GroupStore {
  private constructor(
    private readonly log: PartitionLog,
    private readonly clock: GroupClock,
  ) {}

  /** Opens (creating if needed) `__consumer_offsets` partition 0 in `logs`. */
  static async open(
    logs: LogManager,
    clock: GroupClock = systemGroupClock,
  ): Promise<LogGroupStore> {
    const log =
      logs.get(CONSUMER_OFFSETS_TOPIC, 0) ??
      (await logs.create(CONSUMER_OFFSETS_TOPIC, 0, CONSUMER_OFFSETS_CONFIG));
    // Deleting by age would lose committed offsets: the topic must stay compacted.
    if (log.config.cleanupPolicy !== "compact") await log.setConfig({ cleanupPolicy: "compact" });
    return new LogGroupStore(log, clock);
  }

  async load(): Promise<GroupStoreRecord[]> {
    const out: GroupStoreRecord[] = [];
    let offset = this.log.logStartOffset;
    while (offset < this.log.highWatermark) {
      const read = await this.log.read(offset, REPLAY_READ_BYTES);
      if (read.records.length === 0) break;
      for (const batch of read.records) {
        const { header, records } = decodeRecords(batch);
        if (header.lastOffset < offset || header.isControl) {
          offset = Math.max(offset, header.lastOffset + 1);
          continue;
        }
        for (const r of records) {
          if (header.baseOffset + r.offsetDelta < offset || r.key === null) continue;
          const decoded = decodeGroupRecord(r.key, r.value);
          if (decoded !== null) out.push(decoded);
        }
        offset = header.lastOffset + 1;
      }
    }
    return out;
  }

  async append(records: readonly GroupStoreRecord[]): Promise<void> {
    if (records.length === 0) return;
    const batch = buildRecordBatch({
      timestamp: this.clock.now(),
      records: records.map((r) => encodeGroupRecord(r)),
    });
    await this.log.append(batch, { requireFsync: true });
  }

  /** The log belongs to the LogManager, which closes it. */
  async close(): Promise<void> {}
}
