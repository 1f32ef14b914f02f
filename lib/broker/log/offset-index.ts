import { floorIndex } from "./floor-index";

/**
 * Sparse offset index of one segment: (baseOffset of a batch relative to the segment's base,
 * byte position of that batch). Kept in memory (typed arrays) and persisted as `<base>.index`
 * with 8-byte big-endian entries, like Kafka's. It is derived data: when missing or implausible
 * it is rebuilt by scanning the segment.
 */
export class OffsetIndex {
  private rel: Int32Array;
  private pos: Int32Array;
  private n = 0;

  constructor(capacity = 16) {
    this.rel = new Int32Array(capacity);
    this.pos = new Int32Array(capacity);
  }

  /** Number of entries. */
  get length(): number {
    return this.n;
  }

  /** Relative offset of the last entry, or -1. */
  get lastRelOffset(): number {
    return this.n > 0 ? (this.rel[this.n - 1] as number) : -1;
  }

  /** Position of the last entry, or 0. */
  get lastPosition(): number {
    return this.n > 0 ? (this.pos[this.n - 1] as number) : 0;
  }

  /** Adds an entry; ignored unless both columns increase. */
  append(relOffset: number, position: number): void {
    if (
      this.n > 0 &&
      (relOffset <= (this.rel[this.n - 1] as number) ||
        position <= (this.pos[this.n - 1] as number))
    )
      return;
    if (this.n === this.rel.length) {
      const rel = new Int32Array(this.n * 2);
      rel.set(this.rel);
      this.rel = rel;
      const pos = new Int32Array(this.n * 2);
      pos.set(this.pos);
      this.pos = pos;
    }
    this.rel[this.n] = relOffset;
    this.pos[this.n] = position;
    this.n++;
  }

  /** Position of the last entry whose relative offset is <= `relOffset` (0 when none). */
  lookup(relOffset: number): number {
    const i = this.floorEntry(relOffset);
    return i < 0 ? 0 : (this.pos[i] as number);
  }

  /** Index of the last entry whose relative offset is <= `relOffset`, or -1. */
  floorEntry(relOffset: number): number {
    return floorIndex(this.rel, this.n, relOffset);
  }

  /** Drops the entries at or after byte `position` (after a truncation). */
  truncateToPosition(position: number): void {
    while (this.n > 0 && (this.pos[this.n - 1] as number) >= position) this.n--;
  }

  /** Entry `i` (for validation). */
  entry(i: number): { relOffset: number; position: number } {
    return { relOffset: this.rel[i] as number, position: this.pos[i] as number };
  }

  /** The on-disk form. */
  serialize(): Buffer {
    const buf = Buffer.allocUnsafe(this.n * 8);
    for (let i = 0; i < this.n; i++) {
      buf.writeInt32BE(this.rel[i] as number, i * 8);
      buf.writeInt32BE(this.pos[i] as number, i * 8 + 4);
    }
    return buf;
  }

  /** Parses an index file; undefined when it is implausible for a log of `logSize` bytes. */
  static parse(buf: Buffer, logSize: number): OffsetIndex | undefined {
    if (buf.length % 8 !== 0) return undefined;
    const idx = new OffsetIndex(Math.max(16, buf.length / 8));
    for (let p = 0; p < buf.length; p += 8) {
      const rel = buf.readInt32BE(p);
      const pos = buf.readInt32BE(p + 4);
      if (rel < 0 || pos < 0 || pos >= logSize) return undefined;
      if (idx.n > 0 && (rel <= idx.lastRelOffset || pos <= idx.lastPosition)) return undefined;
      idx.append(rel, pos);
    }
    return idx;
  }
}
