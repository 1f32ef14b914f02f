import { describe, expect, expectTypeOf, it } from "vitest";
import {
  compileMessage,
  type Decoded,
  type Encodable,
  f,
  inVersions,
  message,
  type ProduceResponseInput,
  parseVersions,
  Reader,
  Writer,
} from "../../../lib/broker/protocol";

const Example = message({
  name: "ExampleResponse",
  apiKey: 999,
  kind: "response",
  versions: "0-3",
  flexible: "2+",
  fields: {
    errorCode: f.int16(),
    offset: f.int64({ default: -1n }),
    message: f.string({ v: "1+", nullable: "1+", default: null }),
    items: f.array({ id: f.int32(), name: f.string() }),
    ids: f.arrayOf("int32", { v: "1+" }),
    leader: f.struct({ id: f.int32({ default: -1 }) }, { v: "2+", tag: 0 }),
  },
});

describe("version ranges", () => {
  it("parses Kafka's notations", () => {
    expect(parseVersions("3+")).toEqual({ min: 3, max: 0x7fff });
    expect(parseVersions("0-4")).toEqual({ min: 0, max: 4 });
    expect(parseVersions("2")).toEqual({ min: 2, max: 2 });
    const none = parseVersions("none");
    expect(none.min > none.max).toBe(true);
  });

  it("treats an absent range as every version", () => {
    expect(inVersions(undefined, 7)).toBe(true);
    expect(inVersions("1-2", 3)).toBe(false);
  });
});

describe("types derived from a schema", () => {
  it("decoded values have every field; nullable ones include null", () => {
    type D = Decoded<typeof Example>;
    expectTypeOf<D["errorCode"]>().toEqualTypeOf<number>();
    expectTypeOf<D["offset"]>().toEqualTypeOf<bigint>();
    expectTypeOf<D["message"]>().toEqualTypeOf<string | null>();
    expectTypeOf<D["items"]>().toEqualTypeOf<{ id: number; name: string }[]>();
    expectTypeOf<D["ids"]>().toEqualTypeOf<number[]>();
    expectTypeOf<D["leader"]>().toEqualTypeOf<{ id: number }>();
  });

  it("encodable values may omit version-limited, defaulted and tagged fields only", () => {
    type E = Encodable<typeof Example>;
    expectTypeOf<{ errorCode: number; items: [] }>().toExtend<E>();
    expectTypeOf<{ items: [] }>().not.toExtend<E>();
    expectTypeOf<{ responses: [] }>().toExtend<ProduceResponseInput>();
  });
});

describe("generic codec", () => {
  function roundTrip(version: number, value: Encodable<typeof Example>) {
    const w = new Writer();
    compileMessage(Example, version).encode(w, value);
    const bytes = w.finishOne();
    return { bytes, decoded: compileMessage(Example, version).decode(new Reader(bytes)) };
  }

  it("fills defaults for omitted fields and fields absent from the version", () => {
    const { decoded } = roundTrip(0, { errorCode: 3, items: [{ id: 1, name: "a" }] });
    expect(decoded).toEqual({
      errorCode: 3,
      offset: -1n,
      message: null,
      items: [{ id: 1, name: "a" }],
      ids: [],
      leader: { id: -1 },
    });
  });

  it("writes a tagged field only when it differs from its default", () => {
    const base = { errorCode: 0, items: [] };
    const without = roundTrip(2, base);
    const withDefault = roundTrip(2, { ...base, leader: { id: -1 } });
    const withValue = roundTrip(2, { ...base, leader: { id: 5 } });
    expect(withDefault.bytes).toEqual(without.bytes);
    expect(withValue.bytes.length).toBeGreaterThan(without.bytes.length);
    expect(withValue.decoded["leader"]).toEqual({ id: 5 });
  });

  it("uses compact encodings in flexible versions", () => {
    const classic = roundTrip(1, { errorCode: 0, message: "hi", items: [], ids: [] });
    const flexible = roundTrip(2, { errorCode: 0, message: "hi", items: [], ids: [] });
    // int16 + int64 + (int16 len + 2) + int32 count + int32 count
    expect(classic.bytes.length).toBe(2 + 8 + 4 + 4 + 4);
    // int16 + int64 + (uvarint len + 2) + uvarint + uvarint + tagged-field count
    expect(flexible.bytes.length).toBe(2 + 8 + 3 + 1 + 1 + 1);
  });

  it("skips unknown tagged fields", () => {
    const w = new Writer();
    w.int16(0);
    w.int64(1n);
    w.compactString(null);
    w.uvarint(1); // items: empty compact array
    w.uvarint(1); // ids: empty
    w.uvarint(1); // one tagged field
    w.uvarint(42); // unknown tag
    w.uvarint(3);
    w.raw(Buffer.from([1, 2, 3]));
    const decoded = compileMessage(Example, 2).decode(new Reader(w.finishOne()));
    expect(decoded["offset"]).toBe(1n);
    expect(decoded["leader"]).toEqual({ id: -1 });
  });
});
