/**
 * The declarative schema DSL: one `message({...})` per Kafka request/response, built from field
 * builders (`f.int32()`, `f.string({ v: "3+", nullable: "3+" })`, `f.array({...})`, …). The generic
 * codec (`codec.ts`) compiles a schema per version; the TypeScript types of a message are derived
 * from its schema by {@link Decoded} and {@link Encodable}.
 */

/** Fixed-format field kinds. */
export type PrimitiveKind =
  | "bool"
  | "int8"
  | "int16"
  | "uint16"
  | "int32"
  | "uint32"
  | "int64"
  | "float64"
  | "string"
  | "bytes"
  | "uuid";

/** Every field kind. `records` is raw record-batch data, never parsed by the codec. */
export type FieldKind = PrimitiveKind | "records" | "struct" | "array";

/** TypeScript value of each primitive kind (int64 as bigint, uuid as 8-4-4-4-12 hex text). */
export interface PrimitiveValues {
  bool: boolean;
  int8: number;
  int16: number;
  uint16: number;
  int32: number;
  uint32: number;
  int64: bigint;
  float64: number;
  string: string;
  bytes: Buffer;
  uuid: string;
}

/** Literal default value of a field (as Kafka's JSON `default`). */
export type DefaultValue = number | bigint | boolean | string | null;

/** Per-field options; version ranges are written like Kafka's: "3+", "0-4", "2". */
export interface FieldOptions {
  /** Versions in which the field exists. Omitted: every version of the message. */
  readonly v?: string;
  /** Versions in which the field may be null. */
  readonly nullable?: string;
  /** Tag id: the field is a tagged field (flexible versions only) in all of its versions. */
  readonly tag?: number;
  /** Value used when the field is absent (other versions, or an omitted tagged field). */
  readonly default?: DefaultValue;
}

/** A field of a schema. The `_types` member is a type-level marker only, never set at runtime. */
export interface FieldSchema<In = unknown, Out = unknown, Opt extends boolean = boolean> {
  readonly kind: FieldKind;
  readonly options: FieldOptions;
  /** Element kind for arrays of primitives. */
  readonly items?: PrimitiveKind;
  /** Member fields of a struct, or of the elements of an array of structs. */
  readonly fields?: FieldsSchema;
  readonly _types?: { in: In; out: Out; opt: Opt };
}

/** Ordered named fields (object key order is the wire order). */
export type FieldsSchema = { readonly [name: string]: FieldSchema };

/** A Kafka message (one request or one response body). */
export interface MessageSchema<F extends FieldsSchema = FieldsSchema> {
  /** Kafka's name, e.g. "ProduceRequest". */
  readonly name: string;
  readonly apiKey: number;
  readonly kind: "request" | "response";
  /** Versions this schema describes, e.g. "0-11". */
  readonly versions: string;
  /** Versions using compact encodings and tagged fields, e.g. "9+" or "none". */
  readonly flexible: string;
  readonly fields: F;
}

type IsOptional<O> = O extends { v: string }
  ? true
  : O extends { tag: number }
    ? true
    : O extends { default: DefaultValue }
      ? true
      : false;
type NullOf<O> = O extends { nullable: string } ? null : never;
type NoOptions = Record<never, never>;

type Simplify<T> = { [K in keyof T]: T[K] } & {};
type InOf<S> = S extends { _types?: { in: infer I } } ? I : never;
type OutOf<S> = S extends { _types?: { out: infer O } } ? O : never;
type OptionalKeys<F> = {
  [K in keyof F]: F[K] extends { _types?: { opt: true } } ? K : never;
}[keyof F];

/** Value accepted by the encoder for a struct: fields that are version-limited, tagged or defaulted may be omitted. */
export type InputOf<F> = Simplify<
  { [K in Exclude<keyof F, OptionalKeys<F>>]: InOf<F[K]> } & {
    [K in OptionalKeys<F>]?: InOf<F[K]>;
  }
