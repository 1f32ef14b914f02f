import { ProtocolError } from "./protocol-error";

const UUID_HEX: string[] = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, "0"));

/**
 * Bounds-checked cursor over a Buffer holding Kafka wire data.
 *
 * Every read checks the remaining bytes first and throws {@link ProtocolError} on truncation or an
 * invalid length, so hostile input can never trigger a RangeError or a huge allocation: lengths are
 * compared with the bytes actually left before anything is sliced or allocated.
 */
export class Reader {
  /** Current read position (absolute index into `buf`). */
  pos: number;
  /** Exclusive end of the readable region (absolute index into `buf`). */
  end: number;

  constructor(
    readonly buf: Buffer,
    offset = 0,
    end = buf.length,
  ) {
    if (offset < 0 || end > buf.length || offset > end) {
      throw new ProtocolError(`invalid reader bounds ${offset}..${end} over ${buf.length} bytes`);
    }
    this.pos = offset;
    this.end = end;
  }

  /** Bytes left before `end`. */
  get remaining(): number {
    return this.end - this.pos;
  }

  /** Throws unless `n` more bytes are available. */
  need(n: number): void {
    if (n > this.end - this.pos) {
      throw new ProtocolError(
        `truncated input: need ${n} bytes at offset ${this.pos}, ${this.end - this.pos} left`,
      );
    }
  }

  int8(): number {
    this.need(1);
    return this.buf.readInt8(this.pos++);
  }

  bool(): boolean {
    return this.int8() !== 0;
  }

  int16(): number {
    this.need(2);
    const v = this.buf.readInt16BE(this.pos);
    this.pos += 2;
    return v;
  }

  uint16(): number {
    this.need(2);
    const v = this.buf.readUInt16BE(this.pos);
    this.pos += 2;
    return v;
  }

  int32(): number {
    this.need(4);
    const v = this.buf.readInt32BE(this.pos);
    this.pos += 4;
    return v;
  }

  uint32(): number {
    this.need(4);
    const v = this.buf.readUInt32BE(this.pos);
    this.pos += 4;
    return v;
  }

  int64(): bigint {
    this.need(8);
    const v = this.buf.readBigInt64BE(this.pos);
    this.pos += 8;
    return v;
  }

  float64(): number {
    this.need(8);
    const v = this.buf.readDoubleBE(this.pos);
    this.pos += 8;
    return v;
  }

  /** Unsigned LEB128 varint of at most 32 bits (5 bytes). */
  uvarint(): number {
    // Fast path: compact lengths and tag counts are almost always a single byte.
    const p = this.pos;
    if (p < this.end) {
      const b = this.buf[p] as number;
      if (b < 0x80) {
        this.pos = p + 1;
        return b;
      }
    }
    return this.uvarintSlow();
  }

  private uvarintSlow(): number {
    let result = 0;
    let factor = 1;
    for (let i = 0; i < 5; i++) {
      if (this.pos >= this.end) this.need(1);
      const b = this.buf[this.pos++] as number;
      if (i === 4 && b > 0x0f) throw new ProtocolError("unsigned varint overflows 32 bits");
      result += (b & 0x7f) * factor;
      if ((b & 0x80) === 0) return result;
      factor *= 128;
    }
    throw new ProtocolError("unsigned varint longer than 5 bytes");
  }

  /** Zig-zag encoded signed 32-bit varint. */
  varint(): number {
    const u = this.uvarint();
    return u % 2 === 0 ? u / 2 : -(u + 1) / 2;
  }

  /** Zig-zag encoded signed 64-bit varint (at most 10 bytes). */
  varlong(): bigint {
    let result = 0n;
    let shift = 0n;
    for (let i = 0; i < 10; i++) {
      this.need(1);
      const b = this.buf[this.pos++] as number;
      result |= BigInt(b & 0x7f) << shift;
      if ((b & 0x80) === 0) {
        result = BigInt.asUintN(64, result);
        return (result >> 1n) ^ -(result & 1n);
      }
      shift += 7n;
    }
    throw new ProtocolError("varlong longer than 10 bytes");
  }

  /** UUID as lowercase 8-4-4-4-12 hex text. */
  uuid(): string {
    this.need(16);
    const b = this.buf;
    const p = this.pos;
    let s = "";
    for (let i = 0; i < 16; i++) {
      if (i === 4 || i === 6 || i === 8 || i === 10) s += "-";
      s += UUID_HEX[b[p + i] as number];
    }
    this.pos += 16;
    return s;
  }

  /** Length of a classic (int16-prefixed) string: -1 for null. */
  stringLength(): number {
    const n = this.int16();
    if (n < -1) throw new ProtocolError(`invalid string length ${n}`);
    return n;
  }

  /** Length of a compact (unsigned-varint N+1 prefixed) string/bytes/array: -1 for null. */
  compactLength(): number {
    return this.uvarint() - 1;
  }

  /** Length of classic int32-prefixed bytes or array: -1 for null. */
  int32Length(): number {
    const n = this.int32();
    if (n < -1) throw new ProtocolError(`invalid length ${n}`);
    return n;
  }

  /** UTF-8 text of `n` bytes. */
  utf8(n: number): string {
    this.need(n);
    const s = this.buf.toString("utf8", this.pos, this.pos + n);
    this.pos += n;
    return s;
  }

  /** A view (no copy) of the next `n` bytes. */
  view(n: number): Buffer {
    this.need(n);
    const v = this.buf.subarray(this.pos, this.pos + n);
    this.pos += n;
    return v;
  }

  /** A copy of the next `n` bytes (so long-lived values do not pin the whole request frame). */
  copy(n: number): Buffer {
    this.need(n);
    const v = Buffer.allocUnsafe(n);
    this.buf.copy(v, 0, this.pos, this.pos + n);
    this.pos += n;
    return v;
  }

  /** Classic non-null string. */
  string(): string {
    const n = this.stringLength();
    if (n < 0) throw new ProtocolError("null value for a non-nullable string");
    return this.utf8(n);
  }

  /** Classic nullable string. */
  nullableString(): string | null {
    const n = this.stringLength();
    return n < 0 ? null : this.utf8(n);
  }

  /** Compact non-null string. */
  compactString(): string {
    const n = this.compactLength();
    if (n < 0) throw new ProtocolError("null value for a non-nullable compact string");
    return this.utf8(n);
  }

  /** Compact nullable string. */
  compactNullableString(): string | null {
    const n = this.compactLength();
    return n < 0 ? null : this.utf8(n);
  }

  /** Skips `n` bytes. */
  skipBytes(n: number): void {
    this.need(n);
    this.pos += n;
  }
}
