import type { LogManager, ReadBufferPool } from "../log";
import type { BrokerConfig, ListenerAddress } from "./config";
import type { DynamicBrokerConfigs } from "./dynamic-broker-configs";
import type { BrokerMetrics } from "./metrics";
import type { TopicRegistry } from "./topic-registry";

/** The broker's only view of wall-clock time (tests may substitute it). */
export interface Clock {
  /** Milliseconds since the Unix epoch. */
  now(): number;
}

/** The system clock. */
export const systemClock: Clock = { now: () => Date.now() };

/**
 * What the server itself needs of the group coordinator (closing it). The group API handlers narrow
 * `BrokerServices.groups` to lib/broker/groups' `GroupCoordinator` with `groupCoordinatorOf`, which
 * keeps the server independent of the coordinator and lets tests run without one.
 */
export interface GroupCoordinatorService {
  close(): Promise<void>;
}

/** A one-line structured logger (stderr by default). */
export interface BrokerLogger {
  info(message: string): void;
  warn(message: string): void;
  error(message: string): void;
}

/** Everything a handler may use; one instance per broker process. */
export interface BrokerServices {
  /** Partition logs. */
  readonly logs: LogManager;
  /** Topics, partition counts, topic ids and per-topic config overrides. */
  readonly topics: TopicRegistry;
  /** Consumer group coordinator. */
  readonly groups: GroupCoordinatorService;
  /** Resolved broker configuration. */
  readonly config: BrokerConfig;
  readonly clock: Clock;
  /** Id of this cluster (22-character base64url, as Kafka's), persisted in the data directory. */
  readonly clusterId: string;
  /** Listeners as clients must reach them (ephemeral ports resolved to the bound ones). */
  advertisedListeners(): readonly ListenerAddress[];
  readonly metrics: BrokerMetrics;
  readonly logger: BrokerLogger;
  /** API keys with a registered handler (what ApiVersions advertises). */
  readonly apiKeys: readonly number[];
  /** Cluster-wide broker configs changeable at run time (registered by layers such as tenancy). */
  readonly dynamicConfigs: DynamicBrokerConfigs;
  /** Aborted when graceful shutdown begins: long waits (Fetch long polling) must end early. */
  readonly shutdown: AbortSignal;
  /** Reusable buffers for Fetch's reads, given back once a response is on the socket. */
  readonly readBuffers: ReadBufferPool;
}
