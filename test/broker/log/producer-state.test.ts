import { describe, expect, it } from "vitest";
import { LogError } from "../../../lib/broker/log";
import { lastSequence, ProducerState } from "../../../lib/broker/log/producer-state";

const batch = (firstSeq: number, lastSeq: number, firstOffset: number) => ({
  firstSeq,
  lastSeq,
  firstOffset,
  lastOffset: firstOffset + lastSeq - firstSeq,
});

describe("ProducerState", () => {
  it("wraps sequence numbers after INT32_MAX", () => {
    expect(lastSequence(2147483646, 3)).toBe(0);
    const s = new ProducerState();
    s.record(1, 0, batch(0, 0, 0));
    s.set(1, {
      epoch: 0,
      batches: [{ firstSeq: 2147483640, lastSeq: 2147483647, firstOffset: 5, lastOffset: 12 }],
    });
    expect(s.check(1, 0, 0, 4).kind).toBe("append");
  });

  it("throws typed errors with Kafka codes", () => {
    const s = new ProducerState();
    s.record(1, 5, batch(0, 9, 0));
    const codeOf = (f: () => unknown): number => {
      try {
        f();
      } catch (e) {
        return e instanceof LogError ? e.errorCode : -100;
      }
      return 0;
    };
    expect(codeOf(() => s.check(1, 4, 10, 10))).toBe(47);
    expect(codeOf(() => s.check(1, 5, 11, 11))).toBe(45);
    expect(codeOf(() => s.check(2, 0, 1, 1))).toBe(45);
    expect(codeOf(() => s.check(1, 5, 10, 12))).toBe(0);
  });

  it("round-trips through a snapshot", () => {
    const s = new ProducerState();
    for (let i = 0; i < 7; i++) s.record(42, 1, batch(i * 2, i * 2 + 1, i * 2));
    const t = new ProducerState();
    expect(t.load(s.serialize(14))).toBe(14);
    expect(t.get(42)).toEqual(s.get(42));
    expect(t.get(42)?.batches).toHaveLength(5);
    expect(new ProducerState().load(Buffer.from("{bad json"))).toBeUndefined();
  });
});
