/**
 * Zig-zag varints as used inside Kafka records. Values are JS numbers; 64-bit varlongs are exact
 * below 2^53 (timestamps deltas and lengths stay far below).
 */

/** Cursor over a buffer for decoding; `pos` advances. */
export interface Cursor {
  readonly buf: Buffer;
  pos: number;
}

/** Decodes one zig-zag varint/varlong. Throws RangeError on truncation or overlong encodings. */
export function readVarint(c: Cursor): number {
  let raw = 0;
  let mul = 1;
  for (let i = 0; i < 10; i++) {
    if (c.pos >= c.buf.length) throw new RangeError("varint truncated");
    const b = c.buf[c.pos++] as number;
    raw += (b & 0x7f) * mul;
    if ((b & 0x80) === 0) {
      // zig-zag: even → positive, odd → negative
      return raw % 2 === 0 ? raw / 2 : -(raw + 1) / 2;
    }
    mul *= 128;
  }
  throw new RangeError("varint too long");
}

/** Number of bytes the zig-zag encoding of `v` takes. */
export function varintSize(v: number): number {
  let raw = v >= 0 ? v * 2 : -v * 2 - 1;
  let n = 1;
  while (raw >= 128) {
    raw = Math.floor(raw / 128);
    n++;
  }
  return n;
}

/** Writes the zig-zag encoding of `v` at `pos`; returns the position after it. */
export function writeVarint(buf: Buffer, v: number, pos: number): number {
  let raw = v >= 0 ? v * 2 : -v * 2 - 1;
  let p = pos;
  while (raw >= 128) {
    buf[p++] = (raw % 128) | 0x80;
    raw = Math.floor(raw / 128);
  }
  buf[p++] = raw;
  return p;
}
