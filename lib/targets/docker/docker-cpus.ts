/**
 * Formats a CPU count the way kreuzwerker/docker reads `cpus` back from the engine (its
 * `nanoInt64ToDecimalString`: nine decimals, then either one decimal when the digits hold exactly nine
 * zeros, or trailing zeros trimmed). Writing the same string avoids a perpetual diff, and since
 * `cpus` forces replacement, a broker replaced on every plan.
 */
export function dockerCpusString(cpus: number): string {
  const nano = Math.round(cpus * 1e9);
  if (nano === 0) return "0";
  const whole = Math.trunc(nano / 1e9);
  const fraction = String(nano % 1e9).padStart(9, "0");
  const str = `${whole}.${fraction}`;
  if ((str.match(/0/g) ?? []).length === 9) return `${whole}.${fraction.slice(0, 1)}`;
  return str.replace(/0+$/, "");
}
