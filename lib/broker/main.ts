/**
 * Entry point of `bin/sluice-broker` (run through tsx in a checkout, or bundled by esbuild into
 * `sluice-broker.mjs` for the image). Everything lives in `server/cli.ts`; this file only starts it.
 */
import { runBrokerCli } from "./server/cli";

/** Runs the broker CLI and exits with its code. */
export async function main(argv: readonly string[] = process.argv.slice(2)): Promise<void> {
  const code = await runBrokerCli(argv);
  process.exit(code);
}

// Run only as the entry module: under CommonJS (tsx, tsc output) `require.main === module`; in an ESM
// bundle `module` does not exist and the bundle is always the entry.
const isEntry = typeof module === "undefined" || require.main === module;
if (isEntry) {
  main().catch((e: unknown) => {
    process.stderr.write(
      `sluice-broker: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`,
    );
    process.exit(1);
  });
}
