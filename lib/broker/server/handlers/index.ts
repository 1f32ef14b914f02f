import type { ApiHandler } from "../handler";

/**
 * Every API the broker serves: one handler module per API key (`<key>-<name>.ts`, as in franz-go's
 * kfake). To add one, import it and append it to this list (keep the list sorted by key).
 */
export const HANDLERS: readonly ApiHandler[] = [];

/** The handlers by API key; a duplicate key is a programming error. */
export function handlersByKey(handlers: readonly ApiHandler[] = HANDLERS): Map<number, ApiHandler> {
  const map = new Map<number, ApiHandler>();
  for (const h of handlers) {
    if (map.has(h.apiKey)) throw new Error(`two handlers registered for API key ${h.apiKey}`);
    map.set(h.apiKey, h);
  }
  return map;
}
