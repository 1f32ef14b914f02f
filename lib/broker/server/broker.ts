import { promises as fsp } from "node:fs";
import * as net from "node:net";
import * as tls from "node:tls";
import { GroupCoordinator } from "../groups";
import { LogManager, ReadBufferPool } from "../log";
import { ApiKey } from "../protocol";
import { AdminServer } from "./admin-server";
import { type BrokerIdentity, loadBrokerIdentity } from "./broker-identity";
import { BrokerLogConfigs } from "./broker-log-configs";
import {
  type BrokerLogger,
  type BrokerServices,
  type Clock,
  type GroupCoordinatorService,
  systemClock,
} from "./broker-services";
import { certificatePrincipal } from "./certificate-principal";
import {
  type BrokerConfig,
  type GroupSettings,
  type HostPort,
  isTlsListener,
  type ListenerAddress,
} from "./config";
import { Connection } from "./connection";
import { DataDirLock } from "./data-dir-lock";
import { DynamicBrokerConfigs } from "./dynamic-broker-configs";
import type { ApiHandler } from "./handler";
import { HANDLERS, handlersByKey } from "./handlers";
import { stderrLogger } from "./logger";
import { BrokerMetrics } from "./metrics";
import { RequestDispatcher } from "./request-dispatcher";
import { RequestMemoryPool } from "./request-memory-pool";
import type { ServerExtension } from "./server-extension";
import { tlsServerOptions } from "./tls-server-options";
import { TopicRegistry } from "./topic-registry";

/** What the group coordinator factory receives. */
export interface GroupDeps {
  readonly logs: LogManager;
  readonly dataDir: string;
  readonly clock: Clock;
  readonly logger: BrokerLogger;
  readonly settings: GroupSettings;
}

/** Options of {@link Broker.start}. */
export interface BrokerOptions {
  readonly config: BrokerConfig;
  /** @default - one line per event on stderr */
  readonly logger?: BrokerLogger;
  /** @default - every registered handler ({@link HANDLERS}) */
  readonly handlers?: readonly ApiHandler[];
  /** @default - the system clock */
  readonly clock?: Clock;
  /** Hooks of the tenancy layer (SASL, ACLs, quotas). @default - none: everyone is User:ANONYMOUS */
  readonly extension?: ServerExtension;
  /** Opens the group coordinator. @default - `GroupCoordinator.open` from lib/broker/groups */
  readonly openGroups?: (deps: GroupDeps) => Promise<GroupCoordinatorService>;
}

/** A bound Kafka listener. */
export interface BoundListener extends ListenerAddress {
  /** The port actually bound (differs from `port` when 0 was asked for). */
  readonly boundPort: number;
}

function apiName(key: number): string {
  return ApiKey[key] ?? String(key);
}

/**
 * One running broker: the log engine, the topic registry, the group coordinator, the Kafka listeners
 * and the admin HTTP listener. `start` brings them up in dependency order; `stop` shuts down gracefully.
 */
export class Broker {
  private readonly servers: net.Server[] = [];
  private readonly connections = new Set<Connection>();
  private nextConnectionId = 1;
  private ready = false;
  private stopping: Promise<void> | null = null;
  private admin: AdminServer | null = null;
  private bound: BoundListener[] = [];
  /** Set once start completes; connections accepted earlier wait for it. */
  readonly services: BrokerServices;
  private readonly dispatcher: RequestDispatcher;

  private constructor(
    services: BrokerServices,
    handlers: readonly ApiHandler[],
    private readonly groups: GroupCoordinatorService,
    private readonly abort: AbortController,
    private readonly lock: DataDirLock,
    private readonly extension: ServerExtension,
    private readonly requestMemory: RequestMemoryPool,
  ) {
    this.services = services;
    this.dispatcher = new RequestDispatcher(
      handlersByKey(handlers),
      () => this.services,
      extension,
    );
  }

