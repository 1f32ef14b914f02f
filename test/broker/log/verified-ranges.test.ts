import { describe, expect, it } from "vitest";
import { VerifiedRanges } from "../../../lib/broker/log/verified-ranges";

describe("VerifiedRanges: the bytes of a segment known sound since open", () => {
  it("covers only what was added, whole", () => {
    const r = new VerifiedRanges();
    expect(r.covers(0, 1)).toBe(false);
    r.add(100, 200);
    expect(r.covers(100, 200)).toBe(true);
    expect(r.covers(150, 160)).toBe(true);
    expect(r.covers(99, 150)).toBe(false);
    expect(r.covers(150, 201)).toBe(false);
    expect(r.covers(300, 310)).toBe(false);
  });

  it("merges touching and overlapping ranges, so a sequential reader keeps one", () => {
    const r = new VerifiedRanges();
    for (let p = 0; p < 10_000; p += 100) r.add(p, p + 100);
    expect(r.size).toBe(1);
    expect(r.covers(0, 10_000)).toBe(true);
    r.add(20_000, 20_100);
    r.add(15_000, 15_100);
    expect(r.size).toBe(3);
    r.add(9_000, 20_050); // spans the gap and both later ranges
    expect(r.size).toBe(1);
    expect(r.covers(0, 20_100)).toBe(true);
  });

  it("keeps a bounded number of ranges under random reads", () => {
    const r = new VerifiedRanges();
    for (let i = 0; i < 2_000; i++) r.add(i * 1_000, i * 1_000 + 10);
    expect(r.size).toBeLessThanOrEqual(256);
    expect(r.covers(1_999_000, 1_999_010)).toBe(true);
  });
});
