import { ApiKey, ErrorCode } from "../../protocol";
import { AclOperation } from "../../tenancy/acl-binding";
import { clusterGate } from "../../tenancy/cluster-access";
import type { CredentialChange } from "../../tenancy/credential-store";
import {
  keysFromSaltedPassword,
  SCRAM_MAX_ITERATIONS,
  SCRAM_MIN_ITERATIONS,
  scramDigest,
  scramMechanismFromCode,
} from "../../tenancy/scram-algorithm";
import type { HandlerFor } from "../handler";

interface UserOutcome {
  errorCode: number;
  errorMessage: string | null;
  changes: CredentialChange[];
}

/**
 * AlterUserScramCredentials (51), v0: upserts (salted password → only StoredKey and ServerKey are
 * kept) and deletions, per user all-or-nothing as in Kafka. Needs ALTER on the cluster.
 */
export const alterUserScramCredentialsHandler: HandlerFor<ApiKey.AlterUserScramCredentials> = {
  apiKey: ApiKey.AlterUserScramCredentials,
  async handle(req, ctx, broker) {
    const users = [
      ...new Set([...req.deletions.map((d) => d.name), ...req.upsertions.map((u) => u.name)]),
    ];
    const gate = clusterGate(broker, ctx, AclOperation.ALTER);
    if ("errorCode" in gate) {
      const { errorCode } = gate;
      return {
        throttleTimeMs: 0,
        results: users.map((user) => ({ user, errorCode, errorMessage: null })),
      };
    }
    const { tenancy } = gate;
    const outcomes = new Map<string, UserOutcome>();
    const seen = new Set<string>();
    const fail = (user: string, errorCode: number, errorMessage: string) => {
      const o = outcomes.get(user);
      if (o !== undefined && o.errorCode === ErrorCode.NONE) {
        o.errorCode = errorCode;
        o.errorMessage = errorMessage;
        o.changes = [];
      }
    };
    const push = (user: string, change: CredentialChange) => {
      const o = outcomes.get(user);
      if (o !== undefined && o.errorCode === ErrorCode.NONE) o.changes.push(change);
    };
    for (const user of users)
      outcomes.set(user, { errorCode: ErrorCode.NONE, errorMessage: null, changes: [] });
    const ops = [
      ...req.deletions.map((d) => ({
        kind: "delete" as const,
        ...d,
        iterations: 0,
        salt: Buffer.alloc(0),
        saltedPassword: Buffer.alloc(0),
      })),
      ...req.upsertions.map((u) => ({ kind: "upsert" as const, ...u })),
    ];
    for (const op of ops) {
      const mechanism = scramMechanismFromCode(op.mechanism);
      const key = `${op.mechanism}:${op.name}`;
      if (seen.has(key)) {
        fail(
          op.name,
          ErrorCode.DUPLICATE_RESOURCE,
          "A user credential cannot be altered twice in the same request",
        );
        continue;
      }
      seen.add(key);
      if (op.name.length === 0) {
        fail(op.name, ErrorCode.UNACCEPTABLE_CREDENTIAL, "Username must not be empty");
      } else if (mechanism === null) {
        fail(op.name, ErrorCode.UNSUPPORTED_SASL_MECHANISM, "Unknown SCRAM mechanism");
      } else if (op.kind === "delete") {
        if (tenancy.credentials.get(op.name, mechanism) === undefined) {
          fail(
            op.name,
            ErrorCode.RESOURCE_NOT_FOUND,
            "Attempt to delete a user credential that does not exist",
          );
        } else push(op.name, { kind: "delete", user: op.name, mechanism });
      } else if (op.iterations < SCRAM_MIN_ITERATIONS) {
        fail(
          op.name,
          ErrorCode.UNACCEPTABLE_CREDENTIAL,
          `Too few iterations (minimum ${SCRAM_MIN_ITERATIONS})`,
        );
      } else if (op.iterations > SCRAM_MAX_ITERATIONS) {
        fail(
          op.name,
          ErrorCode.UNACCEPTABLE_CREDENTIAL,
          `Too many iterations (maximum ${SCRAM_MAX_ITERATIONS})`,
        );
      } else if (op.salt.length === 0 || op.saltedPassword.length === 0) {
        fail(
          op.name,
          ErrorCode.UNACCEPTABLE_CREDENTIAL,
          "Salt and salted password must not be empty",
        );
      } else {
        const keys = keysFromSaltedPassword(
          scramDigest(mechanism),
          op.saltedPassword,
          op.salt,
          op.iterations,
        );
        push(op.name, { kind: "upsert", user: op.name, mechanism, keys });
      }
    }
    const changes = [...outcomes.values()].flatMap((o) => o.changes);
    await tenancy.credentials.apply(changes);
    return {
      throttleTimeMs: 0,
      results: users.map((user) => {
        const o = outcomes.get(user);
        return {
          user,
          errorCode: o?.errorCode ?? ErrorCode.NONE,
          errorMessage: o?.errorMessage ?? null,
        };
      }),
    };
  },
};
