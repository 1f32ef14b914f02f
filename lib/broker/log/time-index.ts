/**
 * Sparse time index of one segment: (largest batch maxTimestamp so far, relative base offset of
 * the batch where it was reached). Persisted as `<base>.timeindex` with 12-byte entries (int64
 * timestamp, int32 relative offset), like Kafka's. All batches up to an entry's batch have
 * maxTimestamp <= the entry's timestamp, so a lookup for `t` may start at the batch of the last
 * entry with timestamp < t. Derived data: rebuilt by scanning when missing or implausible.
 */
export class TimeIndex {
  private ts: Float64Array;
  private rel: Int32Array;
  private n = 0;

  constructor(capacity = 16) {
    this.ts = new Float64Array(capacity);
    this.rel = new Int32Array(capacity);
  }

  /** Number of entries. */
  get length(): number {
    return this.n;
  }

  /** Timestamp of the last entry, or -1. */
  get lastTimestamp(): number {
    return this.n > 0 ? (this.ts[this.n - 1] as number) : -1;
  }

  /** Relative offset of the last entry, or -1. */
  get lastRelOffset(): number {
    return this.n > 0 ? (this.rel[this.n - 1] as number) : -1;
  }

  /** Adds an entry when the timestamp grows (and the offset does not go back). */
  maybeAppend(timestamp: number, relOffset: number): void {
    if (
      this.n > 0 &&
      (timestamp <= (this.ts[this.n - 1] as number) || relOffset < (this.rel[this.n - 1] as number))
    )
      return;
    if (this.n > 0 && relOffset === (this.rel[this.n - 1] as number)) {
      this.ts[this.n - 1] = timestamp;
      return;
    }
    if (this.n === this.ts.length) {
      const ts = new Float64Array(this.n * 2);
      ts.set(this.ts);
      this.ts = ts;
      const rel = new Int32Array(this.n * 2);
      rel.set(this.rel);
      this.rel = rel;
    }
    this.ts[this.n] = timestamp;
    this.rel[this.n] = relOffset;
    this.n++;
  }

  /** Relative offset of the last entry with timestamp < `timestamp`, or -1 (scan from the start). */
  lookupBefore(timestamp: number): number {
    let lo = 0;
    let hi = this.n - 1;
    let best = -1;
    while (lo <= hi) {
      const mid = (lo + hi) >>> 1;
      if ((this.ts[mid] as number) < timestamp) {
        best = this.rel[mid] as number;
        lo = mid + 1;
      } else hi = mid - 1;
    }
    return best;
  }

  /** Drops entries at or after relative offset `relOffset` (after a truncation). */
  truncateToRelOffset(relOffset: number): void {
    while (this.n > 0 && (this.rel[this.n - 1] as number) >= relOffset) this.n--;
  }

  /** The on-disk form. */
  serialize(): Buffer {
    const buf = Buffer.allocUnsafe(this.n * 12);
    for (let i = 0; i < this.n; i++) {
      buf.writeBigInt64BE(BigInt(this.ts[i] as number), i * 12);
      buf.writeInt32BE(this.rel[i] as number, i * 12 + 8);
    }
    return buf;
  }

  /** Parses a time index file; undefined when implausible (size, order). */
  static parse(buf: Buffer): TimeIndex | undefined {
    if (buf.length % 12 !== 0) return undefined;
    const idx = new TimeIndex(Math.max(16, buf.length / 12));
    for (let p = 0; p < buf.length; p += 12) {
      const ts = Number(buf.readBigInt64BE(p));
      const rel = buf.readInt32BE(p + 8);
      if (rel < 0) return undefined;
      if (idx.n > 0 && (ts <= idx.lastTimestamp || rel < idx.lastRelOffset)) return undefined;
      idx.maybeAppend(ts, rel);
    }
    return idx;
  }
}
