import { randomBytes } from "node:crypto";
import { BrokerUnderTest, type Target } from "./broker-under-test";

/**
 * The two clusters the apply-parity test drives with `sluice apply`: a Sluice broker and an Apache
 * Kafka broker ({@link BrokerUnderTest}), both with an authorizer and a SASL_PLAINTEXT listener on
 * 127.0.0.1 that accepts PLAIN (the admin) and SCRAM-SHA-256/512 (the manifest's principals), so
 * `sluice apply` takes the credential-check path (a real SCRAM login per principal) on both.
 */

/** The admin user both clusters make a super user. */
export const ADMIN_USER = "admin";
/** Environment variable holding the admin password, for `sluice apply --password-env`. */
export const ADMIN_PASSWORD_ENV = "SLUICE_IT_APPLY_ADMIN_PASSWORD";

/** A cluster of the apply-parity test. */
export type ApplyCluster = BrokerUnderTest;

/** Starts one cluster with a fresh admin password. */
export function startApplyCluster(target: Target): Promise<ApplyCluster> {
  return BrokerUnderTest.start(target, {
    sasl: { tls: false, superUser: { user: ADMIN_USER, password: randomPassword() } },
  });
}

/** The admin password of a cluster started by {@link startApplyCluster}. */
export function adminPassword(cluster: ApplyCluster): string {
  const password = cluster.sasl?.superUser.password;
  if (password === undefined) throw new Error(`the ${cluster.target} broker has no SASL admin`);
  return password;
}

/** A random password (letters and digits only, so it needs no quoting in a JAAS line). */
export function randomPassword(): string {
  return randomBytes(18)
    .toString("base64")
    .replace(/[^A-Za-z0-9]/g, "x");
}
