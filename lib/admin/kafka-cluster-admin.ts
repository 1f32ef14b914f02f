import { ApiKey, ErrorCode } from "../broker/protocol";
import type { ClusterAdmin, ClusterValidator, CredentialCheck } from "../manifest/cluster-admin";
import type {
  AclBinding,
  ClusterQuota,
  ClusterQuotaEntity,
  ClusterState,
  ClusterTopic,
  ClusterTopicConfig,
  ScramCredentialInfo,
  ScramMechanism,
  TenantDefinition,
} from "../manifest/cluster-state";
import { credentialCheckKey } from "../manifest/reconcile";
import type { ManifestTopic } from "../manifest/schema";
import {
  decodeTenantConfig,
  encodeTenantConfig,
  TENANCY_MARKER_CONFIG,
  tenantConfigName,
  tenantOfConfigName,
} from "../manifest/tenant-config";
import {
  ACL_OPERATION,
  ACL_PERMISSION,
  CONFIG_RESOURCE,
  CONFIG_SOURCE_TOPIC_OVERRIDE,
  fromCode,
  PATTERN_TYPE,
  RESOURCE_TYPE,
  SCRAM_MECHANISM,
} from "./admin-codes";
import { KafkaResponseError, SaslAuthenticationError } from "./admin-errors";
import {
  type AdminClientOptions,
  KafkaAdminClient,
  type QuotaEntityPart,
  type WireAcl,
} from "./kafka-admin-client";
import { newScramSalt, scramSaltedPassword } from "./scram";

/**
 * {@link ClusterAdmin} over the Kafka admin APIs: what `sluice apply` uses against Sluice or
 * Apache Kafka. Sections the cluster does not support read as `undefined`.
 */
export class KafkaClusterAdmin implements ClusterAdmin, ClusterValidator {
  private readonly client: KafkaAdminClient;
  private readonly options: AdminClientOptions;

  private constructor(client: KafkaAdminClient, options: AdminClientOptions) {
    this.client = client;
    this.options = options;
  }

  /** Connects (and authenticates) to the bootstrap broker. */
  static async connect(options: AdminClientOptions): Promise<KafkaClusterAdmin> {
    return new KafkaClusterAdmin(await KafkaAdminClient.connect(options), options);
  }

  /** Closes the connection. */
  close(): void {
    this.client.close();
  }

  async readState(checks: readonly CredentialCheck[]): Promise<ClusterState> {
    const topics = await this.readTopics();
    const acls = await this.readAcls();
    const quotas = await this.readQuotas();
    const scram = await this.readScram();
    const tenants = await this.readTenants();
    const credentialChecks = new Map<string, boolean>();
    // Logins are only meaningful when the listener speaks SASL (the admin itself uses it).
    if (this.options.sasl && scram) {
      for (const c of checks) {
        if (!scram.get(c.user)?.some((s) => s.mechanism === c.mechanism)) continue;
        const ok = await this.tryLogin(c);
        if (ok !== undefined) credentialChecks.set(credentialCheckKey(c.user, c.mechanism), ok);
      }
    }
    return { topics, acls, quotas, scram, tenants, credentialChecks };
  }

  private async readTopics(): Promise<Map<string, ClusterTopic>> {
    const meta = (await this.client.metadata()).filter((t) => t.errorCode === 0 && t.name !== "");
    const configs = meta.length
      ? await this.client.describeConfigs(
          meta.map((t) => ({ type: CONFIG_RESOURCE.topic, name: t.name })),
        )
      : new Map();
    const out = new Map<string, ClusterTopic>();
    for (const t of meta) {
      const entries = configs.get(`${CONFIG_RESOURCE.topic}:${t.name}`) ?? [];
      const map = new Map<string, ClusterTopicConfig>();
      for (const c of entries) {
        map.set(c.name, { value: c.value, isOverride: c.source === CONFIG_SOURCE_TOPIC_OVERRIDE });
      }
      out.set(t.name, {
        name: t.name,
        partitions: t.partitions,
        replicationFactor: t.replicationFactor,
        internal: t.internal,
        configs: map,
      });
    }
    return out;
  }

