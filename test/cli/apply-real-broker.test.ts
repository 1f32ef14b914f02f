import { execFile } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Broker } from "../../lib/broker/server/broker";
import { resolveConfig } from "../../lib/broker/server/config";
import { memoryLogger } from "../../lib/broker/server/logger";
import { PROCESS_IO } from "../../lib/cli/cli-io";
import { runCli } from "../../lib/cli/run-cli";

const run = promisify(execFile);

/** Runs the CLI in-process with captured output. */
async function sluice(argv: string[]): Promise<{ code: number; out: string[]; err: string[] }> {
  const out: string[] = [];
  const err: string[] = [];
  const code = await runCli(argv, {
    ...PROCESS_IO,
    out: (l) => out.push(l),
    err: (l) => err.push(l),
  });
  return { code, out, err };
}

describe("sluice apply against a real Sluice broker", () => {
  let broker: Broker;
  let bootstrap: string;
  let dir: string;
  const manifestPath = (name: string) => path.join(dir, name);

  beforeAll(async () => {
    dir = mkdtempSync(path.join(os.tmpdir(), "sluice-apply-"));
    const config = resolveConfig(
      {},
      {
        dataDir: path.join(dir, "data"),
        listeners: "PLAINTEXT://127.0.0.1:0",
        autoCreateTopics: false,
      },
    );
    broker = await Broker.start({ config, logger: memoryLogger() });
    bootstrap = `127.0.0.1:${broker.advertised()[0]?.port ?? 0}`;
    writeFileSync(
      manifestPath("v1.json"),
      JSON.stringify({
        apiVersion: "sluice.dev/v1",
        topics: [
          {
            name: "orders",
            partitions: 3,
            configs: { "retention.ms": "3600000", "cleanup.policy": "delete" },
          },
          { name: "audit", partitions: 1 },
        ],
      }),
    );
    writeFileSync(
      manifestPath("v2.json"),
      JSON.stringify({
        apiVersion: "sluice.dev/v1",
        deletions: ["topics"],
        topics: [
          {
            name: "orders",
            partitions: 5,
            configs: { "retention.ms": "7200000", "cleanup.policy": "delete" },
          },
        ],
      }),
    );
  });

  afterAll(async () => {
    await broker?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it("creates the topics, then the second run reports no changes", async () => {
    const first = await sluice(["apply", manifestPath("v1.json"), "--bootstrap", bootstrap]);
    expect(first).toEqual({
      code: 0,
      out: [
        "+ topic orders (3 partitions, retention.ms=3600000, cleanup.policy=delete)",
        "+ topic audit (1 partitions)",
        "applied 2 change(s)",
      ],
      err: [],
    });
    const second = await sluice(["apply", manifestPath("v1.json"), "--bootstrap", bootstrap]);
    expect(second).toEqual({ code: 0, out: ["no changes"], err: [] });
  });

  it("grows partitions, alters configs, deletes under the policy, and is idempotent again", async () => {
    const apply = await sluice(["apply", manifestPath("v2.json"), "--bootstrap", bootstrap]);
    expect(apply.code).toBe(0);
    expect(apply.out).toEqual([
      "~ topic orders: partitions 3 -> 5",
      "~ topic orders configs: retention.ms: 3600000 -> 7200000",
      "- topic audit (1 partitions; DATA IS DELETED)",
      "applied 3 change(s)",
    ]);
    expect(
      (await sluice(["apply", manifestPath("v2.json"), "--bootstrap", bootstrap])).out,
    ).toEqual(["no changes"]);
  });

  it("refuses to shrink partitions (exit 1, nothing applied)", async () => {
    const r = await sluice(["apply", manifestPath("v1.json"), "--bootstrap", bootstrap]);
    expect(r.code).toBe(1);
    expect(r.err[0]).toMatch(/asks for 3 partitions but it has 5; partitions can only grow/);
  });

  it("works through bin/sluice as a child process", async () => {
    const bin = path.join(__dirname, "..", "..", "bin", "sluice");
    const { stdout } = await run(bin, [
      "apply",
      manifestPath("v2.json"),
      "--bootstrap",
      bootstrap,
      "--dry-run",
    ]);
    expect(stdout).toBe("no changes\n");
  });
});
