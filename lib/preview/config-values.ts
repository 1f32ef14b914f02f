import { normalizeConfigValue, topicConfigDef } from "../broker/server/topic-configs";

/**
 * A topic config's effective value: normalised as Kafka parses it, and Kafka's default when the
 * model does not set it — so `604800000` written out equals an unset `retention.ms`.
 */
export function effectiveConfigValue(name: string, value: string | undefined): string | undefined {
  const def = topicConfigDef(name);
  if (def === undefined) return value;
  return normalizeConfigValue(def, value ?? def.defaultValue);
}

/** Kafka's default of a topic config, or undefined for a config Kafka does not know. */
export function defaultConfigValue(name: string): string | undefined {
  return topicConfigDef(name)?.defaultValue;
}

const DURATION_UNITS: readonly [string, number][] = [
  ["d", 86_400_000],
  ["h", 3_600_000],
  ["min", 60_000],
  ["s", 1000],
];
const BYTE_UNITS: readonly [string, number][] = [
  ["TiB", 1024 ** 4],
  ["GiB", 1024 ** 3],
  ["MiB", 1024 ** 2],
  ["KiB", 1024],
];
/** Kafka's "never" for long-valued configs. */
const LONG_MAX = "9223372036854775807";

/** A number in the largest unit that divides it exactly: `604800000` ms → `7d`, 1073741824 → `1 GiB`. */
function inUnits(n: number, units: readonly [string, number][], base: string, sep: string): string {
  for (const [unit, size] of units) {
    if (n !== 0 && n % size === 0) return `${n / size}${sep}${unit}`;
  }
  return `${n}${sep}${base}`;
}

/** A config value for people: durations and sizes in units, -1 and Long.MAX as words. */
export function displayConfigValue(name: string, value: string | undefined): string {
  if (value === undefined) return "(unset)";
  if (value === LONG_MAX) return "never";
  const n = Number(value);
  if (!/^-?\d+$/.test(value) || !Number.isSafeInteger(n)) return value;
  if (name.endsWith(".ms")) return n === -1 ? "forever" : inUnits(n, DURATION_UNITS, "ms", "");
  if (name.endsWith(".bytes")) return n === -1 ? "unlimited" : inUnits(n, BYTE_UNITS, "B", " ");
  return value;
}

/** Compares two effective numeric values; NaN when either is not a number. -1 counts as infinite. */
export function compareLimits(before: string | undefined, after: string | undefined): number {
  const rank = (v: string | undefined): number => {
    if (v === undefined) return Number.NaN;
    if (v === "-1" || v === LONG_MAX) return Number.POSITIVE_INFINITY;
    return Number(v);
  };
  return Math.sign(rank(after) - rank(before));
}

/** A byte count in units (`2 MiB`), for limits and rates that are not topic configs. */
export function displayBytes(value: unknown): string {
  if (typeof value !== "number" || !Number.isSafeInteger(value))
    return value === undefined ? "(unset)" : String(value);
  return inUnits(value, BYTE_UNITS, "B", " ");
}
