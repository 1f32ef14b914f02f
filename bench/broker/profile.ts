/** Top self-time functions of a V8 `.cpuprofile` (what `node --cpu-prof` writes). */

interface ProfileNode {
  readonly id: number;
  readonly callFrame: {
    readonly functionName: string;
    readonly url: string;
    readonly lineNumber: number;
  };
  readonly hitCount?: number;
}

/** The parts of a `.cpuprofile` this reads. */
export interface CpuProfile {
  readonly nodes: readonly ProfileNode[];
  readonly samples?: readonly number[];
  readonly timeDeltas?: readonly number[];
}

/** A Markdown table of the `top` functions by self time (samples × interval), with shares. */
export function summarizeProfile(p: CpuProfile, top: number): string {
  const byNode = new Map<number, ProfileNode>(p.nodes.map((n) => [n.id, n]));
  const self = new Map<string, number>();
  let total = 0;
  const samples = p.samples ?? [];
  const deltas = p.timeDeltas ?? [];
  const add = (n: ProfileNode | undefined, us: number) => {
    if (!n) return;
    const f = n.callFrame;
    const file = f.url.replace(/^.*\/(node_modules\/|lib\/|bin\/)/, "$1").replace(/^file:\/\//, "");
    const key =
      `${f.functionName || "(anonymous)"} ${file ? `${file}:${f.lineNumber + 1}` : ""}`.trim();
    self.set(key, (self.get(key) ?? 0) + us);
    total += us;
  };
  if (samples.length > 0) {
    for (let i = 0; i < samples.length; i++) {
      add(byNode.get(samples[i] ?? -1), deltas[i] ?? 0);
    }
  } else {
    for (const n of p.nodes) add(n, n.hitCount ?? 0);
  }
  const rows = [...self.entries()].sort((a, b) => b[1] - a[1]).slice(0, top);
  const lines = ["| self % | self ms | function |", "| ---: | ---: | --- |"];
  for (const [k, us] of rows) {
    lines.push(
      `| ${((100 * us) / Math.max(1, total)).toFixed(1)} | ${(us / 1000).toFixed(0)} | \`${k}\` |`,
    );
  }
  return `${lines.join("\n")}\n\nTotal sampled: ${(total / 1e6).toFixed(1)} s.\n`;
}
