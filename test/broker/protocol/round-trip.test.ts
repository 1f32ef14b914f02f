import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  compileMessage,
  MESSAGE_SCHEMAS,
  type MessageSchema,
  parseVersions,
  Reader,
  Writer,
} from "../../../lib/broker/protocol";
import { messageArb } from "./arbitraries";

const RUNS = 15;

function allSchemas(): MessageSchema[] {
  return Object.values(MESSAGE_SCHEMAS).flatMap((s) => [s.request, s.response]);
}

function versionsOf(schema: MessageSchema): number[] {
  const r = parseVersions(schema.versions);
  return Array.from({ length: r.max - r.min + 1 }, (_, i) => r.min + i);
}

function encode(schema: MessageSchema, version: number, value: Record<string, unknown>): Buffer {
  const w = new Writer(16);
  compileMessage(schema, version).encode(w, value);
  return w.finishOne();
}

describe("every message round-trips at every supported version", () => {
  for (const schema of allSchemas()) {
    for (const version of versionsOf(schema)) {
      it(`${schema.name} v${version}`, () => {
        fc.assert(
          fc.property(messageArb(schema, version), (value) => {
            const bytes = encode(schema, version, value);
            const r = new Reader(bytes);
            const decoded = compileMessage(schema, version).decode(r);
            expect(r.remaining).toBe(0);
            expect(decoded).toEqual(value);
            expect(encode(schema, version, decoded).equals(bytes)).toBe(true);
          }),
          { numRuns: RUNS },
        );
      });
    }
  }
});
