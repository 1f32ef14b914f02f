import { Token } from "cdktf";
import type { IConstruct } from "constructs";
import type { z } from "zod";
import { SluiceValidationError } from "./sluice-validation-error";

/**
 * Validates construct props against a zod schema at construction time. Values that are unresolved
 * tokens (known only at deploy time) are skipped: they cannot be checked before Terraform runs.
 * Throws a {@link SluiceValidationError} for the first problem, naming the construct path.
 */
export function validateProps<T extends object>(
  scope: IConstruct,
  schema: z.ZodType,
  props: T,
): void {
  const resolved: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(props)) {
    if (value === undefined || Token.isUnresolved(value)) continue;
    resolved[key] = value;
  }
  const result = schema.safeParse(resolved);
  if (result.success) return;
  const issue = result.error.issues[0];
  if (issue === undefined) return;
  const field = issue.path.map(String).join(".") || "(props)";
  const given = issue.path.reduce<unknown>(
    (value, key) =>
      value !== null && typeof value === "object"
        ? (value as Record<PropertyKey, unknown>)[key as PropertyKey]
        : undefined,
    resolved,
  );
  throw new SluiceValidationError(scope.node.path, field, given, issue.message);
}

/** True when a value is known at synth time (not a token). */
export function isResolved(value: unknown): boolean {
  return value !== undefined && !Token.isUnresolved(value);
}
