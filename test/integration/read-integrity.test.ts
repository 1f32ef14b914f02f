import { spawnSync } from "node:child_process";
import { readdirSync, readFileSync, statSync, truncateSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { flipBit, overwrite, segmentFiles } from "../broker/log/helpers";
import { createTopics, uniqueName } from "./support/admin";
import { BrokerUnderTest, targetFromEnv } from "./support/broker-under-test";
import { repoRoot, runJava } from "./support/clients";
import { kcat, kcatProduce, kcatTimeoutMs } from "./support/kcat";
import { runChecked } from "./support/run-command";

// Disk damage to a stopped Sluice broker's data directory (segments, indexes, every state file),
// then a restart — after a clean stop and after SIGKILL — read back with kcat (librdkafka, which
// does not check CRCs) and the Java client with check.crcs off and on. Sluice only: Apache Kafka
// has its own tool (kafka-dump-log.sh --verify) and serves what it finds after a clean restart.

/** Small segments, so each partition has several sealed ones and an active one. */
const SEGMENT_BYTES = 32 * 1024;
const RECORDS = 800;
const PAD = "x".repeat(200);

interface Batch {
  readonly file: string;
  readonly position: number;
  readonly size: number;
  readonly base: number;
  readonly last: number;
}

/** The batches of a segment file, by their framing (read before the damage). */
function batchesOf(file: string): Batch[] {
  const buf = readFileSync(file);
  const out: Batch[] = [];
  for (let p = 0; p + 61 <= buf.length; ) {
    const size = buf.readInt32BE(p + 8) + 12;
    const base = Number(buf.readBigInt64BE(p));
    out.push({ file, position: p, size, base, last: base + buf.readInt32BE(p + 23) });
    p += size;
  }
  return out;
}

/** What one kind of damage did: offsets it destroyed and files `verify` must name as damaged. */
interface Damaged {
  readonly lost: Set<number>;
  readonly files: string[];
}

/** Offsets of the batches of `file` overlapping bytes [from, to). */
function lostIn(batches: Batch[], file: string, from: number, to: number): Set<number> {
  const lost = new Set<number>();
  for (const b of batches) {
    if (b.file !== file || b.position + b.size <= from || b.position >= to) continue;
    for (let o = b.base; o <= b.last; o++) lost.add(o);
  }
  return lost;
}

type Damage = (pdir: string, segments: string[], batches: Batch[]) => Damaged;

/** One topic per kind of damage (plus one left alone): each must not disturb the others. */
const damages: Record<string, Damage> = {
  healthy: () => ({ lost: new Set(), files: [] }),
  "zeroed-page-sealed": (_d, segs, batches) => {
    const seg = segs[1] as string;
    overwrite(seg, 2000, Buffer.alloc(4096));
    return { lost: lostIn(batches, seg, 2000, 6096), files: [seg] };
  },
  "zeroed-page-active": (_d, segs, batches) => {
    const seg = segs.at(-1) as string;
    const inSeg = batches.filter((b) => b.file === seg);
    // A page over the second batch onwards, with sound batches after it.
    const from = (inSeg[1] as Batch).position + 10;
    const to = Math.min(from + 4096, (inSeg.at(-2) as Batch).position);
    overwrite(seg, from, Buffer.alloc(to - from));
    return { lost: lostIn(batches, seg, from, to), files: [seg] };
  },
  "bit-flip-header": (_d, segs, batches) => {
    const seg = segs[2] as string;
    const first = batches.find((b) => b.file === seg) as Batch;
    flipBit(seg, first.position + 27); // firstTimestamp: inside the CRC's span
    return { lost: lostIn(batches, seg, first.position, first.position + 1), files: [seg] };
  },
  "bit-flip-payload": (_d, segs, batches) => {
    const seg = segs.at(-1) as string;
    const inSeg = batches.filter((b) => b.file === seg);
    const mid = inSeg[Math.floor(inSeg.length / 2)] as Batch;
    flipBit(seg, mid.position + mid.size - 3);
    return { lost: lostIn(batches, seg, mid.position, mid.position + 1), files: [seg] };
  },
  "truncated-sealed": (_d, segs, batches) => {
    const seg = segs[1] as string;
    const size = statSync(seg).size;
    truncateSync(seg, size - 100);
    return { lost: lostIn(batches, seg, size - 100, size), files: [seg] };
  },
  "damaged-indexes": (_d, segs) => {
    const index = (segs[1] as string).replace(/\.log$/, ".index");
    const good = readFileSync(index);
    const wrong = Buffer.from(good);
    wrong.writeInt32BE(wrong.readInt32BE(12) + 7, 12); // entry 1 points past its batch
    writeFileSync(index, wrong);
    const timeIndex = (segs[2] as string).replace(/\.log$/, ".timeindex");
    writeFileSync(timeIndex, Buffer.alloc(7));
    return { lost: new Set(), files: [index, timeIndex] };
  },
  "damaged-partition-json": (pdir) => {
    const meta = join(pdir, "partition.json");
    writeFileSync(meta, '{"topic": "dam');
    return { lost: new Set(), files: [meta] };
  },
  "damaged-snapshots": (pdir) => {
    const snaps = readdirSync(pdir)
      .filter((n) => n.endsWith(".snapshot"))
      .map((n) => join(pdir, n));
    for (const s of snaps) writeFileSync(s, '{"version":1,"producers":[{"id":');
    return { lost: new Set(), files: snaps };
  },
};

/** Data-directory state files, damaged in every run (each has a good previous copy). */
const STATE_FILES = ["broker.json", "topics.json", "producer-ids.json"];

interface Finding {
  file: string;
  severity: "damage" | "note";
  what: string;
}

function verify(dataDir: string): { status: number | null; findings: Finding[]; text: string } {
  const res = spawnSync(
    join(repoRoot, "bin", "sluice-broker"),
    ["verify", "--data-dir", dataDir, "--json"],
    {
      encoding: "utf8",
      timeout: 120_000,
    },
  );
  const report = JSON.parse(res.stdout) as { findings: Finding[] };
  return { status: res.status, findings: report.findings, text: res.stdout + res.stderr };
}

/** `offset value` pairs of partition 0 with kcat, from the beginning to the end. */
async function kcatRead(bootstrap: string, topic: string): Promise<Map<number, string>> {
  const res = await runChecked(
    kcat,
    ["-b", bootstrap, "-C", "-t", topic, "-p", "0", "-o", "beginning", "-e", "-f", "%o %s\\n"],
    { timeoutMs: kcatTimeoutMs },
  );
  const out = new Map<number, string>();
  for (const line of res.stdout.split("\n")) {
    if (line.length === 0) continue;
    const space = line.indexOf(" ");
    out.set(Number(line.slice(0, space)), line.slice(space + 1));
  }
  return out;
}

interface JavaRead {
  records: { t: string; p: number; o: number; v: string }[];
  errors: { error: string }[];
  timedOut: boolean;
}

async function javaRead(bootstrap: string, topics: string[], checkCrcs: boolean) {
  const res = (await runJava(
    "ReadPartitions",
    { bootstrap, topics: topics.join(","), "check-crcs": String(checkCrcs), "timeout-ms": 90_000 },
    120_000,
  )) as JavaRead;
  const byTopic = new Map<string, Map<number, string>>(topics.map((t) => [t, new Map()]));
  for (const r of res.records) byTopic.get(r.t)?.set(r.o, r.v);
  return { byTopic, errors: res.errors, timedOut: res.timedOut };
}

/**
 * What a consumer read must be: every pair one that was acknowledged (no changed value, nothing
 * invented), and every acknowledged offset outside the damaged bytes present.
 */
function expectSound(
  label: string,
  read: Map<number, string>,
  acked: Map<number, string>,
  lost: Set<number>,
): void {
  const altered = [...read].filter(([o, v]) => acked.get(o) !== v);
  expect(altered, `${label}: records that differ from what was acknowledged`).toEqual([]);
  const missing = [...acked.keys()].filter((o) => !lost.has(o) && !read.has(o));
  expect(missing, `${label}: acknowledged records outside the damage not read`).toEqual([]);
}

const target = targetFromEnv();
let broker: BrokerUnderTest | undefined;
afterEach(async () => {
  await broker?.stop();
  broker = undefined;
});

describe.skipIf(target !== "sluice")("read-path integrity after disk damage (sluice)", () => {
  for (const signal of ["SIGTERM", "SIGKILL"] as const) {
    it(`serves no damaged batch and every record outside the damage, restarted after ${signal}`, async () => {
      const b = await BrokerUnderTest.start("sluice", {
        sluiceFlags: ["--log-segment-bytes", String(SEGMENT_BYTES)],
      });
      broker = b;
      const run = uniqueName("dmg");
      const topics = Object.keys(damages).map((k) => `${run}-${k}`);
      await createTopics(
        b.bootstrap,
        topics.map((topic) => ({ topic, partitions: 1 })),
      );
      // Idempotent producers (so producer snapshots exist), many small batches.
      const acked = new Map<string, Map<number, string>>();
      for (const topic of topics) {
        const lines = Array.from({ length: RECORDS }, (_, i) => `k${i % 17}:${topic}-${i}-${PAD}`);
        await kcatProduce(["-b", b.bootstrap], topic, lines, [
          "-X",
          "enable.idempotence=true",
          "-X",
          "batch.num.messages=10",
        ]);
        // What was produced is the reference (a value after `-K :`), one partition, offsets in order;
        // the broker first serves exactly that.
        const produced = new Map(lines.map((line, i) => [i, line.slice(line.indexOf(":") + 1)]));
        expect(await kcatRead(b.bootstrap, topic)).toEqual(produced);
        acked.set(topic, produced);
      }

      await b.halt(signal);
      const dataDir = b.sluiceDataDir;
      const expected = new Map<string, Damaged>();
      for (const [kind, damage] of Object.entries(damages)) {
        const topic = `${run}-${kind}`;
        const pdir = join(dataDir, `${topic}-0`);
        const segments = segmentFiles(pdir);
        expect(segments.length, `${topic} has sealed segments`).toBeGreaterThanOrEqual(4);
        const done = damage(pdir, segments, segments.flatMap(batchesOf));
        if (/page|flip|truncated/.test(kind))
          expect(done.lost.size, `${kind} destroys records`).toBeGreaterThan(0);
        expected.set(topic, done);
      }
      for (const name of STATE_FILES) writeFileSync(join(dataDir, name), "{\u0000\u0000");

      // The offline check names every damaged file, and nothing of the untouched partition.
      const checked = verify(dataDir);
      expect(checked.status, checked.text).toBe(1);
      const damagedFiles = new Set(
        checked.findings.filter((f) => f.severity === "damage").map((f) => f.file),
      );
      const wanted = [
        ...STATE_FILES.map((n) => join(dataDir, n)),
        ...[...expected.values()].flatMap((d) => d.files),
      ];
      expect(
        wanted.filter((f) => !damagedFiles.has(f)),
        checked.text,
      ).toEqual([]);
      expect([...damagedFiles].filter((f) => f.includes(`${run}-healthy-0`))).toEqual([]);

      await b.startAgain();
      for (const topic of topics) {
        const { lost } = expected.get(topic) as Damaged;
        expectSound(
          `kcat ${topic}`,
          await kcatRead(b.bootstrap, topic),
          acked.get(topic) as Map<number, string>,
          lost,
        );
      }
      const [unchecked, checkedCrcs] = await Promise.all([
        javaRead(b.bootstrap, topics, false),
        javaRead(b.bootstrap, topics, true),
      ]);
      for (const [label, read] of [
        ["java check.crcs=false", unchecked],
        ["java check.crcs=true", checkedCrcs],
      ] as const) {
        expect(read.timedOut, label).toBe(false);
        // A CRC failure in the client (CorruptRecordException) would mean a damaged batch was sent.
        expect(read.errors, label).toEqual([]);
        for (const topic of topics) {
          const { lost } = expected.get(topic) as Damaged;
          expectSound(
            `${label} ${topic}`,
            read.byTopic.get(topic) as Map<number, string>,
            acked.get(topic) as Map<number, string>,
            lost,
          );
        }
      }
      const log = b.logTail(200_000);
      expect(log).toContain("damaged bytes");
      expect(log).toContain("started from its previous copy");
    }, 400_000);
  }
});
