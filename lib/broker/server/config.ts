import * as os from "node:os";
import { z } from "zod";
import { type SecuritySettings, SecuritySettingsSchema } from "../tenancy/security-config";

/** A `NAME://HOST:PORT` endpoint. */
export interface ListenerAddress {
  /** Listener name; also its security protocol (only PLAINTEXT is served today). */
  readonly name: string;
  /** Host to bind (or to advertise); "" binds every interface. */
  readonly host: string;
  /** TCP port; 0 binds an ephemeral port (advertised as the port actually bound). */
  readonly port: number;
}

/** A `HOST:PORT` endpoint for the admin HTTP listener. */
export interface HostPort {
  readonly host: string;
  readonly port: number;
}

/**
 * Broker-wide defaults for the log engine, camelCased Kafka topic configs (the keys of the log engine's
 * `LogConfig`). Declared here so that the config file and flags can be validated without the log engine.
 */
export interface LogDefaults {
  segmentBytes?: number;
  segmentMs?: number;
  indexIntervalBytes?: number;
  retentionMs?: number;
  retentionBytes?: number;
  cleanupPolicy?: "delete" | "compact" | "compact,delete";
  deleteRetentionMs?: number;
  minCompactionLagMs?: number;
  maxMessageBytes?: number;
  flushMessages?: number;
  flushMs?: number;
  messageTimestampType?: "CreateTime" | "LogAppendTime";
}

/** Group coordinator settings (Kafka's `group.*` / `offsets.*` broker configs). */
export interface GroupSettings {
  initialRebalanceDelayMs?: number;
  minSessionTimeoutMs?: number;
  maxSessionTimeoutMs?: number;
  maxGroupSize?: number;
  offsetMetadataMaxBytes?: number;
  offsetsRetentionMs?: number;
}

/**
 * When a produce waits for fsync: `acks-all` (default) — requests with acks=-1 wait for the
 * group-committed fsync; `always` — every produce waits; `never` — none waits (Kafka's own default,
 * which relies on replication; here it relies on the OS and on `flush.messages` / `flush.ms`).
 */
export type FlushPolicy = "acks-all" | "always" | "never";

/** The resolved configuration of one broker process. */
export interface BrokerConfig {
  readonly dataDir: string;
  readonly listeners: readonly ListenerAddress[];
  readonly advertisedListeners: readonly ListenerAddress[];
  readonly nodeId: number;
  /** Kafka's `broker.rack` (on AWS the availability-zone ID), returned in Metadata; null = none. */
  readonly rack: string | null;
  readonly autoCreateTopics: boolean;
  readonly numPartitions: number;
  readonly adminListener: HostPort | null;
  /** Certificates for SSL / SASL_SSL listeners; null when none is configured. */
  readonly tls: TlsSettings | null;
  /** Largest request accepted on the wire (Kafka's `socket.request.max.bytes`). */
  readonly maxRequestBytes: number;
  /**
   * Largest frame a SASL listener reads before the connection has authenticated (Kafka's
   * `sasl.server.max.receive.size`); a larger size prefix closes the connection at once.
   */
  readonly saslServerMaxReceiveSize: number;
  /**
   * Bytes of requests held at once, broker-wide: partially received, queued and in progress
   * (Kafka's `queued.max.request.bytes`). At the bound the broker stops reading sockets.
   */
  readonly queuedMaxRequestBytes: number;
  /** Upper bound on one Fetch response, whatever the client asks (Kafka's `fetch.max.bytes`). */
  readonly fetchMaxBytes: number;
  /** Idle connections are closed after this long (Kafka's `connections.max.idle.ms`); 0 = never. */
  readonly connectionsMaxIdleMs: number;
  /** How long a graceful shutdown waits for in-flight requests before closing connections. */
  readonly shutdownTimeoutMs: number;
  readonly logDefaults: LogDefaults;
  readonly flushPolicy: FlushPolicy;
  /** Overrides of the group coordinator's defaults. */
  readonly groups: GroupSettings;
  /** SASL, ACL and super-user settings of the tenancy layer (lib/broker/tenancy). */
  readonly security: SecuritySettings;
}

