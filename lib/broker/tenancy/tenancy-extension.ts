import { randomBytes } from "node:crypto";
import { ApiKey } from "../protocol";
import type { BrokerServices } from "../server/broker-services";
import type { RequestContext } from "../server/handler";
import type { ServerExtension } from "../server/server-extension";
import { keysFromPassword, SCRAM_MECHANISMS, scramDigest } from "./scram-algorithm";
import type { SecuritySettings } from "./security-config";
import { attachTenancy, Tenancy } from "./tenancy";
import { TenantConfigSource } from "./tenant-config-source";

/** A security setting that cannot be applied (e.g. a bootstrap password variable is missing). */
export class TenancyConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "TenancyConfigError";
  }
}

/** APIs a SASL connection may use before it is authenticated (Kafka's SaslServerAuthenticator). */
const PRE_AUTH_APIS: ReadonlySet<number> = new Set([
  ApiKey.ApiVersions,
  ApiKey.SaslHandshake,
  ApiKey.SaslAuthenticate,
]);

/** Whether a listener requires SASL (Kafka's security protocols SASL_PLAINTEXT and SASL_SSL). */
export function isSaslListener(listenerName: string): boolean {
  return listenerName.startsWith("SASL_");
}

/**
 * Plugs the tenancy layer into the server's {@link ServerExtension} hooks: opens the stores when the
 * services exist and attaches them (handlers find them with `tenancyOf`), gives each request its
 * connection's principal, closes a SASL connection that sends anything but ApiVersions/SASL before
 * authenticating or whose SASL exchange failed, charges request time to `request_percentage`
 * quotas, reports throttle times for muting, and forgets per-connection state on close.
 */
export class TenancyExtension implements ServerExtension {
  private readonly options: SecuritySettings;
  private readonly env: NodeJS.ProcessEnv;
  private tenancyOrNull: Tenancy | null = null;

  constructor(options: SecuritySettings = {}, env: NodeJS.ProcessEnv = process.env) {
    this.options = options;
    this.env = env;
  }

  /** The opened tenancy (after `attach`). */
  get tenancy(): Tenancy {
    if (this.tenancyOrNull === null) throw new Error("the tenancy extension is not attached yet");
    return this.tenancyOrNull;
  }

  async attach(services: BrokerServices): Promise<void> {
    const { bootstrapUsers = [], tenants, ...options } = this.options;
    const tenancy = await Tenancy.open({
      ...options,
      dataDir: services.config.dataDir,
      clock: services.clock,
    });
    if (tenants !== undefined) await tenancy.tenants.replace(tenants);
    services.dynamicConfigs.register(new TenantConfigSource(tenancy.tenants));
    for (const b of bootstrapUsers) {
      const password = this.env[b.passwordEnv];
      const exists = tenancy.credentials.has(b.user);
      // The variable is the source of truth: a changed password (e.g. a redeploy that generated a
      // new one over a retained data volume) replaces the stored credential at start.
      if (exists && (password === undefined || password === "")) continue;
      if (exists && (await tenancy.credentials.verifyPassword(b.user, password ?? ""))) continue;
      if (password === undefined || password === "") {
        throw new TenancyConfigError(
          `security.bootstrapUsers: environment variable ${b.passwordEnv} (password of ${b.user}) is not set`,
        );
      }
      const changes = await Promise.all(
        SCRAM_MECHANISMS.map(async (mechanism) => ({
          kind: "upsert" as const,
          user: b.user,
          mechanism,
          keys: await keysFromPassword(
            scramDigest(mechanism),
            password,
            randomBytes(32),
            b.iterations ?? 8192,
          ),
        })),
      );
      await tenancy.credentials.apply(changes);
      services.logger.info(
        `${exists ? "reset" : "created"} SCRAM credentials for bootstrap user ${b.user}`,
      );
    }
    attachTenancy(services, tenancy);
    this.tenancyOrNull = tenancy;
  }

  requiresAuthentication(listenerName: string): boolean {
    return isSaslListener(listenerName);
  }

  principalOf(connectionId: number): string | null {
    return this.tenancyOrNull?.principalOf(connectionId) ?? null;
  }

  admit(ctx: RequestContext): string | null {
    if (!isSaslListener(ctx.listenerName) || PRE_AUTH_APIS.has(ctx.apiKey)) return null;
    if (this.tenancyOrNull?.principalOf(ctx.connectionId) != null) return null;
    return `API key ${ctx.apiKey} before SASL authentication on ${ctx.listenerName}`;
  }

  closeAfterResponse(ctx: RequestContext): boolean {
    if (ctx.apiKey !== ApiKey.SaslHandshake && ctx.apiKey !== ApiKey.SaslAuthenticate) return false;
    return this.tenancyOrNull?.session(ctx.connectionId).hasFailed === true;
  }

  throttleMsAfterResponse(ctx: RequestContext): number {
    return this.tenancyOrNull?.takeThrottle(ctx.connectionId) ?? 0;
  }

  measuresRequestTime(): boolean {
    return this.tenancyOrNull?.quotaConfig.hasQuota("request_percentage") === true;
  }

  recordRequestTime(ctx: RequestContext, busyMs: number): number {
    const t = this.tenancyOrNull;
    if (t === null || this.exemptFromRequestQuota(ctx)) return 0;
    return t.quotas.recordRequestTime(ctx.principal, ctx.clientId, busyMs);
  }

  recordResponseTime(ctx: RequestContext, busyMs: number): void {
    const t = this.tenancyOrNull;
    if (t === null || this.exemptFromRequestQuota(ctx)) return;
    t.quotas.recordRequestTimeNoThrottle(ctx.principal, ctx.clientId, busyMs);
  }

  /**
   * Kafka never charges the authentication exchange to a request quota (its authenticator serves
   * it before KafkaApis). Without KIP-368 re-authentication every SASL request here is that
   * exchange; ApiVersions is, on a SASL listener, until the connection is authenticated.
   * (Kafka's other exemption, inter-broker cluster actions, has no counterpart: one broker.)
   */
  private exemptFromRequestQuota(ctx: RequestContext): boolean {
    if (ctx.apiKey === ApiKey.SaslHandshake || ctx.apiKey === ApiKey.SaslAuthenticate) return true;
    return (
      ctx.apiKey === ApiKey.ApiVersions &&
      isSaslListener(ctx.listenerName) &&
      this.tenancyOrNull?.principalOf(ctx.connectionId) == null
    );
  }

  connectionClosed(connectionId: number): void {
    this.tenancyOrNull?.connectionClosed(connectionId);
  }
}
