/**
 * CRC-32C (Castagnoli), as used by Kafka record batches (magic 2).
 *
 * The native `@node-rs/crc32` (SSE4.2/ARMv8 CRC instructions, ~4 GB/s) is loaded with a guarded
 * `require`: the broker is also esbuild-bundled into an image where the platform's `.node` binary
 * may be missing, and then the portable slicing-by-8 table version below is used (~0.5 GB/s).
 */

type Crc32cFn = (input: Uint8Array, initialState?: number) => number;

const POLY = 0x82f63b78; // reversed Castagnoli polynomial

/** 8 tables of 256 entries for slicing-by-8. */
const TABLES: Uint32Array = buildTables();

function buildTables(): Uint32Array {
  const t = new Uint32Array(8 * 256);
  for (let i = 0; i < 256; i++) {
    let c = i;
    for (let k = 0; k < 8; k++) c = c & 1 ? (c >>> 1) ^ POLY : c >>> 1;
    t[i] = c >>> 0;
  }
  for (let i = 0; i < 256; i++) {
    let c = t[i] ?? 0;
    for (let s = 1; s < 8; s++) {
      c = (t[c & 0xff] ?? 0) ^ (c >>> 8);
      t[s * 256 + i] = c >>> 0;
    }
  }
  return t;
}

/** Pure TypeScript CRC-32C (slicing-by-8). `initial` continues a previous result. */
export function crc32cPortable(input: Uint8Array, initial = 0): number {
  const t = TABLES;
  let crc = ~initial >>> 0;
  let i = 0;
  const n = input.length;
  const end8 = n - (n % 8);
  // Indexing into typed arrays yields `number | undefined` under noUncheckedIndexedAccess;
  // `| 0` coerces without a branch and keeps this loop monomorphic.
  while (i < end8) {
    const a =
      (crc ^
        ((input[i] as number) |
          ((input[i + 1] as number) << 8) |
          ((input[i + 2] as number) << 16) |
          ((input[i + 3] as number) << 24))) >>>
      0;
    const b =
      (input[i + 4] as number) |
      ((input[i + 5] as number) << 8) |
      ((input[i + 6] as number) << 16) |
      ((input[i + 7] as number) << 24);
    crc =
      (t[1792 + (a & 0xff)] as number) ^
      (t[1536 + ((a >>> 8) & 0xff)] as number) ^
      (t[1280 + ((a >>> 16) & 0xff)] as number) ^
      (t[1024 + (a >>> 24)] as number) ^
      (t[768 + (b & 0xff)] as number) ^
      (t[512 + ((b >>> 8) & 0xff)] as number) ^
      (t[256 + ((b >>> 16) & 0xff)] as number) ^
      (t[(b >>> 24) & 0xff] as number);
    i += 8;
  }
  while (i < n) {
    crc = (t[(crc ^ (input[i] as number)) & 0xff] as number) ^ (crc >>> 8);
    i++;
  }
  return ~crc >>> 0;
}

function loadNative(): Crc32cFn | undefined {
  if (process.env.SLUICE_CRC32C_PORTABLE === "1") return undefined;
  try {
    // A plain require so that esbuild leaves a failing resolution to run time.
    const mod = require("@node-rs/crc32") as {
      crc32c?: (input: Uint8Array, initial?: number | null) => number;
    };
    const fn = mod.crc32c;
    if (typeof fn !== "function") return undefined;
    // Self-test: the standard check value of CRC-32C("123456789") is 0xE3069283.
    if (fn(Buffer.from("123456789")) >>> 0 !== 0xe3069283) return undefined;
    return (input, initial) => fn(input, initial ?? 0) >>> 0;
  } catch {
    return undefined;
  }
}

const native = loadNative();

/** Which implementation {@link crc32c} uses. */
export const crc32cImplementation: "native" | "portable" = native ? "native" : "portable";

/** The native CRC-32C when it loaded, else undefined (benchmarks compare both). */
export const crc32cNative: Crc32cFn | undefined = native;

/** CRC-32C of `input` (unsigned 32-bit), continuing from `initial` when given. */
export const crc32c: (input: Uint8Array, initial?: number) => number = native ?? crc32cPortable;
