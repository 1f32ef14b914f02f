import { describe, expect, it } from "vitest";
import { platformaticSkipNote, platformaticSupported } from "./platformatic-support";

describe("platformaticSupported", () => {
  it("follows @platformatic/kafka's engines range", () => {
    expect(platformaticSupported("20.9.0")).toBe(false);
    expect(platformaticSupported("20.19.3")).toBe(false);
    expect(platformaticSupported("20.19.4")).toBe(true);
    expect(platformaticSupported("20.20.2")).toBe(true);
    expect(platformaticSupported("22.17.9")).toBe(false);
    expect(platformaticSupported("22.18.0")).toBe(true);
    expect(platformaticSupported("24.5.0")).toBe(false);
    expect(platformaticSupported("24.6.0")).toBe(true);
    expect(platformaticSupported("26.0.0")).toBe(true);
  });

  it("explains a skip in the suite title", () => {
    expect(platformaticSkipNote("20.9.0")).toContain("skipped");
    expect(platformaticSkipNote("22.22.0")).toBe("");
  });
});
