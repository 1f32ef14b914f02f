import { describe, expect, it } from "vitest";
import { PASS_THROUGH_BYTES, ProtocolError, Writer } from "../../../lib/broker/protocol";

describe("Writer", () => {
  it("keeps small raw buffers in the working buffer", () => {
    const w = new Writer(64);
    w.int32(1);
    w.raw(Buffer.from([1, 2, 3]));
    expect(w.finish()).toHaveLength(1);
  });

  it("passes large raw buffers through as their own chunk (no copy)", () => {
    const big = Buffer.alloc(PASS_THROUGH_BYTES, 7);
    const w = new Writer(64);
    w.int32(big.length);
    w.raw(big);
    w.int16(5);
    const chunks = w.finish();
    expect(chunks).toHaveLength(3);
    expect(chunks[1]).toBe(big);
    expect(Buffer.concat(chunks).length).toBe(4 + big.length + 2);
  });

  it("grows across many writes without losing bytes", () => {
    const w = new Writer(4);
    for (let i = 0; i < 10_000; i++) w.int32(i);
    const all = w.finishOne();
    expect(all.length).toBe(40_000);
    expect(all.readInt32BE(4 * 9_999)).toBe(9_999);
    expect(w.length).toBe(40_000);
  });

  it("patches an int32 already written, even after chunks were flushed", () => {
    const w = new Writer(8);
    w.int32(0);
    for (let i = 0; i < 100; i++) w.int32(i);
    w.raw(Buffer.alloc(PASS_THROUGH_BYTES));
    w.patchInt32(0, 1234);
    expect(w.finishOne().readInt32BE(0)).toBe(1234);
  });

  it("rejects strings longer than an int16 length allows", () => {
    expect(() => new Writer().string("x".repeat(0x8000))).toThrow(ProtocolError);
  });

  it("rejects malformed UUID text", () => {
    expect(() => new Writer().uuid("not-a-uuid")).toThrow(ProtocolError);
  });
});
