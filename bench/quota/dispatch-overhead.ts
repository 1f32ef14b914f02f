/**
 * Cost of request-time accounting (request_percentage) on the request path: CPU ns per
 * `RequestDispatcher.process()` of a Heartbeat whose handler does nothing, so the dispatcher's own
 * work (decode, hooks, clock reads, encode) is all that is timed: the worst case for the relative
 * overhead. In-process, no sockets (the connection's two clock reads around a write are not in it).
 *
 *   npx tsx bench/quota/dispatch-overhead.ts [--base <git-rev>] [--ops N] [--rounds N]
 *
 * `--base` also runs the dispatcher of an older commit (extracted with `git archive` into a temp
 * directory), so "before" and "after" are measured in the same process, rounds interleaved.
 */
import { execSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { ApiKey, encodeRequest } from "../../lib/broker/protocol";
import { type BrokerServices, systemClock } from "../../lib/broker/server/broker-services";
import type { ResponseFrame } from "../../lib/broker/server/connection";
import { DynamicBrokerConfigs } from "../../lib/broker/server/dynamic-broker-configs";
import type { ApiHandler } from "../../lib/broker/server/handler";
import { memoryLogger } from "../../lib/broker/server/logger";
import { BrokerMetrics } from "../../lib/broker/server/metrics";
import type { DispatchConnection } from "../../lib/broker/server/request-dispatcher";
import type { ServerExtension } from "../../lib/broker/server/server-extension";
import type { QuotaEntity } from "../../lib/broker/tenancy/client-quotas";
import type { Tenancy } from "../../lib/broker/tenancy/tenancy";

const args = process.argv.slice(2);
const arg = (name: string): string | undefined => {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : undefined;
};
const OPS = Number(arg("--ops") ?? 100_000);
const ROUNDS = Number(arg("--rounds") ?? 7);
const baseRev = arg("--base");

/** The part of a dispatcher the benchmark calls (the old and the new class both have it). */
interface Dispatcher {
  process(frame: Buffer, conn: DispatchConnection): Promise<Buffer[] | ResponseFrame | null>;
}
type DispatcherClass = new (
  handlers: ReadonlyMap<number, ApiHandler>,
  services: () => BrokerServices,
  extension?: ServerExtension,
) => Dispatcher;
/** The part of a TenancyExtension the benchmark uses (old and new). */
interface Extension extends ServerExtension {
  attach(services: BrokerServices): Promise<void>;
  readonly tenancy: Tenancy;
}
/** One copy of the broker code: the dispatcher and tenancy extension classes it defines. */
interface Code {
  readonly RequestDispatcher: DispatcherClass;
  readonly TenancyExtension: new (options: object) => Extension;
}

const RESPONSE = { throttleTimeMs: 0, errorCode: 0 };
const handler: ApiHandler = { apiKey: ApiKey.Heartbeat, handle: () => RESPONSE };
const frame = encodeRequest(ApiKey.Heartbeat, 4, 1, "bench-client", {
  groupId: "g",
  generationId: 1,
  memberId: "m",
  groupInstanceId: null,
}).subarray(4);
const conn: DispatchConnection = {
  id: 1,
  remoteHost: "127.0.0.1",
  listenerName: "PLAINTEXT",
  tlsPrincipal: null,
  muteFor: () => undefined,
  closeAfterFlush: () => undefined,
};
const scratch = fs.mkdtempSync(path.join(os.tmpdir(), "sluice-bench-dispatch-"));
let dirs = 0;
// The dispatcher only logs and counts through its services; the handler ignores them.
const services = {
  metrics: new BrokerMetrics(),
  logger: memoryLogger(),
  config: { dataDir: "" },
  clock: systemClock,
  dynamicConfigs: new DynamicBrokerConfigs(),
};

/** A tenancy extension on its own data directory with the given request_percentage quotas. */
async function tenancy(code: Code, quotas: Array<[QuotaEntity, number]>): Promise<ServerExtension> {
  const ext = new code.TenancyExtension({});
  const dataDir = path.join(scratch, `t${dirs++}`);
  await ext.attach({ ...services, config: { dataDir } } as unknown as BrokerServices);
  await ext.tenancy.quotaConfig.alter(
    quotas.map(([entity, value]) => ({
      entity,
      ops: [{ key: "request_percentage", value, remove: false }],
    })),
  );
  return ext;
}

/**
 * Loads the broker code of a copy of `lib/`. Both the old and the current code are loaded from
 * copies, so neither shares its modules (and their JIT state) with this script.
 */
async function load(root: string): Promise<Code> {
  fs.symlinkSync(path.resolve(__dirname, "../../node_modules"), path.join(root, "node_modules"));
  const d: Pick<Code, "RequestDispatcher"> = await import(
    path.join(root, "lib/broker/server/request-dispatcher.ts")
  );
  const t: Pick<Code, "TenancyExtension"> = await import(
    path.join(root, "lib/broker/tenancy/tenancy-extension.ts")
  );
  return { RequestDispatcher: d.RequestDispatcher, TenancyExtension: t.TenancyExtension };
}

/**
 * CPU ns (user + system) per process() call over `OPS` sequential calls: on a shared machine CPU
 * time is far steadier than wall time, which also counts the time other processes hold the core.
 */
async function time(d: Dispatcher): Promise<number> {
  const start = process.cpuUsage();
  for (let i = 0; i < OPS; i++) {
    const res = await d.process(frame, conn);
    // What the connection does after writing a timed response (no socket here: 0 ms).
    if (res !== null && !Array.isArray(res)) res.written?.(0);
  }
  const used = process.cpuUsage(start);
  return ((used.user + used.system) * 1000) / OPS;
}

function median(xs: readonly number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)] ?? 0;
}

