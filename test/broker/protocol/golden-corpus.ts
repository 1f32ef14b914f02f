import { readFileSync } from "node:fs";
import { join } from "node:path";

/**
 * Corpora: kafkajs and @platformatic/kafka frames come from their request encoders
 * (golden/capture.mjs); librdkafka (kcat, confluent-kafka), kafka-python and Java (kafka-clients
 * 4.3) frames were sent over TCP by the real clients to a fake broker (golden/capture-clients.ts).
 */
export type GoldenSource = "kafkajs" | "platformatic" | "librdkafka" | "kafka-python" | "java";

/** Every corpus. */
export const GOLDEN_SOURCES: readonly GoldenSource[] = [
  "kafkajs",
  "platformatic",
  "librdkafka",
  "kafka-python",
  "java",
];

/** One captured request frame (size prefix included). */
export interface GoldenFrame {
  name: string;
  apiKey: number;
  version: number;
  hex: string;
}

/** Loads a corpus of captured frames. */
export function loadGolden(source: GoldenSource): GoldenFrame[] {
  const file = join(__dirname, "golden", `${source}.json`);
  return (JSON.parse(readFileSync(file, "utf8")) as { frames: GoldenFrame[] }).frames;
}
