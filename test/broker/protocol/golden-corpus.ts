import { readFileSync } from "node:fs";
import { join } from "node:path";

/** One captured request frame (size prefix included), see golden/capture.mjs. */
export interface GoldenFrame {
  name: string;
  apiKey: number;
  version: number;
  hex: string;
}

/** Loads a corpus of captured frames. */
export function loadGolden(source: "kafkajs" | "platformatic"): GoldenFrame[] {
  const file = join(__dirname, "golden", `${source}.json`);
  return (JSON.parse(readFileSync(file, "utf8")) as { frames: GoldenFrame[] }).frames;
}
