import { ApiKey } from "./api-key";
import { MESSAGE_SCHEMAS } from "./messages";
import { parseVersions } from "./schema";

/** Advertised version range of one API. */
export interface SupportedApi {
  readonly min: number;
  readonly max: number;
  /** First flexible version (compact encodings, tagged fields, header v2/v1), or null if none. */
  readonly flexibleFrom: number | null;
}

function entry(key: ApiKey): SupportedApi {
  const { request } = MESSAGE_SCHEMAS[key];
  const v = parseVersions(request.versions);
  const flex = parseVersions(request.flexible);
  return { min: v.min, max: v.max, flexibleFrom: flex.min <= flex.max ? flex.min : null };
}

/**
 * Every API the codec implements, with the versions to advertise in ApiVersions (see
 * shared/docs/kafka-compat.md). Produce is advertised from v0 although v0-2 are rejected by the
 * handler, because librdkafka disables compression when v0 is missing.
 */
export const SUPPORTED_APIS: Readonly<Record<ApiKey, SupportedApi>> = Object.fromEntries(
  Object.values(ApiKey)
    .filter((k): k is ApiKey => typeof k === "number")
    .map((k) => [k, entry(k)]),
) as Record<ApiKey, SupportedApi>;

/** Whether `apiKey` is one of ours. */
export function isKnownApiKey(apiKey: number): apiKey is ApiKey {
  return Object.hasOwn(SUPPORTED_APIS, apiKey);
}

/** Whether the codec handles `version` of `apiKey`. */
export function isSupportedVersion(apiKey: number, version: number): boolean {
  if (!isKnownApiKey(apiKey)) return false;
  const s = SUPPORTED_APIS[apiKey];
  return version >= s.min && version <= s.max;
}

/**
 * The `apiKeys` list of an ApiVersions response: every supported API, or only those in `keys`
 * (e.g. the APIs that have a registered handler), in ascending key order.
 */
export function apiVersionsList(
  keys: Iterable<number> = Object.keys(SUPPORTED_APIS).map(Number),
): { apiKey: number; minVersion: number; maxVersion: number }[] {
  const out: { apiKey: number; minVersion: number; maxVersion: number }[] = [];
  for (const k of new Set(keys)) {
    if (!isKnownApiKey(k)) continue;
    const s = SUPPORTED_APIS[k];
    out.push({ apiKey: k, minVersion: s.min, maxVersion: s.max });
  }
  return out.sort((a, b) => a.apiKey - b.apiKey);
}