/** A bad flag, config file or value; the message says what was given and what is allowed. */
export class ConfigError extends Error {
  override readonly name: string = "ConfigError";
}

/** Kafka's default `socket.request.max.bytes` (100 MiB). */
export const DEFAULT_MAX_REQUEST_BYTES = 100 * 1024 * 1024;

/** Kafka's default `sasl.server.max.receive.size` (512 KiB). */
export const DEFAULT_SASL_SERVER_MAX_RECEIVE_SIZE = 512 * 1024;

/** Kafka's default `fetch.max.bytes` (55 MiB). */
export const DEFAULT_FETCH_MAX_BYTES = 55 * 1024 * 1024;

/**
 * Sluice's default `queued.max.request.bytes` (Kafka's is unbounded): 256 MiB, room for one request
 * of the default `socket.request.max.bytes` beside the small requests' share of the pool.
 */
export const DEFAULT_QUEUED_MAX_REQUEST_BYTES = 256 * 1024 * 1024;

const intSchema = z.number().int();
const nonNegInt = intSchema.min(0);
const cleanupPolicySchema = z.enum(["delete", "compact", "compact,delete"]);
const timestampTypeSchema = z.enum(["CreateTime", "LogAppendTime"]);

/** Schema of the `log` section of the config file (broker-wide log defaults). */
export const LogDefaultsSchema = z
  .object({
    segmentBytes: intSchema.min(14),
    segmentMs: intSchema.min(1),
    indexIntervalBytes: nonNegInt,
    retentionMs: intSchema.min(-1),
    retentionBytes: intSchema.min(-1),
    cleanupPolicy: cleanupPolicySchema,
    deleteRetentionMs: nonNegInt,
    minCompactionLagMs: nonNegInt,
    maxMessageBytes: nonNegInt,
    flushMessages: intSchema.min(1),
    flushMs: nonNegInt,
    messageTimestampType: timestampTypeSchema,
  })
  .partial()
  .strict();

/** Schema of the `groups` section of the config file. */
export const GroupSettingsSchema = z
  .object({
    initialRebalanceDelayMs: nonNegInt,
    minSessionTimeoutMs: nonNegInt,
    maxSessionTimeoutMs: nonNegInt,
    maxGroupSize: intSchema.min(1),
    offsetMetadataMaxBytes: nonNegInt,
    offsetsRetentionMs: intSchema.min(1),
  })
  .partial()
  .strict();

const listenersSchema = z.union([z.string(), z.array(z.string())]);

/** Certificate settings shared by the SSL and SASL_SSL listeners (file paths, PEM). */
export const TlsSettingsSchema = z
  .object({
    certFile: z.string().min(1),
    keyFile: z.string().min(1),
    caFile: z.string().min(1).optional(),
    clientAuth: z.enum(["none", "requested", "required"]).optional(),
  })
  .strict();

/** TLS settings of the SSL / SASL_SSL listeners. */
export type TlsSettings = z.infer<typeof TlsSettingsSchema>;

/** Schema of the JSON config file (`--config FILE`); unknown keys are errors. */
export const BrokerConfigFileSchema = z
  .object({
    dataDir: z.string().min(1),
    listeners: listenersSchema,
    advertisedListeners: listenersSchema,
    nodeId: nonNegInt,
    rack: z.string().min(1).max(255),
    autoCreateTopics: z.boolean(),
    numPartitions: intSchema.min(1),
    adminListener: z.string().nullable(),
    maxRequestBytes: intSchema.min(1024),
    saslServerMaxReceiveSize: intSchema.min(1024),
    queuedMaxRequestBytes: intSchema.min(1024 * 1024),
    fetchMaxBytes: intSchema.min(1024),
    shutdownTimeoutMs: nonNegInt,
    connectionsMaxIdleMs: nonNegInt,
    log: LogDefaultsSchema,
    flushPolicy: z.enum(["acks-all", "always", "never"]),
    groups: GroupSettingsSchema,
    security: SecuritySettingsSchema,
    tls: TlsSettingsSchema,
  })
  .partial()
  .strict();

