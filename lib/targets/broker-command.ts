import { CLUSTER_ADMIN_USER } from "../constructs/client-authentication";
import { BROKER_ADMIN_PORT, BROKER_CLIENT_PORT, IMAGE_DATA_DIR } from "../image/dockerfile";
import { brokerMemorySizing } from "./broker-memory";

/** Environment variable carrying the cluster administrator's password into brokers and `sluice apply`. */
export const ADMIN_PASSWORD_ENV = "SLUICE_ADMIN_PASSWORD";
/** SASL mechanism `sluice apply` authenticates with. */
export const ADMIN_SASL_MECHANISM = "SCRAM-SHA-512";

/** What a broker needs to know to start (flags of `sluice-broker`), on any target. */
export interface BrokerCommandOptions {
  /** Kafka node id. */
  readonly nodeId: number;
  /** Host:port clients outside the host connect to (advertised in Metadata). */
  readonly advertisedHost: string;
  /** Published host port of this broker. */
  readonly hostPort: number;
  /**
   * Serve SASL (SASL_PLAINTEXT) with ACLs enforced, and this super user, whose password the broker
   * reads from `passwordEnv` at start.
   * @default - PLAINTEXT, no authentication
   */
  readonly sasl?: {
    /** The admin principal's user name (a PLAIN super user). */
    readonly adminUser: string;
    /** The environment variable holding the admin's password. */
    readonly passwordEnv: string;
  };
  /**
   * The data directory.
   * @default - the image's, /var/lib/sluice
   */
  readonly dataDir?: string;
  /**
   * Kafka's `broker.rack`, returned to clients in Metadata (on AWS the availability-zone ID).
   * @default - none
   */
  readonly rack?: string;
  /**
   * Memory the broker may use, in MiB: its request memory bound (`--queued-max-request-bytes`) is
   * derived from it (see `brokerMemorySizing`).
   * @default - the broker's own default bound
   */
  readonly memoryMiB?: number;
}

/**
 * The `sluice-broker` flags for one broker. Only infrastructure settings are here: topics, tenants
 * and quotas reach the broker through `sluice apply`, so changing them never changes this command
 * (and never replaces the container).
 */
export function brokerCommand(options: BrokerCommandOptions): string[] {
  const protocol = options.sasl === undefined ? "PLAINTEXT" : "SASL_PLAINTEXT";
  const security =
    options.sasl === undefined
      ? []
      : [
          "--sasl-mechanisms",
          "SCRAM-SHA-512,SCRAM-SHA-256,PLAIN",
          "--authorizer",
          "true",
          "--super-users",
          `User:${options.sasl.adminUser}`,
          "--bootstrap-users",
          `${options.sasl.adminUser}:${options.sasl.passwordEnv}`,
        ];
  return [
    "--data-dir",
    options.dataDir ?? IMAGE_DATA_DIR,
    "--node-id",
    String(options.nodeId),
    "--listeners",
    `${protocol}://0.0.0.0:${BROKER_CLIENT_PORT}`,
    "--advertised-listeners",
    `${protocol}://${options.advertisedHost}:${options.hostPort}`,
    "--admin-listener",
    `0.0.0.0:${BROKER_ADMIN_PORT}`,
    // Topics come from the manifest; a typo in a client must not create one.
    "--auto-create-topics",
    "false",
    ...(options.rack === undefined ? [] : ["--rack", options.rack]),
    ...(options.memoryMiB === undefined
      ? []
      : [
          "--queued-max-request-bytes",
          String(brokerMemorySizing(options.memoryMiB).queuedMaxRequestBytes),
        ]),
    ...security,
  ];
}

/** The `sluice apply` flags after the manifest: where the brokers are and, with SASL, as whom. */
export function applyArgs(
  bootstrap: string,
  sasl: boolean,
  mechanism: string = ADMIN_SASL_MECHANISM,
): string[] {
  return [
    "--bootstrap",
    bootstrap,
    ...(sasl
      ? [
          "--sasl-mechanism",
          mechanism,
          "--username",
          CLUSTER_ADMIN_USER,
          "--password-env",
          ADMIN_PASSWORD_ENV,
        ]
      : []),
  ];
}
