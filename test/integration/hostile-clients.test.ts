import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTopics, uniqueName } from "./support/admin";
import { BrokerUnderTest, type Credentials, targetFromEnv } from "./support/broker-under-test";
import {
  fillPartition,
  mib,
  peakResident,
  pipelinedFetches,
  sendPartialFrames,
} from "./support/hostile-probes";
import { kcatConsumeAll, kcatProduce } from "./support/kcat";
import { MemoryCgroup, residentBytes } from "./support/memory-cgroup";

/**
 * The memory probes of the bounded-memory issue, against the broker selected by SLUICE_TARGET: an
 * attacker with only network access sends huge frames before authenticating, stalls ten huge
 * partial frames on a plaintext listener, and pipelines eight 2^31−1-byte fetches of a 512 MiB
 * partition at a broker held in a 3 GiB memory cgroup. Both brokers get the same limits
 * (`queued.max.request.bytes` 256 MiB; `fetch.max.bytes` and `sasl.server.max.receive.size` at
 * Kafka's defaults). Sluice's bounds are asserted; every figure is printed ("hostile-probe …") so
 * the same run against Apache Kafka gives the comparison.
 */

const target = targetFromEnv();
const MiB = 1024 * 1024;
const POOL = 256 * MiB;
const FETCH_MAX_BYTES = 55 * MiB;
const limits = {
  sluiceFlags: ["--queued-max-request-bytes", String(POOL)],
  kafkaProperties: [`queued.max.request.bytes=${POOL}`],
};
const superUser: Credentials = { user: "admin", password: "admin-secret-probe" };

function report(what: string, value: string | number): void {
  console.log(`hostile-probe ${target}: ${what}: ${value}`);
}

/**
 * A well-behaved client's kcat produce and consume of a new topic: "ok", or what failed. Asserted
 * for Sluice; reported for Kafka (whose request pool has no share kept for small requests).
 */
async function roundTrip(
  connect: readonly string[],
  bootstrap: string,
  sasl = false,
): Promise<string> {
  try {
    const topic = uniqueName("probe-kcat");
    await createTopics(
      bootstrap,
      [{ topic, partitions: 1 }],
      sasl
        ? { sasl: { mechanism: "plain", username: superUser.user, password: superUser.password } }
        : {},
    );
    const lines = ["k1:still", "k2:serving"];
    await kcatProduce(connect, topic, lines, ["-p", "0"]);
    const got = await kcatConsumeAll(connect, topic, 0);
    return JSON.stringify(got) === JSON.stringify(lines) ? "ok" : `consumed ${JSON.stringify(got)}`;
  } catch (e) {
    return `failed: ${(e instanceof Error ? e.message : String(e)).split("\n")[0]}`;
  }
}

/** Checks a round trip (Sluice) and reports it. */
async function expectRoundTrip(
  when: string,
  connect: readonly string[],
  bootstrap: string,
  sasl = false,
): Promise<void> {
  const outcome = await roundTrip(connect, bootstrap, sasl);
  report(`kcat round trip ${when}`, outcome);
  if (target === "sluice") expect(outcome).toBe("ok");
}

/**
 * Against Sluice the probes assert; against Apache Kafka they only measure and report (the bounds are
 * Sluice's own memory design), and the titles say so, so a green Kafka run is not read as Kafka
 * passing them.
 */
const kind = target === "sluice" ? "" : " (measurements only: nothing is asserted of Kafka)";

describe(`hostile clients against ${target}${kind}: frames before SASL authentication`, () => {
  let broker: BrokerUnderTest;
  beforeAll(async () => {
    broker = await BrokerUnderTest.start(target, { sasl: { tls: false, superUser }, ...limits });
  });
  afterAll(async () => {
    await broker?.stop();
  });

  it("closes ten connections that send a 100,000,000-byte size prefix at once, and keeps serving", async () => {
    const pid = broker.pid ?? 0;
    const before = residentBytes(pid);
    const probe = await sendPartialFrames(broker.port, 10, 100_000_000, 95_000_000, 500);
    const after = residentBytes(pid);
    await probe.close();
    const closed = probe.closedAfterMs.map((ms) => (ms === null ? "open" : `${ms.toFixed(1)} ms`));
    report("pre-auth 100 MB frames closed after", closed.join(", "));
    report("pre-auth RSS before → after (MiB)", `${mib(before)} → ${mib(after)}`);
    report(
      "pre-auth MB handed to the kernel per connection",
      probe.bytesSent.map((b) => Math.round(b / 1e6)).join(","),
    );
    if (target === "sluice") {
      // "At once" is proven by bytes, not by a clock (a busy machine delays any close): every
      // connection is closed, and the broker read none of the 95 MB body it was sent — what the
      // client handed over is at most what the loopback socket buffers hold.
      for (const [i, ms] of probe.closedAfterMs.entries()) {
        expect(ms, `connection ${i} still open`).not.toBeNull();
        expect(probe.bytesSent[i]).toBeLessThan(16_000_000);
      }
      expect(after).toBeLessThan(POOL + 150 * MiB);
    }
    await expectRoundTrip(
      "after the pre-auth probe",
      [
        "-b",
        broker.bootstrap,
        "-X",
        "security.protocol=SASL_PLAINTEXT",
        "-X",
        "sasl.mechanisms=PLAIN",
        "-X",
        `sasl.username=${superUser.user}`,
        "-X",
        `sasl.password=${superUser.password}`,
      ],
      broker.bootstrap,
      true,
    );
  });
});