/** What a config file may contain. */
export type BrokerConfigFile = z.infer<typeof BrokerConfigFileSchema>;

/** Turns a zod error into one readable line per problem. */
function describeZodError(error: z.ZodError): string {
  return error.issues
    .map((issue) => {
      const where = issue.path.length > 0 ? issue.path.join(".") : "(top level)";
      return `${where}: ${issue.message}`;
    })
    .join("; ");
}

/** Validates a parsed JSON config document; `source` names it in errors (e.g. "config file x.json"). */
export function parseConfigDocument(doc: unknown, source: string): BrokerConfigFile {
  const parsed = BrokerConfigFileSchema.safeParse(doc);
  if (!parsed.success) {
    throw new ConfigError(`invalid ${source}: ${describeZodError(parsed.error)}`);
  }
  return parsed.data;
}

/** Parses one `NAME://HOST:PORT` listener (IPv6 hosts in brackets). */
export function parseListener(text: string, what: string): ListenerAddress {
  const m = /^([A-Za-z][A-Za-z0-9_]*):\/\/(\[[0-9A-Fa-f:.]+\]|[^:/[\]]*):(\d{1,5})$/.exec(
    text.trim(),
  );
  if (!m) {
    throw new ConfigError(
      `${what}: "${text}" is not NAME://HOST:PORT (e.g. PLAINTEXT://0.0.0.0:9092 or PLAINTEXT://[::1]:9092)`,
    );
  }
  const [, rawName = "", rawHost = "", rawPort = ""] = m;
  const port = Number(rawPort);
  if (port > 65535) throw new ConfigError(`${what}: port ${port} in "${text}" is above 65535`);
  const name = rawName.toUpperCase();
  const host = rawHost.startsWith("[") ? rawHost.slice(1, -1) : rawHost;
  return { name, host, port };
}

/** Parses a comma-separated list (or array) of listeners; names must be unique. */
export function parseListeners(value: string | readonly string[], what: string): ListenerAddress[] {
  const parts = (typeof value === "string" ? value.split(",") : [...value])
    .map((s) => s.trim())
    .filter((s) => s.length > 0);
  if (parts.length === 0) throw new ConfigError(`${what}: at least one listener is required`);
  const out = parts.map((p) => parseListener(p, what));
  const seen = new Set<string>();
  for (const l of out) {
    if (seen.has(l.name)) throw new ConfigError(`${what}: listener name ${l.name} appears twice`);
    seen.add(l.name);
  }
  return out;
}

/** Parses `HOST:PORT` (IPv6 host in brackets). */
export function parseHostPort(text: string, what: string): HostPort {
  const m = /^(\[[0-9A-Fa-f:.]+\]|[^:/[\]]*):(\d{1,5})$/.exec(text.trim());
  if (!m) throw new ConfigError(`${what}: "${text}" is not HOST:PORT (e.g. 0.0.0.0:9644)`);
  const [, rawHost = "", rawPort = ""] = m;
  const port = Number(rawPort);
  if (port > 65535) throw new ConfigError(`${what}: port ${port} is above 65535`);
  return { host: rawHost.startsWith("[") ? rawHost.slice(1, -1) : rawHost, port };
}

/** Kafka's default listener when none is given. */
export const DEFAULT_LISTENERS = "PLAINTEXT://0.0.0.0:9092";

/** Listener names the server knows how to serve. */
export const SUPPORTED_LISTENER_NAMES: readonly string[] = [
  "PLAINTEXT",
  "SASL_PLAINTEXT",
  "SSL",
  "SASL_SSL",
];

