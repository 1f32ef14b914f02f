import { describe, expect, it } from "vitest";
import { dockerCpusString } from "../../../lib/targets/docker/docker-cpus";

describe("dockerCpusString (matches what the provider reads back)", () => {
  it.each([
    [1, "1.0"],
    [2, "2.0"],
    [1.5, "1.5"],
    [0.25, "0.25"],
    [0.1, "0.1"],
    [11, "11.0"],
    // The provider's quirk: "10.000000000" holds ten zeros, so it is trimmed, not shortened.
    [10, "10."],
    [20, "20."],
    // "0.000000001" also holds nine zeros.
    [0.000000001, "0.0"],
  ])("%d → %s", (cpus, text) => {
    expect(dockerCpusString(cpus)).toBe(text);
  });
});