  /** Opens the data directory and starts listening. */
  static async start(opts: BrokerOptions): Promise<Broker> {
    const { config } = opts;
    const logger = opts.logger ?? stderrLogger();
    const clock = opts.clock ?? systemClock;
    await fsp.mkdir(config.dataDir, { recursive: true });
    const lock = await DataDirLock.acquire(config.dataDir);
    let logs: LogManager;
    let identity: BrokerIdentity;
    try {
      identity = await loadBrokerIdentity(config.dataDir, config.nodeId, (m) => logger.warn(m));
      logs = await LogManager.open({
        dataDir: config.dataDir,
        defaults: config.logDefaults,
        onWarning: (m) => logger.warn(m),
      });
    } catch (e) {
      await lock.release();
      throw e;
    }
    let groups: GroupCoordinatorService | null = null;
    try {
      const topics = await TopicRegistry.open({
        dataDir: config.dataDir,
        logs,
        onWarning: (m) => logger.warn(m),
      });
      const openGroups = opts.openGroups ?? openGroupCoordinator;
      groups = await openGroups({
        logs,
        dataDir: config.dataDir,
        clock,
        logger,
        settings: config.groups,
      });
      const dynamicConfigs = new DynamicBrokerConfigs();
      dynamicConfigs.register(
        await BrokerLogConfigs.open({
          dataDir: config.dataDir,
          logs,
          staticDefaults: config.logDefaults,
          onWarning: (m) => logger.warn(m),
        }),
      );
      const metrics = new BrokerMetrics();
      const requestMemory = new RequestMemoryPool(config.queuedMaxRequestBytes);
      metrics.setGauges({
        partitions: () => topics.partitionCount(),
        topics: () => topics.list().length,
        requestMemory: () => requestMemory.stats(),
        logHealth: () => ({
          damagedRanges: logs.damagedRangesFound,
          failedFsyncs: logs.failedFsyncs,
          partitionsOfflineForWrites: logs.partitionsOfflineForWrites,
        }),
      });
      let broker: Broker | null = null;
      const abort = new AbortController();
      const services: BrokerServices = {
        logs,
        topics,
        groups,
        config,
        clock,
        clusterId: identity.clusterId,
        advertisedListeners: () => broker?.advertised() ?? config.advertisedListeners,
        metrics,
        logger,
        shutdown: abort.signal,
        dynamicConfigs,
        readBuffers: new ReadBufferPool(),
        apiKeys: [...handlersByKey(opts.handlers ?? HANDLERS).keys()].sort((a, b) => a - b),
      };
      const extension = opts.extension ?? {};
      broker = new Broker(
        services,
        opts.handlers ?? HANDLERS,
        groups,
        abort,
        lock,
        extension,
        requestMemory,
      );
      await extension.attach?.(services);
      await broker.listen();
      return broker;
    } catch (e) {
      await groups?.close().catch(() => undefined);
      await logs.close().catch(() => undefined);
      await lock.release();
      throw e;
    }
  }

  private async listen(): Promise<void> {
    const { config, logger } = this.services;
    try {
      for (const l of config.listeners) {
        const server = isTlsListener(l.name)
          ? tls.createServer(tlsServerOptions(config.tls), (socket) => this.accept(socket, l.name))
          : net.createServer({ noDelay: true }, (socket) => this.accept(socket, l.name));
        this.servers.push(server);
        const port = await new Promise<number>((resolve, reject) => {
          server.once("error", reject);
          server.listen({ port: l.port, host: l.host === "" ? undefined : l.host }, () => {
            server.off("error", reject);
            resolve((server.address() as net.AddressInfo).port);
          });
        });
        server.on("error", (e) => logger.error(`listener ${l.name}: ${e.message}`));
        this.bound.push({ ...l, boundPort: port });
        logger.info(`listening for Kafka clients on ${l.name}://${l.host}:${port}`);
      }
      if (config.adminListener) {
        this.admin = await AdminServer.start(config.adminListener, {
          isReady: () => this.ready,
          metricsText: () => this.services.metrics.render(apiName),
        });
        const a = this.admin.address();
        logger.info(`admin endpoints on http://${a.host}:${a.port}/ (healthz, readyz, metrics)`);
      }
    } catch (e) {
      for (const s of this.servers) s.close();
      await this.admin?.close();
      throw e;
    }
    this.ready = true;
  }

