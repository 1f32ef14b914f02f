/**
 * A state file of the data directory (`broker.json`, `topics.json`, a partition's `partition.json`) that
 * cannot be read as what it should be: the error names the file and what the operator can do, instead
 * of a bare `SyntaxError`.
 */
export class DamagedStateFileError extends Error {
  constructor(
    /** The damaged file. */
    readonly file: string,
    /** What is wrong with it. */
    readonly detail: string,
    /** What to do about it. */
    readonly remedy: string,
  ) {
    super(`${file} is damaged (${detail}); ${remedy}`);
    this.name = "DamagedStateFileError";
  }
}

/** Parses a JSON state file, or throws {@link DamagedStateFileError} naming it and the remedy. */
export function parseStateFile(file: string, text: string, remedy: string): unknown {
  try {
    return JSON.parse(text);
  } catch (e) {
    throw new DamagedStateFileError(
      file,
      e instanceof Error ? `not valid JSON: ${e.message}` : "not valid JSON",
      remedy,
    );
  }
}
