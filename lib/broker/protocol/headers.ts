import { ApiKey } from "./api-key";
import { ProtocolError } from "./protocol-error";
import { Reader } from "./reader";
import { isKnownApiKey, SUPPORTED_APIS } from "./supported-apis";
import type { Writer } from "./writer";

/** A decoded request header (v1 or v2). */
export interface RequestHeader {
  readonly apiKey: number;
  readonly apiVersion: number;
  readonly correlationId: number;
  /** Nullable, and always a classic int16-length string, even in header v2. */
  readonly clientId: string | null;
  /** Offset of the request body in the buffer given to {@link readRequestHeader}. */
  readonly bodyOffset: number;
}

/**
 * Request header version for a request: 2 from the API's first flexible version on (also for versions
 * newer than we support, so a too-new ApiVersions request still parses), else 1. Unknown APIs: 1.
 */
export function requestHeaderVersion(apiKey: number, apiVersion: number): 1 | 2 {
  if (!isKnownApiKey(apiKey)) return 1;
  const flex = SUPPORTED_APIS[apiKey].flexibleFrom;
  return flex !== null && apiVersion >= flex ? 2 : 1;
}

/** Response header version: 1 for flexible versions, but always 0 for ApiVersions (KIP-511). */
export function responseHeaderVersion(apiKey: number, apiVersion: number): 0 | 1 {
  if (apiKey === ApiKey.ApiVersions) return 0;
  return requestHeaderVersion(apiKey, apiVersion) === 2 ? 1 : 0;
}

/** Skips a tagged-field section (none are defined for headers we need). */
export function skipTaggedFields(r: Reader): void {
  const count = r.uvarint();
  if (count > r.remaining) throw new ProtocolError(`${count} tagged fields cannot fit`);
  for (let i = 0; i < count; i++) {
    r.uvarint();
    r.skipBytes(r.uvarint());
  }
}

/**
 * Reads the request header at `offset` of one frame (the bytes after the 4-byte size prefix).
 * Throws {@link ProtocolError} when truncated or malformed.
 */
export function readRequestHeader(buf: Buffer, offset = 0): RequestHeader {
  const r = new Reader(buf, offset);
  const apiKey = r.int16();
  const apiVersion = r.int16();
  const correlationId = r.int32();
  const clientId = r.nullableString();
  if (requestHeaderVersion(apiKey, apiVersion) === 2) skipTaggedFields(r);
  return { apiKey, apiVersion, correlationId, clientId, bodyOffset: r.pos };
}

/** Writes a request header of the version the API/version pair needs. */
export function writeRequestHeader(
  w: Writer,
  apiKey: number,
  apiVersion: number,
  correlationId: number,
  clientId: string | null,
): void {
  w.int16(apiKey);
  w.int16(apiVersion);
  w.int32(correlationId);
  w.string(clientId);
  if (requestHeaderVersion(apiKey, apiVersion) === 2) w.uvarint(0);
}

/** Reads a response header; returns the correlation id and where the body starts. */
export function readResponseHeader(
  apiKey: number,
  apiVersion: number,
  buf: Buffer,
  offset = 0,
): { correlationId: number; bodyOffset: number } {
  const r = new Reader(buf, offset);
  const correlationId = r.int32();
  if (responseHeaderVersion(apiKey, apiVersion) === 1) skipTaggedFields(r);
  return { correlationId, bodyOffset: r.pos };
}

/** Writes a response header of the version the API/version pair needs. */
export function writeResponseHeader(
  w: Writer,
  apiKey: number,
  apiVersion: number,
  correlationId: number,
): void {
  w.int32(correlationId);
  if (responseHeaderVersion(apiKey, apiVersion) === 1) w.uvarint(0);
}
