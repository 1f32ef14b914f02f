import { withTenancy } from "../../tenancy/request-authorization";
import type { ApiHandler } from "../handler";
import { produceHandler } from "./00-produce";
import { fetchHandler } from "./01-fetch";
import { listOffsetsHandler } from "./02-list-offsets";
import { metadataHandler } from "./03-metadata";
import { offsetCommitHandler } from "./08-offset-commit";
import { offsetFetchHandler } from "./09-offset-fetch";
import { findCoordinatorHandler } from "./10-find-coordinator";
import { joinGroupHandler } from "./11-join-group";
import { heartbeatHandler } from "./12-heartbeat";
import { leaveGroupHandler } from "./13-leave-group";
import { syncGroupHandler } from "./14-sync-group";
import { describeGroupsHandler } from "./15-describe-groups";
import { listGroupsHandler } from "./16-list-groups";
import { saslHandshakeHandler } from "./17-sasl-handshake";
import { apiVersionsHandler } from "./18-api-versions";
import { createTopicsHandler } from "./19-create-topics";
import { deleteTopicsHandler } from "./20-delete-topics";
import { deleteRecordsHandler } from "./21-delete-records";
import { initProducerIdHandler } from "./22-init-producer-id";
import { offsetForLeaderEpochHandler } from "./23-offset-for-leader-epoch";
import { describeAclsHandler } from "./29-describe-acls";
import { createAclsHandler } from "./30-create-acls";
import { deleteAclsHandler } from "./31-delete-acls";
import { describeConfigsHandler } from "./32-describe-configs";
import { alterConfigsHandler } from "./33-alter-configs";
import { alterReplicaLogDirsHandler } from "./34-alter-replica-log-dirs";
import { describeLogDirsHandler } from "./35-describe-log-dirs";
import { saslAuthenticateHandler } from "./36-sasl-authenticate";
import { createPartitionsHandler } from "./37-create-partitions";
import { deleteGroupsHandler } from "./42-delete-groups";
import { incrementalAlterConfigsHandler } from "./44-incremental-alter-configs";
import { describeClientQuotasHandler } from "./48-describe-client-quotas";
import { alterClientQuotasHandler } from "./49-alter-client-quotas";
import { describeUserScramCredentialsHandler } from "./50-describe-user-scram-credentials";
import { alterUserScramCredentialsHandler } from "./51-alter-user-scram-credentials";
import { describeClusterHandler } from "./60-describe-cluster";

/**
 * Every API the broker serves: one handler module per API key (`<key>-<name>.ts`, as in franz-go's
 * kfake). To add one, import it and append it to this list (keep the list sorted by key).
 */
export const HANDLERS: readonly ApiHandler[] = [
  produceHandler,
  fetchHandler,
  listOffsetsHandler,
  metadataHandler,
  offsetCommitHandler,
  offsetFetchHandler,
  findCoordinatorHandler,
  joinGroupHandler,
  heartbeatHandler,
  leaveGroupHandler,
  syncGroupHandler,
  describeGroupsHandler,
  listGroupsHandler,
  apiVersionsHandler,
  createTopicsHandler,
  deleteTopicsHandler,
  deleteRecordsHandler,
  initProducerIdHandler,
  offsetForLeaderEpochHandler,
  describeConfigsHandler,
  alterConfigsHandler,
  alterReplicaLogDirsHandler,
  describeLogDirsHandler,
  createPartitionsHandler,
  deleteGroupsHandler,
  incrementalAlterConfigsHandler,
  describeClusterHandler,
];

/** The APIs of the tenancy layer (SASL, ACLs, client quotas, SCRAM credentials). */
export const TENANCY_HANDLERS: readonly ApiHandler[] = [
  saslHandshakeHandler,
  describeAclsHandler,
  createAclsHandler,
  deleteAclsHandler,
  saslAuthenticateHandler,
  describeClientQuotasHandler,
  alterClientQuotasHandler,
  describeUserScramCredentialsHandler,
  alterUserScramCredentialsHandler,
];

/**
 * The handlers of a broker running the tenancy layer (lib/broker/tenancy's `TenancyExtension`):
 * every API plus the tenancy APIs, wrapped by `withTenancy` with authorization, tenant limits and
 * quotas. A broker without the extension uses {@link HANDLERS} and does not advertise the tenancy APIs.
 */
export function tenancyHandlers(): ApiHandler[] {
  return withTenancy([...HANDLERS, ...TENANCY_HANDLERS].sort((a, b) => a.apiKey - b.apiKey));
}

/** The handlers by API key; a duplicate key is a programming error. */
export function handlersByKey(handlers: readonly ApiHandler[] = HANDLERS): Map<number, ApiHandler> {
  const map = new Map<number, ApiHandler>();
  for (const h of handlers) {
    if (map.has(h.apiKey)) throw new Error(`two handlers registered for API key ${h.apiKey}`);
    map.set(h.apiKey, h);
  }
  return map;
}
