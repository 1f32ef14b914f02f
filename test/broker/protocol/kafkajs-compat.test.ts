import { existsSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  ApiKey,
  compileMessage,
  decodeRequest,
  MESSAGE_SCHEMAS,
  type MessageSchema,
  parseVersions,
  readRequestHeader,
  Writer,
} from "../../../lib/broker/protocol";
import { messageArb } from "./arbitraries";
import { loadGolden } from "./golden-corpus";

/**
 * Our response encoders against kafkajs's own response decoders (fixed-format versions): every
 * generated response must decode, and kafkajs's decoder must end exactly at the last byte.
 */
const req = createRequire(join(__dirname, "../../../package.json"));
const requestsDir = join(dirname(req.resolve("kafkajs/package.json")), "src/protocol/requests");

interface KafkajsDecoder {
  buffer: Buffer;
  offset: number;
}
const Decoder = req("kafkajs/src/protocol/decoder.js") as {
  prototype: Record<string, unknown>;
};

// Remember every kafkajs Decoder that reads, so the one over our body can be checked afterwards.
const touched = new Set<KafkajsDecoder>();
for (const name of Object.getOwnPropertyNames(Decoder.prototype)) {
  const original = Decoder.prototype[name];
  if (name === "constructor" || typeof original !== "function") continue;
  Decoder.prototype[name] = function (this: KafkajsDecoder, ...args: unknown[]) {
    touched.add(this);
    return (original as (...a: unknown[]) => unknown).apply(this, args);
  };
}

type Decode = (raw: Buffer) => Promise<unknown>;

const RUNS = Number(process.env["SLUICE_COMPAT_RUNS"] ?? 25);

/** A real record batch (magic 2, two records) as kafkajs produced it, from the golden corpus. */
function goldenBatch(): Buffer {
  const g = loadGolden("kafkajs").find((x) => x.name === "produce-v7");
  if (g === undefined) throw new Error("golden produce-v7 missing");
  const body = Buffer.from(g.hex, "hex").subarray(4);
  const h = readRequestHeader(body);
  const records = decodeRequest(ApiKey.Produce, 7, body, h.bodyOffset).topicData[0]
    ?.partitionData[0]?.records;
  if (!records) throw new Error("no records in golden produce-v7");
  return records;
}
const batch = goldenBatch();

function encodeBody(schema: MessageSchema, version: number, v: Record<string, unknown>): Buffer {
  const w = new Writer();
  compileMessage(schema, version).encode(w, v);
  return w.finishOne();
}

const cases: { schema: MessageSchema; version: number; decode: Decode }[] = [];
for (const { response } of Object.values(MESSAGE_SCHEMAS)) {
  const base = response.name.replace(/Response$/, "");
  const dir = `${base[0]?.toLowerCase()}${base.slice(1)}`;
  const r = parseVersions(response.versions);
  for (let v = r.min; v <= r.max; v++) {
    const file = join(requestsDir, dir, `v${v}`, "response.js");
    if (!existsSync(file)) continue;
    const mod = req(file) as { decode?: Decode };
    if (mod.decode) cases.push({ schema: response, version: v, decode: mod.decode });
  }
}

describe("kafkajs decodes our responses to the last byte", () => {
  it("covers the fixed-format versions kafkajs implements", () => {
    expect(cases.length).toBeGreaterThan(60);
  });

  for (const { schema, version, decode } of cases) {
    it(`${schema.name} v${version}`, async () => {
      await fc.assert(
        fc.asyncProperty(
          messageArb(schema, version, (_name, field) =>
            // kafkajs parses record batches in Fetch responses: give it real ones
            field.kind === "records"
              ? fc.constantFrom(Buffer.alloc(0), batch, Buffer.concat([batch, batch]))
              : undefined,
          ),
          async (value) => {
            const body = encodeBody(schema, version, value);
            touched.clear();
            await decode(body);
            const top = [...touched].find((d) => d.buffer === body);
            expect(top?.offset).toBe(body.length);
          },
        ),
        { numRuns: RUNS },
      );
    });
  }

  it("reads the records of a Fetch v11 response given as a list of batches", async () => {
    const second = Buffer.from(batch);
    second.writeBigInt64BE(2n, 0); // baseOffset is outside the CRC, as a broker rewrites it
    const w = new Writer();
    compileMessage(MESSAGE_SCHEMAS[ApiKey.Fetch].response, 11).encode(w, {
      throttleTimeMs: 0,
      errorCode: 0,
      sessionId: 0,
      responses: [
        {
          topic: "t1",
          partitions: [
            {
              partitionIndex: 0,
              errorCode: 0,
              highWatermark: 4n,
              lastStableOffset: 4n,
              logStartOffset: 0n,
              abortedTransactions: [],
              preferredReadReplica: -1,
              records: [batch, second],
            },
          ],
        },
      ],
    });
    const decode = req(join(requestsDir, "fetch/v11/response.js")).decode as Decode;
    const out = (await decode(w.finishOne())) as {
      responses: {
        topicName: string;
        partitions: { messages: { offset: string; value: Buffer }[] }[];
      }[];
    };
    expect(out.responses[0]?.topicName).toBe("t1");
    const messages = out.responses[0]?.partitions[0]?.messages ?? [];
    expect(messages.map((m) => m.offset)).toEqual(["0", "1", "2", "3"]);
    expect(messages.map((m) => m.value.toString())).toEqual(["v1", "v2", "v1", "v2"]);
  });
});