  private async readAcls(): Promise<AclBinding[] | undefined> {
    if (!this.client.supports(ApiKey.DescribeAcls)) return undefined;
    const wire = await this.client.describeAcls();
    if (wire === undefined) return undefined;
    const out: AclBinding[] = [];
    for (const a of wire) {
      const binding = fromWireAcl(a);
      if (binding) out.push(binding);
    }
    return out;
  }

  private async readQuotas(): Promise<ClusterQuota[] | undefined> {
    if (!this.client.supports(ApiKey.DescribeClientQuotas)) return undefined;
    const out: ClusterQuota[] = [];
    for (const e of await this.client.describeClientQuotas()) {
      const entity: { user?: string | null; clientId?: string | null } = {};
      let modelled = true;
      for (const p of e.entity) {
        if (p.entityType === "user") entity.user = p.entityName;
        else if (p.entityType === "client-id") entity.clientId = p.entityName;
        else modelled = false; // e.g. `ip` quotas: not in the manifest's model, left alone
      }
      if (modelled) out.push({ entity, values: e.values });
    }
    return out;
  }

  private async readScram(): Promise<Map<string, ScramCredentialInfo[]> | undefined> {
    if (!this.client.supports(ApiKey.DescribeUserScramCredentials)) return undefined;
    const out = new Map<string, ScramCredentialInfo[]>();
    for (const [user, creds] of await this.client.describeUserScramCredentials()) {
      const infos: ScramCredentialInfo[] = [];
      for (const c of creds) {
        const mechanism = fromCode(SCRAM_MECHANISM, c.mechanism);
        if (mechanism) infos.push({ mechanism, iterations: c.iterations });
      }
      out.set(user, infos);
    }
    return out;
  }

  private async readTenants(): Promise<Map<string, TenantDefinition> | undefined> {
    if (!this.client.supports(ApiKey.DescribeConfigs)) return undefined;
    let entries: { name: string; value: string | null }[];
    try {
      const r = await this.client.describeConfigs([{ type: CONFIG_RESOURCE.broker, name: "" }]);
      entries = r.get(`${CONFIG_RESOURCE.broker}:`) ?? [];
    } catch (e) {
      if (e instanceof KafkaResponseError) return undefined;
      throw e;
    }
    if (!entries.some((c) => c.name === TENANCY_MARKER_CONFIG)) return undefined;
    const out = new Map<string, TenantDefinition>();
    for (const c of entries) {
      const name = tenantOfConfigName(c.name);
      if (name === null || c.value === null) continue;
      const decoded = decodeTenantConfig(c.value);
      // An unreadable definition reads as absent, so the plan rewrites it.
      if (decoded.ok) out.set(name, decoded.definition);
    }
    return out;
  }

  private async tryLogin(c: CredentialCheck): Promise<boolean | undefined> {
    try {
      const probe = await KafkaAdminClient.connect({
        ...this.options,
        sasl: { mechanism: c.mechanism, username: c.user, password: c.password },
      });
      probe.close();
      return true;
    } catch (e) {
      if (e instanceof SaslAuthenticationError) {
        // Mechanism not enabled on this listener: we cannot tell.
        return e.errorCode === ErrorCode.UNSUPPORTED_SASL_MECHANISM ? undefined : false;
      }
      return undefined;
    }
  }

  async putTenant(name: string, definition: TenantDefinition): Promise<void> {
    await this.client.incrementalAlterConfigs(CONFIG_RESOURCE.broker, "", [
      { name: tenantConfigName(name), value: encodeTenantConfig(definition) },
    ]);
  }

  async deleteTenant(name: string): Promise<void> {
    await this.client.incrementalAlterConfigs(CONFIG_RESOURCE.broker, "", [
      { name: tenantConfigName(name), value: null },
    ]);
  }

  async createTopic(topic: ManifestTopic, validateOnly = false): Promise<void> {
    await this.client.createTopics(
      [
        {
          name: topic.name,
          partitions: topic.partitions,
          replicationFactor: topic.replicationFactor,
          configs: topic.configs,
        },
      ],
      validateOnly,
    );
  }

  async createPartitions(topic: string, totalCount: number, validateOnly = false): Promise<void> {
    await this.client.createPartitions(topic, totalCount, validateOnly);
  }

