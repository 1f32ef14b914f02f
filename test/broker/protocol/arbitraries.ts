import fc from "fast-check";
import {
  type FieldSchema,
  type FieldsSchema,
  inVersions,
  type MessageSchema,
  type PrimitiveKind,
} from "../../../lib/broker/protocol";

type Obj = Record<string, unknown>;

/** The value the decoder fills in for a field absent from a version (mirrors the codec rules). */
export function defaultOf(field: FieldSchema, version: number): unknown {
  const d = field.options.default;
  if (d !== undefined) {
    if (d === null) return null;
    return field.kind === "int64" ? BigInt(d) : d;
  }
  switch (field.kind) {
    case "array":
      return [];
    case "struct":
      return defaultStruct(field.fields ?? {}, version);
    case "bool":
      return false;
    case "int64":
      return 0n;
    case "string":
      return "";
    case "bytes":
      return Buffer.alloc(0);
    case "uuid":
      return "00000000-0000-0000-0000-000000000000";
    case "records":
      return null;
    default:
      return 0;
  }
}

function defaultStruct(fields: FieldsSchema, version: number): Obj {
  const o: Obj = {};
  for (const [k, f] of Object.entries(fields)) o[k] = defaultOf(f, version);
  return o;
}

function primitiveArb(kind: PrimitiveKind | "records"): fc.Arbitrary<unknown> {
  switch (kind) {
    case "bool":
      return fc.boolean();
    case "int8":
      return fc.integer({ min: -128, max: 127 });
    case "int16":
      return fc.integer({ min: -32768, max: 32767 });
    case "uint16":
      return fc.integer({ min: 0, max: 65535 });
    case "int32":
      return fc.integer();
    case "uint32":
      return fc.integer({ min: 0, max: 0xffffffff });
    case "int64":
      return fc.bigInt({ min: -(2n ** 63n), max: 2n ** 63n - 1n });
    case "float64":
      return fc.double();
    case "string":
      return fc.string({ maxLength: 12 });
    case "uuid":
      return fc.uuid();
    case "bytes":
      return fc.uint8Array({ maxLength: 12 }).map((a) => Buffer.from(a));
    case "records":
      return fc.uint8Array({ maxLength: 40 }).map((a) => Buffer.from(a));
  }
}

/** Replaces the generator of selected fields (by name); undefined = keep the generic one. */
export type FieldOverride = (name: string, field: FieldSchema) => fc.Arbitrary<unknown> | undefined;

function fieldArb(
  name: string,
  field: FieldSchema,
  version: number,
  flexible: boolean,
  override: FieldOverride | undefined,
): fc.Arbitrary<unknown> {
  if (!inVersions(field.options.v, version)) return fc.constant(defaultOf(field, version));
  const replaced = override?.(name, field);
  if (replaced !== undefined) return replaced;
  let base: fc.Arbitrary<unknown>;
  if (field.kind === "struct") base = structArb(field.fields ?? {}, version, flexible, override);
  else if (field.kind === "array") {
    const el =
      field.items !== undefined
        ? primitiveArb(field.items)
        : structArb(field.fields ?? {}, version, flexible, override);
    base = fc.array(el, { maxLength: 3 });
  } else base = primitiveArb(field.kind);
  if (field.options.nullable !== undefined && inVersions(field.options.nullable, version)) {
    return fc.option(base, { nil: null, freq: 4 });
  }
  return base;
}

function structArb(
  fields: FieldsSchema,
  version: number,
  flexible: boolean,
  override: FieldOverride | undefined,
): fc.Arbitrary<Obj> {
  const rec: Record<string, fc.Arbitrary<unknown>> = {};
  for (const [k, f] of Object.entries(fields)) {
    // A tagged field only exists on the wire in flexible versions.
    if (f.options.tag !== undefined && !flexible) rec[k] = fc.constant(defaultOf(f, version));
    else rec[k] = fieldArb(k, f, version, flexible, override);
  }
  return fc.record(rec);
}

/** Complete values of `schema` at `version` (fields absent from the version hold their defaults). */
export function messageArb(
  schema: MessageSchema,
  version: number,
  override?: FieldOverride,
): fc.Arbitrary<Obj> {
  return structArb(schema.fields, version, inVersions(schema.flexible, version), override);
}
