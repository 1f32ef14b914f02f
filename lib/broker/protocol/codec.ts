import { ProtocolError } from "./protocol-error";
import type { Reader } from "./reader";
import {
  type DefaultValue,
  type FieldSchema,
  type FieldsSchema,
  inVersions,
  type MessageSchema,
  type PrimitiveKind,
  parseVersions,
} from "./schema";
import { Writer } from "./writer";

type Obj = Record<string, unknown>;

/** Reads one value of a field's type. */
type ReadFn = (r: Reader) => unknown;
/** Writes one value of a field's type. */
type WriteFn = (w: Writer, v: unknown) => void;

interface TypeCodec {
  read: ReadFn;
  write: WriteFn;
  /** Minimum encoded size, used to reject array counts larger than the bytes left. */
  minSize: number;
}

interface CompiledField {
  readonly name: string;
  readonly present: boolean;
  readonly tag: number | undefined;
  readonly codec: TypeCodec;
  readonly makeDefault: () => unknown;
  readonly isDefault: (v: unknown) => boolean;
}

/** A struct compiled for one version: decoder and encoder closures. */
export interface CompiledStruct {
  decode(r: Reader): Obj;
  encode(w: Writer, v: Obj): void;
  readonly minSize: number;
  makeDefault(): Obj;
  isDefault(v: unknown): boolean;
}

const ZERO_UUID = "00000000-0000-0000-0000-000000000000";

function fail(path: string, what: string): never {
  throw new ProtocolError(`${path}: ${what}`);
}

function primitiveDefault(kind: PrimitiveKind | "records"): unknown {
  switch (kind) {
    case "bool":
      return false;
    case "int64":
      return 0n;
    case "string":
      return "";
    case "bytes":
      return Buffer.alloc(0);
    case "uuid":
      return ZERO_UUID;
    case "records":
      return null;
    default:
      return 0;
  }
}

function literalDefault(kind: FieldSchema["kind"], d: DefaultValue): unknown {
  if (d === null) return null;
  if (kind === "int64") return BigInt(d as number | bigint | string);
  return d;
}

function numberWriter(
  path: string,
  lo: number,
  hi: number,
  put: (w: Writer, v: number) => void,
): WriteFn {
  return (w, v) => {
    if (typeof v !== "number" || !Number.isInteger(v) || v < lo || v > hi) {
      fail(path, `expected an integer in [${lo}, ${hi}], got ${String(v)}`);
    }
    put(w, v);
  };
}

function primitiveCodec(
  kind: PrimitiveKind | "records",
  flexible: boolean,
  nullable: boolean,
  path: string,
): TypeCodec {
  switch (kind) {
    case "bool":
      return { read: (r) => r.bool(), write: (w, v) => w.bool(v === true), minSize: 1 };
    case "int8":
      return {
        read: (r) => r.int8(),
        write: numberWriter(path, -128, 127, (w, v) => w.int8(v)),
        minSize: 1,
      };
    case "int16":
      return {
        read: (r) => r.int16(),
        write: numberWriter(path, -32768, 32767, (w, v) => w.int16(v)),
        minSize: 2,
      };
    case "uint16":
      return {
        read: (r) => r.uint16(),
        write: numberWriter(path, 0, 65535, (w, v) => w.uint16(v)),
        minSize: 2,
      };
    case "int32":
      return {
        read: (r) => r.int32(),
        write: numberWriter(path, -0x80000000, 0x7fffffff, (w, v) => w.int32(v)),
        minSize: 4,
      };
    case "uint32":
      return {
        read: (r) => r.uint32(),
        write: numberWriter(path, 0, 0xffffffff, (w, v) => w.uint32(v)),
        minSize: 4,
      };
    case "int64":
      return {
        read: (r) => r.int64(),
        write: (w, v) => {
          if (typeof v !== "bigint") fail(path, `expected a bigint, got ${typeof v}`);
          if (BigInt.asIntN(64, v) !== v) fail(path, `int64 out of range: ${v}`);
          w.int64(v);
        },
        minSize: 8,
      };
    case "float64":
      return {
        read: (r) => r.float64(),
        write: (w, v) => {
          if (typeof v !== "number") fail(path, `expected a number, got ${typeof v}`);
          w.float64(v);
        },
        minSize: 8,
      };
    case "uuid":
      return {
        read: (r) => r.uuid(),
        write: (w, v) => {
          if (typeof v !== "string") fail(path, `expected a uuid string, got ${typeof v}`);
          w.uuid(v);
        },
        minSize: 16,
      };
    case "string":
      return stringCodec(flexible, nullable, path);
    case "bytes":
    case "records":
      return bytesCodec(kind, flexible, nullable, path);
  }
}

