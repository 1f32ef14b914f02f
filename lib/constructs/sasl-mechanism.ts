/** How a tenant's principals authenticate (SASL). */
export enum SaslMechanism {
  /** SCRAM with SHA-512: the password never crosses the wire; the broker stores it salted. */
  SCRAM_SHA_512 = "SCRAM-SHA-512",
  /** SCRAM with SHA-256. */
  SCRAM_SHA_256 = "SCRAM-SHA-256",
  /** PLAIN: the password crosses the wire; use only with TLS. */
  PLAIN = "PLAIN",
}
