import { randomBytes } from "node:crypto";
import { describe, expect, it } from "vitest";
import { crc32c, crc32cImplementation, crc32cPortable } from "../../../lib/broker/log/crc32c";

describe("crc32c", () => {
  it("matches the standard check value for '123456789'", () => {
    expect(crc32c(Buffer.from("123456789"))).toBe(0xe3069283);
    expect(crc32cPortable(Buffer.from("123456789"))).toBe(0xe3069283);
  });

  it("portable slicing-by-8 equals the active implementation on random lengths", () => {
    for (let n = 0; n < 300; n += 7) {
      const b = randomBytes(n);
      expect(crc32cPortable(b)).toBe(crc32c(b));
    }
  });

  it("continues from an initial value like one pass over the concatenation", () => {
    const a = randomBytes(1000);
    const b = randomBytes(333);
    expect(crc32cPortable(b, crc32cPortable(a))).toBe(crc32c(Buffer.concat([a, b])));
  });

  it("uses the native module here (installed in this environment)", () => {
    expect(crc32cImplementation).toBe("native");
  });
});
