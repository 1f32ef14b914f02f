import * as plt from "@platformatic/kafka";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  compileMessage,
  MESSAGE_SCHEMAS,
  type MessageSchema,
  parseVersions,
  Writer,
} from "../../../lib/broker/protocol";
import { defaultOf, type FieldOverride, messageArb } from "./arbitraries";

/**
 * Our response encoders against @platformatic/kafka's own response parsers (flexible versions):
 * every generated response must parse and be consumed up to its final tagged-field section.
 */
type Parser = (
  correlationId: number,
  apiKey: number,
  apiVersion: number,
  reader: plt.Reader,
) => unknown;

const RUNS = Number(process.env["SLUICE_COMPAT_RUNS"] ?? 30);

/**
 * Values platformatic can parse: it stops at the first non-zero error code, and its tagged-field
 * reader only copes with empty sections (it reads the count as a zig-zag varint and skips that many
 * bytes), so error codes are 0 and tagged fields keep their defaults (which we do not write).
 */
function parseable(version: number): FieldOverride {
  return (name, field) => {
    if (name === "errorCode") return fc.constant(0);
    if (field.options.tag !== undefined) return fc.constant(defaultOf(field, version));
    return undefined;
  };
}

/** Parsers with known bugs of their own (checked by hand against Kafka's message definitions). */
const PLATFORMATIC_BUGS: Record<string, string> = {
  // (Metadata v9-10: reads cluster_authorized_operations, an int32, as one byte: see UNREAD_TAIL.)
  "OffsetForLeaderEpochResponse v4": "reads partition before error_code (Kafka: error_code first)",
  "DescribeConfigsResponse v2": "reads config_type/documentation, which only exist from v3",
  "DescribeClientQuotasResponse v0": "crashes on null entries",
};

function parserFor(schema: MessageSchema, version: number): Parser | undefined {
  const base = schema.name.replace(/Response$/, "");
  const ns = (plt as unknown as Record<string, { parseResponse?: Parser } | undefined>)[
    `${base[0]?.toLowerCase()}${base.slice(1)}V${version}`
  ];
  return ns?.parseResponse;
}

function encodeBody(schema: MessageSchema, version: number, v: Record<string, unknown>): Buffer {
  const w = new Writer();
  compileMessage(schema, version).encode(w, v);
  return w.finishOne();
}

const cases: { schema: MessageSchema; version: number; parse: Parser }[] = [];
for (const { response } of Object.values(MESSAGE_SCHEMAS)) {
  const r = parseVersions(response.versions);
  for (let v = r.min; v <= r.max; v++) {
    const parse = parserFor(response, v);
    if (parse !== undefined && PLATFORMATIC_BUGS[`${response.name} v${v}`] === undefined) {
      cases.push({ schema: response, version: v, parse });
    }
  }
}

/** Bytes platformatic leaves unread at the end: 3 of cluster_authorized_operations + tag section. */
const UNREAD_TAIL: Record<string, number> = {
  "MetadataResponse v9": 4,
  "MetadataResponse v10": 4,
};

describe("@platformatic/kafka parses our responses to the last byte", () => {
  it("covers the flexible versions platformatic implements", () => {
    expect(cases.length).toBeGreaterThan(40);
  });

  for (const { schema, version, parse } of cases) {
    it(`${schema.name} v${version}`, () => {
      fc.assert(
        fc.property(messageArb(schema, version, parseable(version)), (value) => {
          const body = encodeBody(schema, version, value);
          const reader = plt.Reader.from(body);
          try {
            parse(1, schema.apiKey, version, reader);
          } catch (err) {
            // platformatic reports non-zero error codes by throwing after a complete parse
            if (!(err instanceof plt.ResponseError)) throw err;
          }
          // platformatic leaves the top-level (empty) tagged-field section unread in most parsers
          const left = body.length - reader.position;
          const tail = UNREAD_TAIL[`${schema.name} v${version}`];
          if (tail !== undefined) expect(left).toBe(tail);
          else if (left === 1) expect(body[body.length - 1]).toBe(0);
          else expect(left).toBe(0);
        }),
        { numRuns: RUNS },
      );
    });
  }
});
