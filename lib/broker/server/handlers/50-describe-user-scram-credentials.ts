import { ApiKey, ErrorCode } from "../../protocol";
import { AclOperation } from "../../tenancy/acl-binding";
import { authorizeCluster } from "../../tenancy/cluster-access";
import { SCRAM_MECHANISM_CODE } from "../../tenancy/scram-algorithm";
import { tenancyOf } from "../../tenancy/tenancy";
import type { HandlerFor } from "../handler";

/**
 * DescribeUserScramCredentials (50), v0: mechanisms and iteration counts of users (never salts or
 * keys). Needs DESCRIBE on the cluster. A null or empty user list describes every user.
 */
export const describeUserScramCredentialsHandler: HandlerFor<ApiKey.DescribeUserScramCredentials> =
  {
    apiKey: ApiKey.DescribeUserScramCredentials,
    handle(req, ctx, broker) {
      const tenancy = tenancyOf(broker);
      if (tenancy === null) {
        return {
          throttleTimeMs: 0,
          errorCode: ErrorCode.SECURITY_DISABLED,
          errorMessage: "SASL/SCRAM is not enabled on this broker",
          results: [],
        };
      }
      if (!authorizeCluster(tenancy, ctx, AclOperation.DESCRIBE)) {
        return {
          throttleTimeMs: 0,
          errorCode: ErrorCode.CLUSTER_AUTHORIZATION_FAILED,
          errorMessage: null,
          results: [],
        };
      }
      const store = tenancy.credentials;
      const requested =
        req.users === null || req.users.length === 0
          ? store.userNames()
          : req.users.map((u) => u.name);
      const counts = new Map<string, number>();
      for (const u of requested) counts.set(u, (counts.get(u) ?? 0) + 1);
      const seen = new Set<string>();
      const results = [];
      for (const user of requested) {
        if (seen.has(user)) continue;
        seen.add(user);
        if ((counts.get(user) ?? 0) > 1) {
          results.push({
            user,
            errorCode: ErrorCode.DUPLICATE_RESOURCE,
            errorMessage: `Cannot describe SCRAM credentials for the same user twice in a single request: ${user}`,
            credentialInfos: [],
          });
          continue;
        }
        const infos = store.describe(user);
        if (infos.length === 0) {
          results.push({
            user,
            errorCode: ErrorCode.RESOURCE_NOT_FOUND,
            errorMessage: `Attempt to describe a user credential that does not exist: ${user}`,
            credentialInfos: [],
          });
          continue;
        }
        results.push({
          user,
          errorCode: ErrorCode.NONE,
          errorMessage: null,
          credentialInfos: infos.map((i) => ({
            mechanism: SCRAM_MECHANISM_CODE[i.mechanism],
            iterations: i.iterations,
          })),
        });
      }
      return { throttleTimeMs: 0, errorCode: ErrorCode.NONE, errorMessage: null, results };
    },
  };