  private accept(socket: net.Socket, listenerName: string): void {
    if (!this.ready || this.stopping) {
      socket.destroy();
      return;
    }
    const { metrics, logger, config } = this.services;
    const id = this.nextConnectionId++;
    const { extension } = this;
    const conn = new Connection(socket, {
      id,
      listenerName,
      tlsPrincipal: socket instanceof tls.TLSSocket ? certificatePrincipal(socket) : null,
      maxRequestBytes: config.maxRequestBytes,
      idleTimeoutMs: config.connectionsMaxIdleMs,
      process: (frame, c) => this.dispatcher.process(frame, c),
      logger,
      metrics,
      pool: this.requestMemory,
      preAuth:
        extension.requiresAuthentication?.(listenerName) === true
          ? {
              maxBytes: config.saslServerMaxReceiveSize,
              isAuthenticated: () => (extension.principalOf?.(id) ?? null) !== null,
            }
          : undefined,
      isExclusive: (frame) => this.dispatcher.runsAlone(frame),
    });
    metrics.connectionsOpen++;
    metrics.connectionsTotal++;
    this.connections.add(conn);
    socket.once("close", () => {
      metrics.connectionsOpen--;
      this.connections.delete(conn);
      this.extension.connectionClosed?.(conn.id);
    });
  }

  /** Bound Kafka listeners (with ephemeral ports resolved). */
  listeners(): readonly BoundListener[] {
    return this.bound;
  }

  /** The bound admin listener, if configured. */
  adminAddress(): HostPort | null {
    return this.admin?.address() ?? null;
  }

  /** Advertised listeners with ephemeral ports replaced by the bound ones. */
  advertised(): ListenerAddress[] {
    return this.services.config.advertisedListeners.map((a) => {
      const b = this.bound.find((x) => x.name === a.name);
      return a.port === 0 && b ? { ...a, port: b.boundPort } : a;
    });
  }

  /** True while serving. */
  isReady(): boolean {
    return this.ready;
  }

  /**
   * Graceful shutdown: stop accepting, stop reading requests, end long polls, let requests in
   * progress finish (bounded by `shutdownTimeoutMs`), close connections, then close the group
   * coordinator and the log engine (which writes the clean-shutdown marker).
   */
  stop(): Promise<void> {
    this.stopping ??= this.doStop();
    return this.stopping;
  }

  private async doStop(): Promise<void> {
    const { logger, config, logs } = this.services;
    this.ready = false;
    const closed = this.servers.map((s) => new Promise<void>((r) => s.close(() => r())));
    for (const c of this.connections) c.stopReading();
    this.abort.abort();
    const deadline = Date.now() + config.shutdownTimeoutMs;
    const idle = () => Promise.all([...this.connections].map((c) => c.whenIdle()));
    await withTimeout(idle(), Math.min(1000, config.shutdownTimeoutMs));
    // Parked JoinGroup/SyncGroup requests only end when the coordinator closes.
    await this.groups.close().catch((e: unknown) => logger.error(`closing groups: ${String(e)}`));
    await withTimeout(idle(), Math.max(0, deadline - Date.now()));
    for (const c of this.connections) {
      if (c.inFlight > 0)
        logger.warn(`connection ${c.id}: ${c.inFlight} requests unanswered at shutdown`);
      c.end();
    }
    const ended = [...this.connections].map(
      (c) => new Promise<void>((r) => c.socket.once("close", () => r())),
    );
    await withTimeout(Promise.all(ended), 500);
    for (const c of this.connections) c.destroy();
    await Promise.all(closed);
    await this.extension
      .close?.()
      .catch((e: unknown) => logger.error(`closing extension: ${String(e)}`));
    await this.admin?.close();
    await logs.close();
    await this.lock.release();
    logger.info("broker stopped cleanly");
  }
}

function withTimeout(p: Promise<unknown>, ms: number): Promise<void> {
  return new Promise((resolve) => {
    const t = setTimeout(resolve, ms);
    p.then(
      () => {
        clearTimeout(t);
        resolve();
      },
      () => {
        clearTimeout(t);
        resolve();
      },
    );
  });
}

/** The broker's group coordinator: offsets and groups persisted in `__consumer_offsets`. */
function openGroupCoordinator(deps: GroupDeps): Promise<GroupCoordinatorService> {
  return GroupCoordinator.open({
    logs: deps.logs,
    dataDir: deps.dataDir,
    clock: deps.clock,
    logger: deps.logger,
    config: deps.settings,
  });
}
