/** How clients authenticate to a cluster's brokers. */
export enum ClientAuthentication {
  /** No authentication (Kafka's PLAINTEXT listener): every client is `User:ANONYMOUS`, no ACLs. */
  NONE = "none",
  /**
   * SASL (Kafka's SASL_PLAINTEXT listener) with SCRAM-SHA-512, SCRAM-SHA-256 and PLAIN; ACLs and
   * tenant isolation enforced. The cluster gets an administrator (`sluice-admin`, a super user)
   * whose password is generated at deploy time; tenants' principals get their own.
   */
  SASL = "sasl",
}

/** The super user a SASL cluster's `sluice apply` authenticates as. */
export const CLUSTER_ADMIN_USER = "sluice-admin";
