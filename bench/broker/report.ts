/** Markdown, JSON and SVG outputs of a benchmark run. */
import * as fs from "node:fs";
import * as path from "node:path";
import { type ChartRow, renderChart } from "./chart";
import type { MachineInfo } from "./machine";
import { LIMITS, SCENARIOS, type ScenarioDef } from "./scenarios";
import { type Summary, summarize } from "./stats";

/** Everything one run measured (the JSON file). */
export interface BenchResult {
  readonly started: string;
  readonly finished: string;
  readonly quick: boolean;
  readonly repeats: number;
  readonly plan: Record<string, unknown>;
  readonly machine: MachineInfo;
  readonly loadAverage: { readonly start: number[]; readonly end: number[] };
  readonly latencyRates: { readonly r25: number; readonly r50: number } | null;
  readonly samples: Record<string, { sluice: number[]; kafka: number[] }>;
  readonly limits: Record<string, number[]>;
  readonly notes: readonly string[];
}

/** One row of the comparison. */
export interface Row {
  readonly def: ScenarioDef;
  readonly sluice: Summary | null;
  readonly kafka: Summary | null;
  readonly ratio: number | null;
  readonly met: boolean | null;
}

/** Median ratio Sluice / Kafka per scenario and whether its goal is met. */
export function rows(r: BenchResult): Row[] {
  return SCENARIOS.map((def) => {
    const s = summarize(r.samples[def.id]?.sluice ?? []);
    const k = summarize(r.samples[def.id]?.kafka ?? []);
    const ratio = s && k && k.median > 0 ? s.median / k.median : null;
    const met =
      ratio === null || !def.goal
        ? null
        : def.goal.op === ">="
          ? ratio >= def.goal.ratio
          : ratio <= def.goal.ratio;
    return { def, sluice: s, kafka: k, ratio, met };
  });
}

function fmt(x: number): string {
  if (x >= 100) return x.toFixed(0);
  if (x >= 10) return x.toFixed(1);
  return x.toFixed(2);
}

function cell(s: Summary | null): string {
  if (!s) return "—";
  return s.n > 1 ? `${fmt(s.median)} (${fmt(s.min)}–${fmt(s.max)})` : fmt(s.median);
}

/** The Markdown report. */
export function markdown(r: BenchResult): string {
  const out: string[] = [];
  const m = r.machine;
  out.push(
    `# Sluice vs Apache Kafka ${m.kafka} — ${r.started.slice(0, 16).replace("T", " ")} UTC${r.quick ? " (quick)" : ""}`,
  );
  out.push("");
  out.push(
    `${m.nproc} × ${m.cpu}, ${m.memoryGiB} GiB, ${m.kernel}, disk ${m.disk}; Node ${m.node}; ${m.java}; kcat: ${m.kcat.trim()}.`,
  );
  out.push(
    `Load average (1/5/15 min) at start ${r.loadAverage.start.map((x) => x.toFixed(2)).join(" / ")}, at end ${r.loadAverage.end.map((x) => x.toFixed(2)).join(" / ")} — the machine was shared.`,
  );
  out.push(
    `${r.repeats} repeat(s); cells are median (min–max); ratio = Sluice median / Kafka median. 1 KiB records. MB = 2^20 bytes.`,
  );
  if (r.latencyRates) {
    out.push(
      `Latency rates: ${r.latencyRates.r25} and ${r.latencyRates.r50} records/s (25% / 50% of Sluice's acks=1 maximum in repeat 1).`,
    );
  }
  out.push("");
  out.push("| scenario | unit | Sluice | Kafka | Sluice/Kafka | goal | met |");
  out.push("| --- | --- | ---: | ---: | ---: | --- | --- |");
  for (const row of rows(r)) {
    const goal = row.def.goal ? `${row.def.goal.op} ${row.def.goal.ratio}×` : "";
    const met = row.met === null ? "" : row.met ? "yes" : "no";
    out.push(
      `| ${row.def.label} | ${row.def.unit} | ${cell(row.sluice)} | ${cell(row.kafka)} | ${row.ratio === null ? "—" : `${fmt(row.ratio)}×`} | ${goal} | ${met} |`,
    );
  }
  out.push("");
  out.push("## Physical limits (same run)");
  out.push("");
  out.push("| limit | unit | median (min–max) |");
  out.push("| --- | --- | ---: |");
  for (const l of LIMITS)
    out.push(`| ${l.label} | ${l.unit} | ${cell(summarize(r.limits[l.id] ?? []))} |`);
  const raw = summarize(r.limits["raw.sync16k"] ?? []);
  const fs1 = summarize(r.samples["produce.fsync.p1"]?.sluice ?? []);
  if (raw && fs1) {
    const x = fs1.median / raw.median;
    out.push("");
    out.push(
      `Sluice fsync-per-ack produce (1 partition) / raw 16 KiB writes with an fdatasync each: **${fmt(x)}×** (goal >= 0.7×: ${x >= 0.7 ? "met" : "not met"}).`,
    );
  }
  if (r.notes.length > 0) {
    out.push("");
    out.push("## Notes and failures");
    out.push("");
    for (const n of r.notes) out.push(`- ${n}`);
  }
  out.push("");
  return out.join("\n");
}

/** Writes `<date>-broker[-quick].{json,md,svg}` under `dir`; returns the paths. */
export function writeResults(r: BenchResult, dir: string): string[] {
  fs.mkdirSync(dir, { recursive: true });
  const base = path.join(dir, `${r.started.slice(0, 10)}-broker${r.quick ? "-quick" : ""}`);
  const chartRows: ChartRow[] = rows(r)
    .filter((x) => x.def.chart)
    .map((x) => ({
      label: x.def.label,
      unit: x.def.unit,
      sluice: x.sluice?.median ?? null,
      kafka: x.kafka?.median ?? null,
      ratio: x.ratio,
      met: x.met,
      goal: x.def.goal ? `${x.def.goal.op} ${x.def.goal.ratio}×` : "",
    }));
  fs.writeFileSync(`${base}.json`, `${JSON.stringify(r, null, 2)}\n`);
  fs.writeFileSync(`${base}.md`, `${markdown(r)}\n![chart](${path.basename(base)}.svg)\n`);
  fs.writeFileSync(
    `${base}.svg`,
    renderChart(
      chartRows,
      `Sluice vs Apache Kafka ${r.machine.kafka} (median of ${r.repeats}; ${r.started.slice(0, 10)})`,
    ),
  );
  return [`${base}.json`, `${base}.md`, `${base}.svg`];
}