  async alterTopicConfigs(
    topic: string,
    set: readonly { key: string; value: string }[],
    reset: readonly string[],
    validateOnly = false,
  ): Promise<void> {
    await this.client.incrementalAlterConfigs(
      CONFIG_RESOURCE.topic,
      topic,
      [
        ...set.map((s) => ({ name: s.key, value: s.value })),
        ...reset.map((name) => ({ name, value: null })),
      ],
      validateOnly,
    );
  }

  validateCreateTopic(topic: ManifestTopic): Promise<void> {
    return this.createTopic(topic, true);
  }

  validateCreatePartitions(topic: string, totalCount: number): Promise<void> {
    return this.createPartitions(topic, totalCount, true);
  }

  validateTopicConfigs(
    topic: string,
    set: readonly { key: string; value: string }[],
    reset: readonly string[],
  ): Promise<void> {
    return this.alterTopicConfigs(topic, set, reset, true);
  }

  validateQuota(
    entity: ClusterQuotaEntity,
    set: Readonly<Record<string, number>>,
    remove: readonly string[],
  ): Promise<void> {
    return this.alterQuota(entity, set, remove, true);
  }

  async upsertScramCredential(
    user: string,
    mechanism: ScramMechanism,
    iterations: number,
    password: string,
  ): Promise<void> {
    const salt = newScramSalt();
    await this.client.alterUserScramCredentials([
      {
        name: user,
        mechanism: SCRAM_MECHANISM[mechanism],
        iterations,
        salt,
        saltedPassword: scramSaltedPassword(mechanism, password, salt, iterations),
      },
    ]);
  }

  async deleteScramCredential(user: string, mechanism: ScramMechanism): Promise<void> {
    await this.client.alterUserScramCredentials(
      [],
      [{ name: user, mechanism: SCRAM_MECHANISM[mechanism] }],
    );
  }

  async createAcls(acls: readonly AclBinding[]): Promise<void> {
    await this.client.createAcls(acls.map(toWireAcl));
  }

  async deleteAcls(acls: readonly AclBinding[]): Promise<void> {
    await this.client.deleteAcls(acls.map(toWireAcl));
  }

  async alterQuota(
    entity: ClusterQuotaEntity,
    set: Readonly<Record<string, number>>,
    remove: readonly string[],
    validateOnly = false,
  ): Promise<void> {
    await this.client.alterClientQuotas(toQuotaEntityParts(entity), set, remove, validateOnly);
  }

  async deleteTopic(topic: string): Promise<void> {
    await this.client.deleteTopics([topic]);
  }
}

/** An ACL binding in wire codes. */
export function toWireAcl(a: AclBinding): WireAcl {
  return {
    resourceType: RESOURCE_TYPE[a.resourceType],
    resourceName: a.resourceName,
    patternType: PATTERN_TYPE[a.patternType],
    principal: a.principal,
    host: a.host,
    operation: ACL_OPERATION[a.operation],
    permissionType: ACL_PERMISSION[a.permission],
  };
}

/** A wire ACL as a binding; undefined for kinds the manifest cannot express (e.g. user resources). */
export function fromWireAcl(a: WireAcl): AclBinding | undefined {
  const resourceType = fromCode(RESOURCE_TYPE, a.resourceType);
  const patternType = fromCode(PATTERN_TYPE, a.patternType);
  const operation = fromCode(ACL_OPERATION, a.operation);
  const permission = fromCode(ACL_PERMISSION, a.permissionType);
  if (!resourceType || !patternType || !operation || !permission) return undefined;
  return {
    resourceType,
    patternType,
    resourceName: a.resourceName,
    principal: a.principal,
    host: a.host,
    operation,
    permission,
  };
}

/** Quota entity parts in the order Kafka uses (user, then client-id). */
export function toQuotaEntityParts(entity: ClusterQuotaEntity): QuotaEntityPart[] {
  const parts: QuotaEntityPart[] = [];
  if (entity.user !== undefined) parts.push({ entityType: "user", entityName: entity.user });
  if (entity.clientId !== undefined) {
    parts.push({ entityType: "client-id", entityName: entity.clientId });
  }
  return parts;
}
