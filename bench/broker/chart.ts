/**
 * A dependency-free SVG chart: one group per scenario with a Sluice bar and a Kafka bar, each
 * group scaled to its own larger value (units differ between scenarios), the values at the bar
 * ends and the ratio Sluice/Kafka coloured by whether its goal is met.
 */

/** One group of bars. */
export interface ChartRow {
  readonly label: string;
  readonly unit: string;
  readonly sluice: number | null;
  readonly kafka: number | null;
  readonly ratio: number | null;
  readonly met: boolean | null;
  readonly goal: string;
}

function esc(s: string): string {
  return s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
}

function num(x: number): string {
  return x >= 100 ? x.toFixed(0) : x >= 10 ? x.toFixed(1) : x.toFixed(2);
}

/** Renders the chart. */
export function renderChart(rows: readonly ChartRow[], title: string): string {
  const W = 1000;
  const labelW = 380;
  const barMax = 400;
  const rowH = 54;
  const top = 64;
  const H = top + rows.length * rowH + 20;
  const o: string[] = [];
  o.push(
    `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" viewBox="0 0 ${W} ${H}" font-family="sans-serif" font-size="13">`,
  );
  o.push(`<rect width="${W}" height="${H}" fill="#fff"/>`);
  o.push(`<text x="16" y="24" font-size="16" font-weight="bold">${esc(title)}</text>`);
  o.push(
    `<rect x="16" y="36" width="14" height="12" fill="#2b7bb9"/><text x="36" y="47">Sluice</text>`,
  );
  o.push(
    `<rect x="96" y="36" width="14" height="12" fill="#9a9a9a"/><text x="116" y="47">Apache Kafka</text>`,
  );
  o.push(
    `<text x="${W - 16}" y="47" text-anchor="end" fill="#555">ratio Sluice/Kafka (goal) — green: goal met, red: not met</text>`,
  );
  rows.forEach((r, i) => {
    const y = top + i * rowH;
    const max = Math.max(r.sluice ?? 0, r.kafka ?? 0, 1e-9);
    if (i % 2 === 0)
      o.push(`<rect x="0" y="${y - 4}" width="${W}" height="${rowH}" fill="#f4f6f8"/>`);
    // Two lines, so that long labels stay clear of the bars: the name, then the detail and unit.
    const cut = r.label.indexOf(" (");
    const name = cut > 0 ? r.label.slice(0, cut) : r.label;
    const detail = cut > 0 ? `${r.label.slice(cut + 1)} · ${r.unit}` : r.unit;
    o.push(`<text x="16" y="${y + 20}">${esc(name)}</text>`);
    o.push(`<text x="16" y="${y + 38}" fill="#777" font-size="11">${esc(detail)}</text>`);
    const bars: [number | null, string, number][] = [
      [r.sluice, "#2b7bb9", y + 6],
      [r.kafka, "#9a9a9a", y + 26],
    ];
    for (const [v, color, by] of bars) {
      if (v === null) {
        o.push(`<text x="${labelW}" y="${by + 13}" fill="#b00">no result</text>`);
        continue;
      }
      const w = Math.max(1, (v / max) * barMax);
      o.push(`<rect x="${labelW}" y="${by}" width="${w.toFixed(1)}" height="16" fill="${color}"/>`);
      o.push(`<text x="${(labelW + w + 6).toFixed(1)}" y="${by + 13}">${num(v)}</text>`);
    }
    const ratio = r.ratio === null ? "—" : `${num(r.ratio)}×`;
    const color = r.met === null ? "#333" : r.met ? "#1a7f37" : "#c62828";
    o.push(
      `<text x="${W - 16}" y="${y + 26}" text-anchor="end" font-weight="bold" fill="${color}">${ratio}${r.goal ? ` (${esc(r.goal)})` : ""}</text>`,
    );
  });
  o.push("</svg>");
  return `${o.join("\n")}\n`;
}
