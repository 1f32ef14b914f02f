import { ApiKey } from "./api-key";
import { asProtocolError, compileMessage } from "./codec";
import { ErrorCode } from "./error-code";
import { readResponseHeader, writeRequestHeader, writeResponseHeader } from "./headers";
import {
  MESSAGE_SCHEMAS,
  type RequestInputOf,
  type RequestOf,
  type ResponseInputOf,
  type ResponseOf,
} from "./messages";
import { ProtocolError } from "./protocol-error";
import { Reader } from "./reader";
import { apiVersionsList, isKnownApiKey } from "./supported-apis";
import { Writer } from "./writer";

function schemas(apiKey: number) {
  if (!isKnownApiKey(apiKey)) {
    throw new ProtocolError(`unknown API key ${apiKey}`, { errorCode: ErrorCode.INVALID_REQUEST });
  }
  return MESSAGE_SCHEMAS[apiKey];
}

/**
 * Decodes a request body. `buf` is one frame without its size prefix and `offset` where the body
 * starts (`readRequestHeader(buf).bodyOffset`). `records` fields are views into `buf` (no copy).
 * Trailing bytes after the body are ignored. Throws only {@link ProtocolError}.
 */
export function decodeRequest<K extends ApiKey>(
  apiKey: K,
  version: number,
  buf: Buffer,
  offset = 0,
): RequestOf<K> {
  const compiled = compileMessage(schemas(apiKey).request, version);
  return compiled.decode(new Reader(buf, offset)) as RequestOf<K>;
}

/**
 * Encodes a whole response frame — 4-byte size prefix, response header (v0/v1 as the API version
 * requires; ApiVersions always v0) and body — as chunks ready for `writev`/`cork()+write()`.
 * Large `records` buffers are passed through as chunks of their own, never copied.
 */
export function encodeResponse<K extends ApiKey>(
  apiKey: K,
  version: number,
  correlationId: number,
  body: ResponseInputOf<K>,
): Buffer[] {
  const compiled = compileMessage(schemas(apiKey).response, version);
  const w = new Writer();
  try {
    w.int32(0);
    writeResponseHeader(w, apiKey, version, correlationId);
  } catch (err) {
    throw asProtocolError(err, "cannot encode response header");
  }
  compiled.encode(w, body as Record<string, unknown>);
  w.patchInt32(0, w.length - 4);
  return w.finish();
}

/**
 * Encodes a whole request frame (size prefix, header v1/v2, body) as one Buffer — for clients such
 * as `sluice apply` and for tests.
 */
export function encodeRequest<K extends ApiKey>(
  apiKey: K,
  version: number,
  correlationId: number,
  clientId: string | null,
  body: RequestInputOf<K>,
): Buffer {
  const compiled = compileMessage(schemas(apiKey).request, version);
  const w = new Writer();
  try {
    w.int32(0);
    writeRequestHeader(w, apiKey, version, correlationId, clientId);
  } catch (err) {
    throw asProtocolError(err, "cannot encode request header");
  }
  compiled.encode(w, body as Record<string, unknown>);
  w.patchInt32(0, w.length - 4);
  return w.finishOne();
}

/** Decodes a response body at `offset` of a frame (see `readResponseHeader`). */
export function decodeResponse<K extends ApiKey>(
  apiKey: K,
  version: number,
  buf: Buffer,
  offset = 0,
): ResponseOf<K> {
  const compiled = compileMessage(schemas(apiKey).response, version);
  return compiled.decode(new Reader(buf, offset)) as ResponseOf<K>;
}

/** Decodes a whole response frame (without size prefix): header then body. */
export function decodeResponseFrame<K extends ApiKey>(
  apiKey: K,
  version: number,
  buf: Buffer,
): { correlationId: number; body: ResponseOf<K> } {
  const { correlationId, bodyOffset } = readResponseHeader(apiKey, version, buf);
  return { correlationId, body: decodeResponse(apiKey, version, buf, bodyOffset) };
}

/**
 * The answer to an ApiVersions request whose version we do not support (KIP-511): a v0 response
 * with UNSUPPORTED_VERSION and the full list of supported APIs (or only `keys`), so the client can
 * retry with a version we know.
 */
export function encodeApiVersionsFallback(
  correlationId: number,
  keys?: Iterable<number>,
): Buffer[] {
  return encodeResponse(ApiKey.ApiVersions, 0, correlationId, {
    errorCode: ErrorCode.UNSUPPORTED_VERSION,
    apiKeys: apiVersionsList(keys),
  });
}

/** Concatenates chunks into one Buffer (tests, small frames). */
export function concatChunks(chunks: Buffer[]): Buffer {
  return chunks.length === 1 ? (chunks[0] as Buffer) : Buffer.concat(chunks);
}
