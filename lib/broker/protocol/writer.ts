import { ProtocolError } from "./protocol-error";

/** Raw buffers at least this large are passed through as their own chunk instead of being copied. */
export const PASS_THROUGH_BYTES = 1024;

const MAX_CHUNK_BYTES = 64 * 1024;
const UUID_TEXT =
  /^[0-9a-fA-F]{8}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{12}$/;

/**
 * Append-only writer producing a list of chunks.
 *
 * Small values go into a working buffer; large raw buffers (record batches) are appended as separate
 * chunks so they are never copied. When the working buffer is full, the filled part becomes a chunk
 * and a new buffer starts — nothing already written is copied again.
 */
export class Writer {
  private buf: Buffer;
  private pos = 0;
  private segStart = 0;
  private readonly chunks: Buffer[] = [];
  private flushedBytes = 0;

  constructor(initialBytes = 256) {
    this.buf = Buffer.allocUnsafe(initialBytes);
  }

  /** Total bytes written so far. */
  get length(): number {
    return this.flushedBytes + (this.pos - this.segStart);
  }

  private ensure(n: number): void {
    if (this.pos + n <= this.buf.length) return;
    this.flushSegment();
    const size = Math.max(n, Math.min(this.buf.length * 2, MAX_CHUNK_BYTES));
    this.buf = Buffer.allocUnsafe(size);
    this.pos = 0;
    this.segStart = 0;
  }

  private flushSegment(): void {
    if (this.pos > this.segStart) {
      this.chunks.push(this.buf.subarray(this.segStart, this.pos));
      this.flushedBytes += this.pos - this.segStart;
    }
    this.segStart = this.pos;
  }

  int8(v: number): void {
    this.ensure(1);
    this.buf.writeInt8(v, this.pos);
    this.pos += 1;
  }

  bool(v: boolean): void {
    this.int8(v ? 1 : 0);
  }

  int16(v: number): void {
    this.ensure(2);
    this.buf.writeInt16BE(v, this.pos);
    this.pos += 2;
  }

  uint16(v: number): void {
    this.ensure(2);
    this.buf.writeUInt16BE(v, this.pos);
    this.pos += 2;
  }

  int32(v: number): void {
    this.ensure(4);
    // Plain byte stores: Buffer#writeInt32BE re-validates what the codec has already checked.
    const b = this.buf;
    const p = this.pos;
    b[p] = v >>> 24;
    b[p + 1] = v >>> 16;
    b[p + 2] = v >>> 8;
    b[p + 3] = v;
    this.pos = p + 4;
  }

  uint32(v: number): void {
    this.ensure(4);
    this.buf.writeUInt32BE(v, this.pos);
    this.pos += 4;
  }

  int64(v: bigint): void {
    this.ensure(8);
    // Offsets and timestamps are safe integers: two 32-bit stores are much cheaper than
    // writeBigInt64BE; other values take the exact BigInt path.
    const n = Number(v);
    if (Number.isSafeInteger(n)) {
      const hi = Math.floor(n / 4294967296);
      const lo = n - hi * 4294967296;
      const b = this.buf;
      const p = this.pos;
      b[p] = hi >>> 24;
      b[p + 1] = hi >>> 16;
      b[p + 2] = hi >>> 8;
      b[p + 3] = hi;
      b[p + 4] = lo >>> 24;
      b[p + 5] = lo >>> 16;
      b[p + 6] = lo >>> 8;
      b[p + 7] = lo;
    } else {
      this.buf.writeBigInt64BE(v, this.pos);
    }
    this.pos += 8;
  }

  float64(v: number): void {
    this.ensure(8);
    this.buf.writeDoubleBE(v, this.pos);
    this.pos += 8;
  }

  /** Unsigned LEB128 varint (0 .. 2^32-1). */
  uvarint(v: number): void {
    if (v >= 0 && v < 0x80 && (v | 0) === v) {
      this.ensure(1);
      this.buf[this.pos++] = v;
      return;
    }
    if (!Number.isInteger(v) || v < 0 || v > 0xffffffff) {
      throw new ProtocolError(`unsigned varint out of range: ${v}`);
    }
    this.ensure(5);
    while (v >= 0x80) {
      this.buf[this.pos++] = (v & 0x7f) | 0x80;
      v = Math.floor(v / 128);
    }
    this.buf[this.pos++] = v;
  }

  /** Zig-zag signed 32-bit varint. */
  varint(v: number): void {
    if (!Number.isInteger(v) || v < -0x80000000 || v > 0x7fffffff) {
      throw new ProtocolError(`varint out of range: ${v}`);
    }
    this.uvarint(v >= 0 ? v * 2 : -v * 2 - 1);
  }

  /** Zig-zag signed 64-bit varint. */
  varlong(v: bigint): void {
    let u = BigInt.asUintN(64, (v << 1n) ^ (v >> 63n));
    this.ensure(10);
    while (u >= 0x80n) {
      this.buf[this.pos++] = Number(u & 0x7fn) | 0x80;
      u >>= 7n;
    }
    this.buf[this.pos++] = Number(u);
  }

  /** UUID given as 32 hex digits, dashes optional. */
  uuid(v: string): void {
    if (!UUID_TEXT.test(v)) throw new ProtocolError(`invalid uuid ${JSON.stringify(v)}`);
    this.ensure(16);
    this.buf.write(v.replace(/-/g, ""), this.pos, 16, "hex");
    this.pos += 16;
  }

  /** UTF-8 text with a classic int16 length; null is written as length -1. */
  string(v: string | null): void {
    if (v === null) {
      this.int16(-1);
      return;
    }
    const n = Buffer.byteLength(v, "utf8");
    if (n > 0x7fff) throw new ProtocolError(`string of ${n} bytes is too long`);
    this.ensure(2 + n);
    this.buf.writeInt16BE(n, this.pos);
    this.buf.write(v, this.pos + 2, n, "utf8");
    this.pos += 2 + n;
  }

  /** UTF-8 text with a compact (N+1) length; null is written as 0. */
  compactString(v: string | null): void {
    if (v === null) {
      this.uvarint(0);
      return;
    }
    const n = Buffer.byteLength(v, "utf8");
    this.uvarint(n + 1);
    this.ensure(n);
    this.buf.write(v, this.pos, n, "utf8");
    this.pos += n;
  }

  /** Raw bytes, copied unless large (then passed through as a chunk of their own). */
  raw(v: Uint8Array): void {
    if (v.length >= PASS_THROUGH_BYTES) {
      this.flushSegment();
      this.chunks.push(Buffer.isBuffer(v) ? v : Buffer.from(v.buffer, v.byteOffset, v.length));
      this.flushedBytes += v.length;
      return;
    }
    this.ensure(v.length);
    this.buf.set(v, this.pos);
    this.pos += v.length;
  }

  /** Overwrites an int32 at an absolute position already written (e.g. a size prefix). */
  patchInt32(absolutePos: number, v: number): void {
    let base = 0;
    for (const c of this.chunks) {
      if (absolutePos < base + c.length) {
        c.writeInt32BE(v, absolutePos - base);
        return;
      }
      base += c.length;
    }
    this.buf.writeInt32BE(v, this.segStart + (absolutePos - base));
  }

  /** Everything written, as chunks in order (no copy). The writer must not be used afterwards. */
  finish(): Buffer[] {
    this.flushSegment();
    return this.chunks;
  }

  /** Everything written, as one Buffer. */
  finishOne(): Buffer {
    const chunks = this.finish();
    return chunks.length === 1 ? (chunks[0] as Buffer) : Buffer.concat(chunks);
  }
}
