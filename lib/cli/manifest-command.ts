import { EXIT_CODES } from "../exit-codes";
import { manifestHash } from "../manifest/canonical";
import { manifestJsonSchema } from "../manifest/json-schema";
import { parseManifest } from "../manifest/parse-manifest";
import type { CliIo } from "./cli-io";
import { UsageError } from "./usage-error";

/** Usage text of `sluice manifest`. */
export const MANIFEST_USAGE = `usage: sluice manifest validate FILE   check a manifest, print a summary
       sluice manifest hash FILE       print the manifest's canonical SHA-256
       sluice manifest schema          print the manifest's JSON Schema`;

/** `sluice manifest validate|hash FILE`; returns the exit code. */
export function manifestCommand(argv: readonly string[], io: CliIo): number {
  const [sub, file, ...rest] = argv;
  if (sub === "--help" || sub === "help") {
    io.out(MANIFEST_USAGE);
    return EXIT_CODES.ok;
  }
  if (sub === "schema" && file === undefined) {
    io.out(JSON.stringify(manifestJsonSchema(), null, 2));
    return EXIT_CODES.ok;
  }
  if ((sub !== "validate" && sub !== "hash") || file === undefined || rest.length > 0) {
    throw new UsageError(MANIFEST_USAGE);
  }
  let text: string;
  try {
    text = io.readFile(file);
  } catch (e) {
    io.err(`error: cannot read ${file}: ${e instanceof Error ? e.message : e}`);
    return EXIT_CODES.error;
  }
  const m = parseManifest(text, file);
  if (sub === "hash") {
    io.out(manifestHash(m));
    return EXIT_CODES.ok;
  }
  io.out(
    `${file}: valid (${m.topics.length} topics, ${m.principals.length} principals, ${m.tenants.length} tenants, ${m.acls.length} ACLs, ${m.quotas.length} quotas; hash ${manifestHash(m).slice(0, 12)})`,
  );
  return EXIT_CODES.ok;
}
