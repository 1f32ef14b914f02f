/** One problem found in a manifest, located by a readable path such as `topics[2].partitions`. */
export interface ManifestIssue {
  /** Where, e.g. `topics[2].partitions` (empty for the document itself). */
  readonly path: string;
  /** What is wrong and, where possible, how to fix it. */
  readonly message: string;
}

/** A manifest that is not valid JSON, not the right shape, or inconsistent. */
export class ManifestError extends Error {
  /** Every problem found (not only the first). */
  readonly issues: readonly ManifestIssue[];

  constructor(issues: readonly ManifestIssue[], source?: string) {
    const where = source ? ` ${source}` : "";
    const lines = issues.map((i) => `  - ${i.path === "" ? "(document)" : i.path}: ${i.message}`);
    super(`invalid manifest${where}:\n${lines.join("\n")}`);
    this.name = "ManifestError";
    this.issues = issues;
  }
}

/** Formats a zod-style path (`["topics", 2, "partitions"]`) as `topics[2].partitions`. */
export function formatIssuePath(path: readonly PropertyKey[]): string {
  let out = "";
  for (const part of path) {
    if (typeof part === "number") out += `[${part}]`;
    else out += out === "" ? String(part) : `.${String(part)}`;
  }
  return out;
}