function stringCodec(flexible: boolean, nullable: boolean, path: string): TypeCodec {
  const read: ReadFn = flexible
    ? (r) => {
        const n = r.compactLength();
        if (n < 0) {
          if (!nullable) fail(path, "null for a non-nullable string");
          return null;
        }
        return r.utf8(n);
      }
    : (r) => {
        const n = r.stringLength();
        if (n < 0) {
          if (!nullable) fail(path, "null for a non-nullable string");
          return null;
        }
        return r.utf8(n);
      };
  const write: WriteFn = (w, v) => {
    if (v === null) {
      if (!nullable) fail(path, "null is not allowed in this version");
    } else if (typeof v !== "string") {
      fail(path, `expected a string, got ${typeof v}`);
    }
    if (flexible) w.compactString(v);
    else w.string(v);
  };
  return { read, write, minSize: flexible ? 1 : 2 };
}

function bytesCodec(
  kind: "bytes" | "records",
  flexible: boolean,
  nullable: boolean,
  path: string,
): TypeCodec {
  // Records stay views of the frame (zero copy into the log); other bytes are copied so long-lived
  // values (group assignments, SASL tokens) do not pin whole request buffers.
  const zeroCopy = kind === "records";
  const read: ReadFn = (r) => {
    const n = flexible ? r.compactLength() : r.int32Length();
    if (n < 0) {
      if (!nullable) fail(path, "null for non-nullable bytes");
      return null;
    }
    return zeroCopy ? r.view(n) : r.copy(n);
  };
  const write: WriteFn = (w, v) => {
    if (v === null || v === undefined) {
      if (!nullable) fail(path, "null is not allowed in this version");
      if (flexible) w.uvarint(0);
      else w.int32(-1);
      return;
    }
    if (Array.isArray(v)) {
      let n = 0;
      for (const b of v) {
        if (!(b instanceof Uint8Array)) fail(path, "expected a list of buffers");
        n += b.length;
      }
      if (flexible) w.uvarint(n + 1);
      else w.int32(n);
      for (const b of v as Uint8Array[]) w.raw(b);
      return;
    }
    if (!(v instanceof Uint8Array)) fail(path, `expected a Buffer, got ${typeof v}`);
    if (flexible) w.uvarint(v.length + 1);
    else w.int32(v.length);
    w.raw(v);
  };
  return { read, write, minSize: flexible ? 1 : 4 };
}

function arrayCodec(
  element: TypeCodec,
  flexible: boolean,
  nullable: boolean,
  path: string,
): TypeCodec {
  const minElement = Math.max(element.minSize, 1);
  const readElement = element.read;
  const writeElement = element.write;
  const read: ReadFn = (r) => {
    const n = flexible ? r.compactLength() : r.int32Length();
    if (n < 0) {
      if (!nullable) fail(path, "null for a non-nullable array");
      return null;
    }
    // A hostile count must not make us loop or allocate beyond what the bytes left could hold.
    if (n * minElement > r.remaining) {
      fail(path, `array of ${n} elements cannot fit in ${r.remaining} bytes`);
    }
    const out: unknown[] = [];
    for (let i = 0; i < n; i++) out.push(readElement(r));
    return out;
  };
  const write: WriteFn = (w, v) => {
    if (v === null || v === undefined) {
      if (!nullable) fail(path, "null is not allowed in this version");
      if (flexible) w.uvarint(0);
      else w.int32(-1);
      return;
    }
    if (!Array.isArray(v)) fail(path, `expected an array, got ${typeof v}`);
    if (flexible) w.uvarint(v.length + 1);
    else w.int32(v.length);
    for (const e of v) writeElement(w, e);
  };
  return { read, write, minSize: flexible ? 1 : 4 };
}

