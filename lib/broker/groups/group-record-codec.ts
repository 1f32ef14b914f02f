import { Reader as WireReader, Writer as WireWriter } from "../protocol";
import type { CommittedOffset } from "./group-api";
import { GroupCoordinatorError, GroupErrorCode } from "./group-error-code";
import type { GroupStoreRecord, StoredGroup, StoredMember } from "./group-store";

/*
 * Records of the internal `__consumer_offsets` topic, laid out like Kafka's own (so the data reads
 * the same way in Kafka's tools): an offset key is version 1 (group, topic, partition), a group key
 * version 2 (group). Offset values are version 3 (with leader epoch) or, when the commit carried an
 * explicit retention, version 1 (with expire timestamp). Group values are version 3. A null value is
 * a tombstone.
 */

const OFFSET_KEY_VERSION = 1;
const GROUP_KEY_VERSION = 2;

/** Chainable front of the wire {@link WireWriter} (Kafka's classic encodings) with `number` int64s. */
class Writer {
  private readonly w = new WireWriter(64);
  int16(v: number): this {
    this.w.int16(v);
    return this;
  }
  int32(v: number): this {
    this.w.int32(v);
    return this;
  }
  int64(v: number): this {
    this.w.int64(BigInt(v));
    return this;
  }
  string(v: string | null): this {
    this.w.string(v);
    return this;
  }
  bytes(v: Buffer): this {
    this.w.int32(v.length);
    this.w.raw(v);
    return this;
  }
  done(): Buffer {
    return this.w.finishOne();
  }
}

/**
 * The wire {@link WireReader} with the record codec's leniencies: `number` int64s, a null string
 * read as "", null bytes as empty, and truncation reported as a coordinator error.
 */
class Reader extends WireReader {
  override need(n: number): void {
    if (n > this.end - this.pos) {
      throw new GroupCoordinatorError(
        "truncated __consumer_offsets record",
        GroupErrorCode.UNKNOWN_SERVER_ERROR,
      );
    }
  }
  long(): number {
    return Number(this.int64());
  }
  override string(): string {
    return this.nullableString() ?? "";
  }
  bytes(): Buffer {
    const n = this.int32();
    return n < 0 ? Buffer.alloc(0) : this.copy(n);
  }
}

/** A record ready for the log: key and (null for tombstones) value. */
export interface EncodedGroupRecord {
  readonly key: Buffer;
  readonly value: Buffer | null;
}

function encodeOffsetValue(v: CommittedOffset): Buffer {
  if (v.expireTimestamp >= 0) {
    return new Writer()
      .int16(1)
      .int64(v.offset)
      .string(v.metadata)
      .int64(v.commitTimestamp)
      .int64(v.expireTimestamp)
      .done();
  }
  return new Writer()
    .int16(3)
    .int64(v.offset)
    .int32(v.leaderEpoch)
    .string(v.metadata)
    .int64(v.commitTimestamp)
    .done();
}

function decodeOffsetValue(buf: Buffer): CommittedOffset {
  const r = new Reader(buf);
  const version = r.int16();
  const offset = r.long();
  const leaderEpoch = version >= 3 ? r.int32() : -1;
  const metadata = r.string();
  const commitTimestamp = r.long();
  const expireTimestamp = version === 1 ? r.long() : -1;
  return { offset, leaderEpoch, metadata, commitTimestamp, expireTimestamp };
}

function encodeGroupValue(g: StoredGroup): Buffer {
  const w = new Writer()
    .int16(3)
    .string(g.protocolType ?? "")
    .int32(g.generationId)
    .string(g.protocolName)
    .string(g.leaderId)
    .int64(g.stateTimestamp)
    .int32(g.members.length);
  for (const m of g.members) {
    w.string(m.memberId)
      .string(m.groupInstanceId)
      .string(m.clientId)
      .string(m.clientHost)
      .int32(m.rebalanceTimeoutMs)
      .int32(m.sessionTimeoutMs)
      .bytes(m.subscription)
      .bytes(m.assignment);
  }
  return w.done();
}

function decodeGroupValue(buf: Buffer): StoredGroup {
  const r = new Reader(buf);
  const version = r.int16();
  const protocolType = r.string();
  const generationId = r.int32();
  const protocolName = r.nullableString();
  const leaderId = r.nullableString();
  const stateTimestamp = version >= 2 ? r.long() : -1;
  const count = r.int32();
  const members: StoredMember[] = [];
  for (let i = 0; i < count; i++) {
    const memberId = r.string();
    const groupInstanceId = version >= 3 ? r.nullableString() : null;
    const clientId = r.string();
    const clientHost = r.string();
    const rebalanceTimeoutMs = version >= 1 ? r.int32() : 0;
    const sessionTimeoutMs = r.int32();
    const subscription = r.bytes();
    const assignment = r.bytes();
    members.push({
      memberId,
      groupInstanceId,
      clientId,
      clientHost,
      rebalanceTimeoutMs: version >= 1 ? rebalanceTimeoutMs : sessionTimeoutMs,
      sessionTimeoutMs,
      subscription,
      assignment,
    });
  }
  return {
    protocolType: protocolType === "" ? null : protocolType,
    generationId,
    protocolName,
    leaderId,
    stateTimestamp,
    members,
  };
}

/** Encodes one store record as a key/value pair of `__consumer_offsets`. */
export function encodeGroupRecord(record: GroupStoreRecord): EncodedGroupRecord {
  if (record.kind === "offset") {
    const key = new Writer()
      .int16(OFFSET_KEY_VERSION)
      .string(record.groupId)
      .string(record.topic)
      .int32(record.partition)
      .done();
    return { key, value: record.value === null ? null : encodeOffsetValue(record.value) };
  }
  const key = new Writer().int16(GROUP_KEY_VERSION).string(record.groupId).done();
  return { key, value: record.value === null ? null : encodeGroupValue(record.value) };
}

/**
 * Decodes a key/value pair of `__consumer_offsets`; null for key versions this coordinator does not
 * know (e.g. transaction or newer-protocol records), which are skipped.
 */
export function decodeGroupRecord(key: Buffer, value: Buffer | null): GroupStoreRecord | null {
  const r = new Reader(key);
  const version = r.int16();
  if (version === 0 || version === OFFSET_KEY_VERSION) {
    const groupId = r.string();
    const topic = r.string();
    const partition = r.int32();
    return {
      kind: "offset",
      groupId,
      topic,
      partition,
      value: value === null ? null : decodeOffsetValue(value),
    };
  }
  if (version === GROUP_KEY_VERSION) {
    const groupId = r.string();
    return { kind: "group", groupId, value: value === null ? null : decodeGroupValue(value) };
  }
  return null;
}
