import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import { defineConfig } from "vitest/config";

// apps/ import Sluice by its package name; tsconfig.json maps each entry point to its sources
// (.projenrc.ts writes it), and the same map serves here.
// Its only comment is projen's header line.
const tsconfigText = readFileSync("tsconfig.json", "utf8").replace(/^\/\/.*$/m, "");
const tsconfigDev = JSON.parse(tsconfigText) as {
  compilerOptions: { paths: Record<string, string[]> };
};
const alias = Object.entries(tsconfigDev.compilerOptions.paths).map(([name, [target]]) => ({
  find: new RegExp(`^${name}$`),
  replacement: resolve(target ?? ""),
}));

// Three suites: `unit` (npm test; Node and npm only), `integration` (real Kafka
// clients against a real broker) and `e2e` (real Docker + Terraform).
export default defineConfig({
  resolve: { alias },
  test: {
    projects: [
      {
        extends: true,
        test: {
          name: "unit",
          include: ["test/**/*.test.ts"],
          exclude: ["test/integration/**", "test/e2e/**", "test/consumer/**", "**/node_modules/**"],
          setupFiles: ["test/setup/cdktf-matchers.ts"],
          testTimeout: 30_000,
          hookTimeout: 30_000,
        },
      },
      {
        extends: true,
        test: {
          name: "integration",
          include: ["test/integration/**/*.test.ts"],
          testTimeout: 120_000,
          hookTimeout: 180_000,
          fileParallelism: false,
        },
      },
      {
        extends: true,
        test: {
          // npm pack, the tarball installed into a scratch app, synth from CommonJS and ESM.
          name: "consumer",
          include: ["test/consumer/**/*.test.ts"],
          testTimeout: 120_000,
          hookTimeout: 600_000,
          fileParallelism: false,
        },
      },
      {
        extends: true,
        test: {
          name: "e2e",
          include: ["test/e2e/**/*.test.ts"],
          setupFiles: ["test/setup/cdktf-matchers.ts"],
          testTimeout: 900_000,
          hookTimeout: 900_000,
          fileParallelism: false,
        },
      },
    ],
  },
});
