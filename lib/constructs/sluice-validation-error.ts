/**
 * A construct was given a value it cannot accept. The message names the construct path, the
 * field, the value given and what is allowed, so that it can be fixed without reading the source.
 */
export class SluiceValidationError extends Error {
  /** The error class name, for `instanceof`-free checks and logs. */
  override readonly name = "SluiceValidationError";

  /**
   * @param constructPath path of the construct in the tree, e.g. `sluice-local/cluster/orders`
   * @param field the prop (or derived setting) that is wrong, e.g. `partitions`
   * @param given the value that was given
   * @param allowed what would be accepted, and how to fix it
   */
  constructor(
    readonly constructPath: string,
    readonly field: string,
    readonly given: unknown,
    readonly allowed: string,
  ) {
    super(formatValidationMessage(constructPath, field, given, allowed));
  }
}

/** Renders a value for an error message: strings quoted, everything else as JSON. */
export function describeValue(value: unknown): string {
  if (value === undefined) return "undefined";
  if (typeof value === "string") return JSON.stringify(value);
  if (typeof value === "number" || typeof value === "boolean") return String(value);
  try {
    return JSON.stringify(value);
  } catch {
    return String(value);
  }
}

/** The one message format shared by construction-time and synth-time validation. */
export function formatValidationMessage(
  constructPath: string,
  field: string,
  given: unknown,
  allowed: string,
): string {
  return `${constructPath}: ${field} = ${describeValue(given)} is not allowed: ${allowed}`;
}