/** Whether a listener is served over TLS (Kafka's SSL and SASL_SSL security protocols). */
export function isTlsListener(name: string): boolean {
  return name === "SSL" || name === "SASL_SSL";
}

/**
 * Merges a config file and flags (flags win) into a complete, validated {@link BrokerConfig}.
 * `flags` uses the same shape as the config file.
 */
export function resolveConfig(file: BrokerConfigFile, flags: BrokerConfigFile): BrokerConfig {
  const merged: BrokerConfigFile = {
    ...file,
    ...flags,
    log: { ...file.log, ...flags.log },
    groups: { ...file.groups, ...flags.groups },
    security: { ...file.security, ...flags.security },
  };
  const checked = parseConfigDocument(merged, "settings (flags over the config file)");
  const dataDir = checked.dataDir;
  if (dataDir === undefined) {
    throw new ConfigError("--data-dir is required (or dataDir in the config file)");
  }
  const listeners = parseListeners(checked.listeners ?? DEFAULT_LISTENERS, "listeners");
  for (const l of listeners) {
    if (!SUPPORTED_LISTENER_NAMES.includes(l.name)) {
      throw new ConfigError(
        `listeners: ${l.name} is not supported; use one of ${SUPPORTED_LISTENER_NAMES.join(", ")}`,
      );
    }
  }
  if (listeners.some((l) => isTlsListener(l.name)) && checked.tls === undefined) {
    throw new ConfigError(
      "listeners: SSL / SASL_SSL listeners need tls.certFile and tls.keyFile in the config file",
    );
  }
  const advertisedListeners =
    checked.advertisedListeners === undefined
      ? listeners.map((l) => ({ ...l, host: defaultAdvertisedHost(l.host) }))
      : parseListeners(checked.advertisedListeners, "advertised listeners");
  for (const a of advertisedListeners) {
    if (!listeners.some((l) => l.name === a.name)) {
      throw new ConfigError(
        `advertised listeners: ${a.name} has no matching listener (listeners: ${listeners.map((l) => l.name).join(", ")})`,
      );
    }
    if (a.host === "" || a.host === "0.0.0.0" || a.host === "::") {
      throw new ConfigError(
        `advertised listeners: ${a.name} advertises "${a.host}", which clients cannot connect to; give a routable host`,
      );
    }
  }
  const adminListener =
    checked.adminListener === undefined || checked.adminListener === null
      ? null
      : parseHostPort(checked.adminListener, "admin listener");
  return {
    dataDir,
    listeners,
    advertisedListeners,
    nodeId: checked.nodeId ?? 0,
    rack: checked.rack ?? null,
    autoCreateTopics: checked.autoCreateTopics ?? true,
    numPartitions: checked.numPartitions ?? 1,
    adminListener,
    maxRequestBytes: checked.maxRequestBytes ?? DEFAULT_MAX_REQUEST_BYTES,
    saslServerMaxReceiveSize:
      checked.saslServerMaxReceiveSize ?? DEFAULT_SASL_SERVER_MAX_RECEIVE_SIZE,
    queuedMaxRequestBytes: checked.queuedMaxRequestBytes ?? DEFAULT_QUEUED_MAX_REQUEST_BYTES,
    fetchMaxBytes: checked.fetchMaxBytes ?? DEFAULT_FETCH_MAX_BYTES,
    shutdownTimeoutMs: checked.shutdownTimeoutMs ?? 5000,
    connectionsMaxIdleMs: checked.connectionsMaxIdleMs ?? 600_000,
    logDefaults: checked.log ?? {},
    flushPolicy: checked.flushPolicy ?? "acks-all",
    groups: checked.groups ?? {},
    security: checked.security ?? {},
    tls: checked.tls ?? null,
  };
}

/** A wildcard bind address is not reachable: advertise the machine's host name instead (as Kafka does). */
function defaultAdvertisedHost(bindHost: string): string {
  if (bindHost === "" || bindHost === "0.0.0.0" || bindHost === "::") return os.hostname();
  return bindHost;
}
