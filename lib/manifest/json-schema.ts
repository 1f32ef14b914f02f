import { z } from "zod";
import { manifestSchema } from "./schema";

/**
 * The manifest's JSON Schema (draft 2020-12) as authors write it (defaults optional), for editors
 * and other tools. Cross-reference rules (unique names, declared principals, disjoint prefixes)
 * are only checked by `parseManifest`.
 */
export function manifestJsonSchema(): Record<string, unknown> {
  return {
    ...z.toJSONSchema(manifestSchema, { io: "input" }),
    $id: "https://sluice.dev/schemas/manifest-v1.json",
    title: "Sluice manifest (sluice.dev/v1)",
  };
}