function fieldDefault(field: FieldSchema, sub: CompiledStruct | undefined) {
  const d = field.options.default;
  if (d !== undefined) {
    const value = literalDefault(field.kind, d);
    return { make: () => value, value };
  }
  if (field.kind === "array") return { make: () => [] as unknown[], value: undefined };
  if (field.kind === "struct") {
    return { make: () => (sub ? sub.makeDefault() : {}), value: undefined };
  }
  const value = primitiveDefault(field.kind);
  if (field.kind === "bytes") return { make: () => Buffer.alloc(0), value: undefined };
  return { make: () => value, value };
}

function compileField(
  name: string,
  field: FieldSchema,
  version: number,
  flexible: boolean,
  parentPath: string,
): CompiledField {
  const path = parentPath === "" ? name : `${parentPath}.${name}`;
  const present = inVersions(field.options.v, version);
  const nullable =
    field.options.nullable !== undefined && inVersions(field.options.nullable, version);
  let codec: TypeCodec;
  let struct: CompiledStruct | undefined;
  if (field.kind === "struct") {
    const sub = compileStruct(field.fields ?? {}, version, flexible, path);
    struct = sub;
    codec = {
      read: (r) => sub.decode(r),
      write: (w, v) => {
        if (v === null || typeof v !== "object") fail(path, "expected an object");
        sub.encode(w, v as Obj);
      },
      minSize: sub.minSize,
    };
  } else if (field.kind === "array") {
    let element: TypeCodec;
    if (field.items !== undefined) {
      element = primitiveCodec(field.items, flexible, false, `${path}[]`);
    } else {
      const sub = compileStruct(field.fields ?? {}, version, flexible, `${path}[]`);
      element = {
        read: (r) => sub.decode(r),
        write: (w, v) => {
          if (v === null || typeof v !== "object") fail(`${path}[]`, "expected an object");
          sub.encode(w, v as Obj);
        },
        minSize: sub.minSize,
      };
    }
    codec = arrayCodec(element, flexible, nullable, path);
  } else {
    codec = primitiveCodec(field.kind, flexible, nullable, path);
  }
  const def = fieldDefault(field, struct);
  const structIsDefault = struct?.isDefault;
  const defValue = def.value;
  const isDefault = (v: unknown): boolean => {
    if (v === undefined) return true;
    if (structIsDefault) return structIsDefault(v);
    if (field.kind === "array") return Array.isArray(v) && v.length === 0;
    if (field.kind === "bytes") return v instanceof Uint8Array && v.length === 0;
    return v === defValue;
  };
  return {
    name,
    present,
    tag: field.options.tag,
    codec,
    makeDefault: def.make,
    isDefault,
  };
}

function compileStruct(
  fields: FieldsSchema,
  version: number,
  flexible: boolean,
  path: string,
): CompiledStruct {
  const all: CompiledField[] = Object.entries(fields).map(([name, field]) =>
    compileField(name, field, version, flexible, path),
  );
  // Tagged fields exist on the wire only in flexible versions (Kafka requires taggedVersions to lie
  // within flexibleVersions); elsewhere they are simply absent.
  const regular = all.filter((c) => c.present && c.tag === undefined);
  const tagged = flexible
    ? all
        .filter((c) => c.present && c.tag !== undefined)
        .sort((a, b) => (a.tag ?? 0) - (b.tag ?? 0))
    : [];
  const byTag = new Map<number, CompiledField>();
  for (const t of tagged) byTag.set(t.tag ?? 0, t);
  let minSize = flexible ? 1 : 0;
  for (const c of regular) minSize += c.codec.minSize;

  const decode = (r: Reader): Obj => {
    const obj: Obj = {};
    // Assign in schema order so every decoded object of a version shares one hidden class.
    for (const c of all) {
      obj[c.name] = c.present && c.tag === undefined ? c.codec.read(r) : c.makeDefault();
    }
    if (flexible) readTaggedFields(r, obj, byTag, path);
    return obj;
  };

  const encode = (w: Writer, v: Obj): void => {
    for (const c of regular) {
      const value = v[c.name];
      c.codec.write(w, value === undefined ? c.makeDefault() : value);
    }
    if (flexible) writeTaggedFields(w, v, tagged);
  };

  const makeDefault = (): Obj => {
    const obj: Obj = {};
    for (const c of all) obj[c.name] = c.makeDefault();
    return obj;
  };

  const isDefault = (v: unknown): boolean => {
    if (v === undefined || v === null) return true;
    if (typeof v !== "object") return false;
    const o = v as Obj;
    for (const c of all) if (!c.isDefault(o[c.name])) return false;
    return true;
  };
  return { decode, encode, minSize, makeDefault, isDefault };
}