describe(`hostile clients against ${target}${kind}: plaintext listener, broker in a 3 GiB memory cgroup`, () => {
  let broker: BrokerUnderTest;
  let cgroup: MemoryCgroup;
  let pid: number;
  beforeAll(async () => {
    broker = await BrokerUnderTest.start(target, limits);
    pid = broker.pid ?? 0;
    cgroup = MemoryCgroup.create(`sluice-probe-${process.pid}-${target}`, 3 * 1024 * MiB);
    cgroup.add(pid);
  });
  afterAll(async () => {
    await broker?.stop();
    cgroup?.remove();
  });
  const connect = () => ["-b", broker.bootstrap];

  it("holds ten stalled 95 MB partial frames within the pool, twice without growing, serving kcat meanwhile", async () => {
    const rounds: number[] = [];
    const settled: number[] = [];
    for (let round = 1; round <= 2; round++) {
      const probe = await sendPartialFrames(broker.port, 10, 100_000_000, 95_000_000);
      const held = residentBytes(pid);
      // A client that behaves still gets through while the partial frames hold their share.
      await expectRoundTrip(
        `while round ${round}'s partial frames are held`,
        connect(),
        broker.bootstrap,
      );
      await probe.close();
      const afterClose = residentBytes(pid);
      rounds.push(held);
      settled.push(afterClose);
      report(
        `round ${round}: RSS with 10 partial frames held / after they closed (MiB)`,
        `${mib(held)} / ${mib(afterClose)}; MB handed to the kernel per connection: ${probe.bytesSent.map((b) => Math.round(b / 1e6)).join(",")}`,
      );
    }
    if (target === "sluice") {
      for (const rss of rounds) expect(rss).toBeLessThan(POOL + 150 * MiB);
      // The second round must fit in what the first left behind: compared with the higher of
      // round 1's two readings, since RSS after round 1's frames closed has read up to 31 MiB
      // above RSS while they were held (memory freed by the process is not all handed back to
      // the OS). A pool that grew per round would add its whole size (256 MiB) here.
      const before = Math.max(rounds[0] ?? 0, settled[0] ?? 0);
      expect(rounds[1] ?? 0).toBeLessThan(before + 32 * MiB);
    }
  });

  it("answers eight pipelined 2^31−1-byte fetches of a 512 MiB partition, each within fetch.max.bytes, and survives", async () => {
    const topic = uniqueName("probe-big");
    await createTopics(broker.bootstrap, [{ topic, partitions: 1 }]);
    report("before the fetch probe: RSS (MiB)", mib(residentBytes(pid)));
    const records = Math.ceil((512 * MiB) / 1_000_000);
    await fillPartition(broker.port, topic, 512 * MiB);
    const { result: answers, peakBytes } = await peakResident(pid, () =>
      pipelinedFetches(broker.port, topic, 8, 2 ** 31 - 1, records),
    );
    report(
      "8 pipelined fetches: record bytes per response (MiB)",
      answers.map((a) => mib(a.recordBytes)).join(", "),
    );
    report("8 pipelined fetches: peak RSS (MiB)", mib(peakBytes));
    report("cgroup OOM kills", cgroup.oomKills());
    expect(answers.map((a) => a.correlationId)).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
    for (const a of answers) {
      expect(a.recordBytes).toBeGreaterThan(0);
      expect(a.recordBytes).toBeLessThanOrEqual(FETCH_MAX_BYTES);
    }
    expect(cgroup.oomKills()).toBe(0);
    expect(residentBytes(pid)).toBeGreaterThan(0);
    await expectRoundTrip("after the fetches", connect(), broker.bootstrap);
  });
});
