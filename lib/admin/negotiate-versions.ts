import { ApiKey, SUPPORTED_APIS } from "../broker/protocol";

/** One entry of an ApiVersions response. */
export interface BrokerApiVersion {
  readonly apiKey: number;
  readonly minVersion: number;
  readonly maxVersion: number;
}

/**
 * For every API both sides know, the highest version both support; APIs with no common version
 * are absent.
 */
export function negotiateVersions(broker: readonly BrokerApiVersion[]): Map<ApiKey, number> {
  const out = new Map<ApiKey, number>();
  for (const b of broker) {
    const ours = SUPPORTED_APIS[b.apiKey as ApiKey];
    if (ours === undefined || ApiKey[b.apiKey] === undefined) continue;
    const max = Math.min(ours.max, b.maxVersion);
    const min = Math.max(ours.min, b.minVersion);
    if (max >= min) out.set(b.apiKey as ApiKey, max);
  }
  return out;
}