function readTaggedFields(r: Reader, obj: Obj, byTag: Map<number, CompiledField>, path: string) {
  const count = r.uvarint();
  if (count > r.remaining) fail(path, `${count} tagged fields cannot fit in ${r.remaining} bytes`);
  for (let i = 0; i < count; i++) {
    const tag = r.uvarint();
    const size = r.uvarint();
    r.need(size);
    const end = r.pos + size;
    const field = byTag.get(tag);
    if (field === undefined) {
      r.pos = end; // unknown tags are skipped, as Kafka does
      continue;
    }
    const savedEnd = r.end;
    r.end = end;
    try {
      obj[field.name] = field.codec.read(r);
    } finally {
      r.end = savedEnd;
    }
    r.pos = end;
  }
}

function writeTaggedFields(w: Writer, v: Obj, tagged: CompiledField[]): void {
  let count = 0;
  for (const c of tagged) if (!c.isDefault(v[c.name])) count++;
  w.uvarint(count);
  if (count === 0) return;
  for (const c of tagged) {
    const value = v[c.name];
    if (c.isDefault(value)) continue;
    const sub = new Writer(64);
    c.codec.write(sub, value);
    const bytes = sub.finishOne();
    w.uvarint(c.tag ?? 0);
    w.uvarint(bytes.length);
    w.raw(bytes);
  }
}

/** A message compiled for one version. */
export interface CompiledMessage {
  readonly schema: MessageSchema;
  readonly version: number;
  readonly flexible: boolean;
  decode(r: Reader): Obj;
  encode(w: Writer, v: Obj): void;
}

const cache = new WeakMap<MessageSchema, Map<number, CompiledMessage>>();

/** Whether `version` of `schema` uses flexible encodings. */
export function isFlexible(schema: MessageSchema, version: number): boolean {
  return inVersions(schema.flexible, version);
}

/**
 * Compiles (once, then cached) the decoder/encoder closures of one message version.
 * Throws {@link ProtocolError} (UNSUPPORTED_VERSION 35) for a version outside the schema.
 */
export function compileMessage(schema: MessageSchema, version: number): CompiledMessage {
  let perVersion = cache.get(schema);
  if (perVersion === undefined) {
    perVersion = new Map();
    cache.set(schema, perVersion);
  }
  const hit = perVersion.get(version);
  if (hit !== undefined) return hit;
  const range = parseVersions(schema.versions);
  if (!Number.isInteger(version) || version < range.min || version > range.max) {
    throw new ProtocolError(`${schema.name} version ${version} is not supported`, {
      errorCode: 35,
    });
  }
  const flexible = isFlexible(schema, version);
  const struct = compileStruct(schema.fields, version, flexible, `${schema.name}v${version}`);
  const compiled: CompiledMessage = {
    schema,
    version,
    flexible,
    decode: (r) => {
      try {
        return struct.decode(r);
      } catch (err) {
        throw asProtocolError(err, `${schema.name} v${version}`);
      }
    },
    encode: (w, v) => {
      try {
        struct.encode(w, v);
      } catch (err) {
        throw asProtocolError(err, `cannot encode ${schema.name} v${version}`);
      }
    },
  };
  perVersion.set(version, compiled);
  return compiled;
}

/** Wraps anything unexpected into a ProtocolError, so callers only ever see that type. */
export function asProtocolError(err: unknown, context: string): ProtocolError {
  if (err instanceof ProtocolError) return err;
  const message = err instanceof Error ? err.message : String(err);
  return new ProtocolError(`${context}: ${message}`, { cause: err });
}
