import type { ApiHandler } from "../handler";
import { offsetCommitHandler } from "./08-offset-commit";
import { offsetFetchHandler } from "./09-offset-fetch";
import { findCoordinatorHandler } from "./10-find-coordinator";
import { joinGroupHandler } from "./11-join-group";
import { heartbeatHandler } from "./12-heartbeat";
import { leaveGroupHandler } from "./13-leave-group";
import { syncGroupHandler } from "./14-sync-group";
import { describeGroupsHandler } from "./15-describe-groups";
import { listGroupsHandler } from "./16-list-groups";
import { deleteGroupsHandler } from "./42-delete-groups";

/**
 * Every API the broker serves: one handler module per API key (`<key>-<name>.ts`, as in franz-go's
 * kfake). To add one, import it and append it to this list (keep the list sorted by key).
 */
export const HANDLERS: readonly ApiHandler[] = [
  offsetCommitHandler,
  offsetFetchHandler,
  findCoordinatorHandler,
  joinGroupHandler,
  heartbeatHandler,
  leaveGroupHandler,
  syncGroupHandler,
  describeGroupsHandler,
  listGroupsHandler,
  deleteGroupsHandler,
];

/** The handlers by API key; a duplicate key is a programming error. */
export function handlersByKey(handlers: readonly ApiHandler[] = HANDLERS): Map<number, ApiHandler> {
  const map = new Map<number, ApiHandler>();
  for (const h of handlers) {
    if (map.has(h.apiKey)) throw new Error(`two handlers registered for API key ${h.apiKey}`);
    map.set(h.apiKey, h);
  }
  return map;
}