async function main(): Promise<void> {
  const cases: Array<[string, Dispatcher]> = [];
  const svc = () => services as unknown as BrokerServices;
  const handlers = new Map([[handler.apiKey, handler]]);
  if (baseRev !== undefined) {
    const baseDir = path.join(scratch, "base");
    fs.mkdirSync(baseDir);
    execSync(`git archive ${baseRev} lib | tar -x -C ${baseDir}`);
    const base = await load(baseDir);
    cases.push([`${baseRev}: no extension`, new base.RequestDispatcher(handlers, svc)]);
    cases.push([
      `${baseRev}: tenancy, no quota`,
      new base.RequestDispatcher(handlers, svc, await tenancy(base, [])),
    ]);
  }
  const nowDir = path.join(scratch, "now");
  fs.cpSync(path.resolve(__dirname, "../../lib"), path.join(nowDir, "lib"), { recursive: true });
  const now = await load(nowDir);
  const Now = now.RequestDispatcher;
  cases.push(["now: no extension", new Now(handlers, svc)]);
  cases.push(["now: tenancy, no quota", new Now(handlers, svc, await tenancy(now, []))]);
  cases.push([
    "now: tenancy, request quota on another user (timed, not charged)",
    new Now(handlers, svc, await tenancy(now, [[{ user: "other" }, 50]])),
  ]);
  cases.push([
    "now: tenancy, request quota on this client (timed and charged)",
    new Now(handlers, svc, await tenancy(now, [[{ user: "ANONYMOUS" }, 1e9]])),
  ]);
  // Same code as the first "now" row: how far two identical cases differ on this machine.
  cases.push(["now: no extension, second instance (noise control)", new Now(handlers, svc)]);
  const samples = cases.map((): number[] => []);
  for (const [, d] of cases) await time(d); // warm-up
  for (let r = 0; r < ROUNDS; r++) {
    for (const [i, [, d]] of cases.entries()) samples[i]?.push(await time(d));
  }
  const first = median(samples[0] ?? []);
  console.log(
    `| case | CPU ns per request, median (min–max) of ${ROUNDS} × ${OPS} | vs first row |`,
  );
  console.log("| --- | ---: | ---: |");
  for (const [i, [name]] of cases.entries()) {
    const xs = samples[i] ?? [];
    const m = median(xs);
    const range = `${Math.min(...xs).toFixed(0)}–${Math.max(...xs).toFixed(0)}`;
    const rel = `${m >= first ? "+" : ""}${((m / first - 1) * 100).toFixed(1)} %`;
    console.log(`| ${name} | ${m.toFixed(0)} (${range}) | ${i === 0 ? "—" : rel} |`);
  }
  console.log(
    `\n${os.cpus().length} × ${os.cpus()[0]?.model ?? "unknown"}, Node ${process.version}, load average ${os
      .loadavg()
      .map((x) => x.toFixed(2))
      .join(" ")}`,
  );
  fs.rmSync(scratch, { recursive: true, force: true });
}

main().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});
