import { describe, expect, it } from "vitest";
import { SampledRate, throttleTimeMs } from "../../../lib/broker/tenancy/sampled-rate";

describe("SampledRate", () => {
  it("counts a fresh sensor over at least (samples - 1) windows, as Kafka's Rate does", () => {
    const r = new SampledRate({ samples: 11, sampleMs: 1000 });
    r.record(10_000, 0);
    expect(r.windowMs(0)).toBe(10_000);
    expect(r.ratePerSecond(0)).toBe(1000);
  });

  it("measures a steady rate over the real elapsed time once the window is full", () => {
    const r = new SampledRate({ samples: 11, sampleMs: 1000 });
    for (let t = 0; t < 30_000; t += 100) r.record(100, t); // 1000 units/s
    const rate = r.ratePerSecond(29_950);
    expect(rate).toBeGreaterThan(900);
    expect(rate).toBeLessThan(1100);
  });

  it("forgets samples older than samples × sampleMs", () => {
    const r = new SampledRate({ samples: 3, sampleMs: 1000 });
    r.record(5000, 0);
    expect(r.ratePerSecond(10_000)).toBe(0);
  });

  it("computes throttle time as (rate - bound) / bound × window, capped at the whole window span", () => {
    const r = new SampledRate({ samples: 11, sampleMs: 1000 });
    r.record(20_000, 0); // 2000/s over the minimum 10 s window
    expect(throttleTimeMs(r, 1000, 0)).toBe(10_000); // (2000-1000)/1000 × 10 s
    expect(throttleTimeMs(r, 2000, 0)).toBe(0);
    const big = new SampledRate();
    big.record(1e9, 0);
    expect(throttleTimeMs(big, 1, 0)).toBe(11_000);
  });

  it("after waiting the throttle time, the rate is back at the bound", () => {
    const r = new SampledRate({ samples: 11, sampleMs: 1000 });
    for (let t = 0; t < 12_000; t += 100) r.record(150, t); // 1500/s
    const now = 11_950;
    const wait = throttleTimeMs(r, 1000, now);
    expect(wait).toBeGreaterThan(0);
    // With nothing sent meanwhile, the average over (window + wait) equals the bound.
    const total = r.ratePerSecond(now) * (r.windowMs(now) / 1000);
    expect(total / ((r.windowMs(now) + wait) / 1000)).toBeCloseTo(1000, -1);
  });
});
