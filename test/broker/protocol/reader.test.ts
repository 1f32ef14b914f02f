import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { ProtocolError, Reader, Writer } from "../../../lib/broker/protocol";

function written(fn: (w: Writer) => void): Buffer {
  const w = new Writer(8);
  fn(w);
  return w.finishOne();
}

describe("Reader", () => {
  it("round-trips fixed-width integers and floats (big-endian)", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: -128, max: 127 }),
        fc.integer({ min: -32768, max: 32767 }),
        fc.integer(),
        fc.bigInt({ min: -(2n ** 63n), max: 2n ** 63n - 1n }),
        fc.double({ noNaN: true }),
        fc.integer({ min: 0, max: 0xffffffff }),
        (i8, i16, i32, i64, f64, u32) => {
          const b = written((w) => {
            w.int8(i8);
            w.int16(i16);
            w.int32(i32);
            w.int64(i64);
            w.float64(f64);
            w.uint32(u32);
          });
          const r = new Reader(b);
          expect([r.int8(), r.int16(), r.int32(), r.int64(), r.float64(), r.uint32()]).toEqual([
            i8,
            i16,
            i32,
            i64,
            f64,
            u32,
          ]);
          expect(r.remaining).toBe(0);
        },
      ),
    );
  });

  it("round-trips unsigned varints, zig-zag varints and varlongs", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 0xffffffff }),
        fc.integer(),
        fc.bigInt({ min: -(2n ** 63n), max: 2n ** 63n - 1n }),
        (u, s, l) => {
          const r = new Reader(
            written((w) => {
              w.uvarint(u);
              w.varint(s);
              w.varlong(l);
            }),
          );
          expect(r.uvarint()).toBe(u);
          expect(r.varint()).toBe(s);
          expect(r.varlong()).toBe(l);
        },
      ),
    );
  });

  it("encodes varints as Kafka does (LEB128, zig-zag)", () => {
    expect(written((w) => w.uvarint(300))).toEqual(Buffer.from([0xac, 0x02]));
    expect(written((w) => w.varint(-1))).toEqual(Buffer.from([0x01]));
    expect(written((w) => w.varint(1))).toEqual(Buffer.from([0x02]));
    expect(written((w) => w.varlong(-64n))).toEqual(Buffer.from([0x7f]));
  });

  it("rejects overlong or overflowing varints", () => {
    expect(() => new Reader(Buffer.from([0xff, 0xff, 0xff, 0xff, 0x1f])).uvarint()).toThrow(
      ProtocolError,
    );
    expect(() => new Reader(Buffer.alloc(11, 0xff)).varlong()).toThrow(ProtocolError);
  });

  it("reads classic and compact strings, null included", () => {
    const b = written((w) => {
      w.string("héllo");
      w.string(null);
      w.compactString("x");
      w.compactString(null);
    });
    const r = new Reader(b);
    expect(r.string()).toBe("héllo");
    expect(r.nullableString()).toBeNull();
    expect(r.compactString()).toBe("x");
    expect(r.compactNullableString()).toBeNull();
  });

  it("refuses null for non-nullable strings", () => {
    expect(() => new Reader(Buffer.from([0xff, 0xff])).string()).toThrow(ProtocolError);
    expect(() => new Reader(Buffer.from([0])).compactString()).toThrow(ProtocolError);
  });

  it("round-trips UUIDs as lowercase hex text", () => {
    fc.assert(
      fc.property(fc.uuid(), (u) => {
        expect(new Reader(written((w) => w.uuid(u))).uuid()).toBe(u.toLowerCase());
      }),
    );
  });

  it("throws ProtocolError, not RangeError, when input is truncated", () => {
    const r = new Reader(Buffer.from([0, 0, 0]));
    expect(() => r.int32()).toThrow(ProtocolError);
    expect(() => new Reader(Buffer.from([0, 5, 0x61])).string()).toThrow(ProtocolError);
  });

  it("checks a hostile length against the bytes left before allocating", () => {
    const r = new Reader(Buffer.from([0x7f, 0xff, 0xff, 0xff]));
    const n = r.int32Length();
    expect(() => r.copy(n)).toThrow(/truncated/);
  });

  it("rejects lengths below -1", () => {
    expect(() => new Reader(Buffer.from([0xff, 0xfe])).stringLength()).toThrow(ProtocolError);
    expect(() => new Reader(Buffer.from([0xff, 0xff, 0xff, 0xfe])).int32Length()).toThrow(
      ProtocolError,
    );
  });

  it("honours its end bound", () => {
    const r = new Reader(Buffer.from([1, 2, 3, 4]), 1, 3);
    expect(r.remaining).toBe(2);
    expect(() => r.int32()).toThrow(ProtocolError);
  });

  it("copies bytes but returns views for records", () => {
    const src = Buffer.from([1, 2, 3]);
    const copied = new Reader(src).copy(3);
    const viewed = new Reader(src).view(3);
    src[0] = 9;
    expect(copied[0]).toBe(1);
    expect(viewed[0]).toBe(9);
  });
});