>;
/** Value produced by the decoder for a struct: every field present (defaults filled in). */
export type OutputOf<F> = { -readonly [K in keyof F]: OutOf<F[K]> };

/** Decoded (complete) type of a message. */
export type Decoded<M> = M extends MessageSchema<infer F> ? OutputOf<F> : never;
/** Encodable type of a message (omittable fields optional). */
export type Encodable<M> = M extends MessageSchema<infer F> ? InputOf<F> : never;

function primitive<K extends PrimitiveKind>(kind: K) {
  return <const O extends FieldOptions = NoOptions>(
    options?: O,
  ): FieldSchema<
    PrimitiveValues[K] | NullOf<O>,
    PrimitiveValues[K] | NullOf<O>,
    IsOptional<O>
  > => ({ kind, options: options ?? {} });
}

/** Field builders. */
export const f = {
  bool: primitive("bool"),
  int8: primitive("int8"),
  int16: primitive("int16"),
  uint16: primitive("uint16"),
  int32: primitive("int32"),
  uint32: primitive("uint32"),
  int64: primitive("int64"),
  float64: primitive("float64"),
  string: primitive("string"),
  bytes: primitive("bytes"),
  uuid: primitive("uuid"),
  /** Raw record batches: decoded as a view of the frame, encoded from one buffer or a list of them. */
  records: <const O extends FieldOptions = NoOptions>(
    options?: O,
  ): FieldSchema<Buffer | Buffer[] | NullOf<O>, Buffer | NullOf<O>, IsOptional<O>> => ({
    kind: "records",
    options: options ?? {},
  }),
  /** A nested struct. */
  struct: <const F extends FieldsSchema, const O extends FieldOptions = NoOptions>(
    fields: F,
    options?: O,
  ): FieldSchema<InputOf<F> | NullOf<O>, OutputOf<F> | NullOf<O>, IsOptional<O>> => ({
    kind: "struct",
    fields,
    options: options ?? {},
  }),
  /** An array of structs. */
  array: <const F extends FieldsSchema, const O extends FieldOptions = NoOptions>(
    fields: F,
    options?: O,
  ): FieldSchema<InputOf<F>[] | NullOf<O>, OutputOf<F>[] | NullOf<O>, IsOptional<O>> => ({
    kind: "array",
    fields,
    options: options ?? {},
  }),
  /** An array of primitives. */
  arrayOf: <K extends PrimitiveKind, const O extends FieldOptions = NoOptions>(
    items: K,
    options?: O,
  ): FieldSchema<
    PrimitiveValues[K][] | NullOf<O>,
    PrimitiveValues[K][] | NullOf<O>,
    IsOptional<O>
  > => ({ kind: "array", items, options: options ?? {} }),
};

/** Declares a message schema (identity at runtime; keeps literal types for type derivation). */
export function message<const F extends FieldsSchema>(schema: MessageSchema<F>): MessageSchema<F> {
  return schema;
}

/** An inclusive version range; `min > max` means empty. */
export interface VersionRange {
  readonly min: number;
  readonly max: number;
}

/** Parses "3+", "0-4", "2" or "none". */
export function parseVersions(spec: string): VersionRange {
  const s = spec.trim();
  if (s === "none" || s === "") return { min: 1, max: 0 };
  if (s.endsWith("+")) return { min: Number(s.slice(0, -1)), max: 0x7fff };
  const dash = s.indexOf("-");
  if (dash >= 0) return { min: Number(s.slice(0, dash)), max: Number(s.slice(dash + 1)) };
  const n = Number(s);
  return { min: n, max: n };
}

/** Whether `version` lies in the range given by `spec` (undefined spec = every version). */
export function inVersions(spec: string | undefined, version: number): boolean {
  if (spec === undefined) return true;
  const r = parseVersions(spec);
  return version >= r.min && version <= r.max;
}
