import fc from "fast-check";
import { afterAll, describe, expect, it } from "vitest";
import {
  type ApiKey,
  compileMessage,
  decodeRequest,
  isSupportedVersion,
  MESSAGE_SCHEMAS,
  type MessageSchema,
  ProtocolError,
  parseVersions,
  Reader,
  readRequestHeader,
  Writer,
} from "../../../lib/broker/protocol";
import { messageArb } from "./arbitraries";
import { GOLDEN_SOURCES, loadGolden } from "./golden-corpus";

/**
 * Fuzzing of every decoder: random bytes, and mutations of valid encodings (generated values and
 * the golden corpus of real client frames). Every input must either decode or throw ProtocolError —
 * never another error type, never a hang. SLUICE_FUZZ_RUNS scales the inputs per decoder.
 */
const RUNS = Number(process.env["SLUICE_FUZZ_RUNS"] ?? 200);

let inputs = 0;
let rejected = 0;

/** Decodes with `decode`; only ProtocolError may escape. */
function mustOnlyThrowProtocolError(decode: () => unknown): void {
  inputs++;
  try {
    decode();
  } catch (err) {
    if (!(err instanceof ProtocolError)) throw err;
    rejected++;
  }
}

/** Byte-level mutations a hostile or broken peer could produce. */
const mutation = fc.oneof(
  fc.record({
    kind: fc.constant("flip" as const),
    at: fc.nat(),
    value: fc.integer({ min: 0, max: 255 }),
  }),
  fc.record({ kind: fc.constant("truncate" as const), at: fc.nat() }),
  fc.record({
    kind: fc.constant("insert" as const),
    at: fc.nat(),
    bytes: fc.uint8Array({ minLength: 1, maxLength: 8 }),
  }),
  fc.record({
    kind: fc.constant("extreme" as const),
    at: fc.nat(),
    value: fc.constantFrom(0x7fffffff, -1, -2, 0x80000000 | 0, 0x7fff, 0xffff, 0x40000000),
  }),
  fc.record({ kind: fc.constant("varint" as const), at: fc.nat() }),
);
type Mutation = typeof mutation extends fc.Arbitrary<infer T> ? T : never;

function mutate(input: Buffer, mutations: Mutation[]): Buffer {
  let b = Buffer.from(input);
  for (const m of mutations) {
    if (b.length === 0) break;
    const at = m.at % b.length;
    switch (m.kind) {
      case "flip":
        b[at] = m.value;
        break;
      case "truncate":
        b = b.subarray(0, at);
        break;
      case "insert":
        b = Buffer.concat([b.subarray(0, at), Buffer.from(m.bytes), b.subarray(at)]);
        break;
      case "extreme":
        if (at + 4 <= b.length) b.writeInt32BE(m.value, at);
        else if (at + 2 <= b.length) b.writeInt16BE((m.value << 16) >> 16, at);
        break;
      case "varint":
        // a run of continuation bytes: overlong/huge unsigned varints (compact lengths, tag counts)
        b.fill(0xff, at, Math.min(b.length, at + 6));
        break;
    }
  }
  return b;
}

function allSchemas(): MessageSchema[] {
  return Object.values(MESSAGE_SCHEMAS).flatMap((s) => [s.request, s.response]);
}

function versionsOf(schema: MessageSchema): number[] {
  const r = parseVersions(schema.versions);
  return Array.from({ length: r.max - r.min + 1 }, (_, i) => r.min + i);
}

function encodeValue(schema: MessageSchema, version: number, v: Record<string, unknown>): Buffer {
  const w = new Writer(64);
  compileMessage(schema, version).encode(w, v);
  return w.finishOne();
}

describe("fuzzing every decoder only ever throws ProtocolError", () => {
  afterAll(() => {
    // The count is part of the report (README of lib/broker/protocol documents how to scale it).
    console.log(
      `protocol fuzz: ${inputs} inputs, ${rejected} rejected with ProtocolError, 0 crashes`,
    );
  });

  for (const schema of allSchemas()) {
    for (const version of versionsOf(schema)) {
      it(`${schema.name} v${version}`, () => {
        const compiled = compileMessage(schema, version);
        const decode = (b: Buffer) => () => compiled.decode(new Reader(b));
        const random = fc.uint8Array({ maxLength: 96 }).map((a) => Buffer.from(a));
        const mutated = fc
          .tuple(messageArb(schema, version), fc.array(mutation, { minLength: 1, maxLength: 4 }))
          .map(([v, ms]) => mutate(encodeValue(schema, version, v), ms));
        fc.assert(
          fc.property(fc.oneof(random, mutated, mutated), (b) => {
            mustOnlyThrowProtocolError(decode(b));
          }),
          { numRuns: RUNS },
        );
      });
    }
  }

  const corpus = GOLDEN_SOURCES.flatMap((source) => loadGolden(source)).map((g) =>
    Buffer.from(g.hex, "hex").subarray(4),
  );
  it("mutated real client frames through header + body decoding", () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...corpus),
        fc.array(mutation, { minLength: 1, maxLength: 4 }),
        (frame, ms) => {
          const b = mutate(frame, ms);
          mustOnlyThrowProtocolError(() => {
            const h = readRequestHeader(b);
            if (!isSupportedVersion(h.apiKey, h.apiVersion)) return;
            decodeRequest(h.apiKey as ApiKey, h.apiVersion, b, h.bodyOffset);
          });
        },
      ),
      { numRuns: RUNS * 20 },
    );
  });

  it("counts every input", () => {
    expect(inputs).toBeGreaterThan(0);
  });
});
