import { describe, expect, it } from "vitest";
import {
  formatPreviewMarkdown,
  PREVIEW_COMMENT_MARKER,
  verdict,
} from "../../lib/preview/format-preview";
import type { Hazard, PlanPreview, PreviewChange } from "../../lib/preview/plan-preview";

/** A topic added, as compareCluster reports it. */
function topicAdded(name: string): PreviewChange {
  return {
    subject: "topic",
    name,
    action: "add",
    tenant: null,
    summary: "added: 3 partitions, retention.ms=7d",
    fields: [],
    consequence: "applied live",
  };
}

function deleted(name: string): Hazard {
  return {
    code: "TOPIC_DELETED",
    severity: "error",
    subject: "topic",
    name,
    reason: `topic ${name} is deleted by sluice apply (deletions include topics): every record in it is lost`,
    acknowledged: false,
  };
}

function preview(changes: PreviewChange[], hazards: Hazard[]): PlanPreview {
  return {
    version: 1,
    base: "base/cdktf.out",
    head: "head/cdktf.out",
    clusters: [{ cluster: "events", action: "change", changes, hazards }],
  };
}

describe("verdict", () => {
  it("counts hazards first, then changes by kind, then restarts", () => {
    const restart: PreviewChange = {
      ...topicAdded("all brokers"),
      subject: "broker",
      action: "change",
      consequence: "broker restart",
    };
    const p = preview(
      [topicAdded("a"), topicAdded("b"), topicAdded("c"), restart],
      [deleted("x"), deleted("y")],
    );
    expect(verdict(p)).toBe("2 hazards · 3 topics added · 1 broker changed · 1 broker restart");
  });

  it("says no changes for an empty preview", () => {
    expect(verdict({ ...preview([], []), clusters: [] })).toBe("no changes");
  });
});

describe("the pull-request comment (markdown)", () => {
  it("starts with the hidden marker and the verdict; hazards above the collapsed details", () => {
    const text = formatPreviewMarkdown(preview([topicAdded("orders")], [deleted("audit")]));
    const lines = text.split("\n");
    expect(lines[0]).toBe(PREVIEW_COMMENT_MARKER);
    expect(lines[1]).toBe("### Sluice plan: 1 hazard · 1 topic added");
    expect(text.indexOf("`TOPIC_DELETED`")).toBeLessThan(text.indexOf("<details>"));
    expect(text).toContain(
      "- `+` topic `orders`: added: 3 partitions, retention.ms=7d — *applied live*",
    );
  });

  it("stays under 65,536 characters with 5,000 changes: details cut, verdict and every hazard kept", () => {
    const changes = Array.from({ length: 5000 }, (_, i) => topicAdded(`topic-${i}`));
    const hazards = Array.from({ length: 50 }, (_, i) => deleted(`gone-${i}`));
    const text = formatPreviewMarkdown(preview(changes, hazards));
    expect(text.length).toBeLessThan(65_536);
    expect(text).toContain("### Sluice plan: 50 hazards · 5000 topics added");
    for (const h of hazards) expect(text).toContain(`\`${h.name}\``);
    expect(text).toMatch(/_\d+ more changes not shown, to stay under GitHub's comment limit/);
    expect(text).toContain("</details>");
  });

  it("lists 2,000 hazards compactly (no reasons) rather than dropping any", () => {
    const hazards = Array.from({ length: 2000 }, (_, i) => deleted(`t${i}`));
    const text = formatPreviewMarkdown(preview([], hazards));
    expect(text.length).toBeLessThan(65_536);
    for (const h of hazards) expect(text).toContain(`\`${h.name}\``);
    expect(text).not.toContain("every record in it is lost");
  });

  it("escapes table cells: a pipe or a tag in a reason cannot break the comment", () => {
    const text = formatPreviewMarkdown(preview([], [{ ...deleted("a"), reason: "x | <script>" }]));
    expect(text).toContain("x \\| &lt;script>");
  });
});
