import {
  ApiKey,
  decodeResponse,
  ErrorCode,
  readResponseHeader,
  SUPPORTED_APIS,
} from "../broker/protocol";
import {
  checkError,
  KafkaConnectionError,
  KafkaResponseError,
  UnsupportedApiError,
} from "./admin-errors";
import { type ConnectionOptions, KafkaConnection } from "./kafka-connection";
import { negotiateVersions } from "./negotiate-versions";
import { type SaslOptions, saslLogin } from "./sasl-login";

/** How to reach and authenticate to a cluster. */
export interface AdminClientOptions extends ConnectionOptions {
  /** Authenticate with SASL after the ApiVersions exchange. */
  readonly sasl?: SaslOptions;
}

/** A topic as Metadata reports it. */
export interface TopicMetadata {
  readonly name: string;
  readonly errorCode: number;
  readonly internal: boolean;
  readonly partitions: number;
  readonly replicationFactor: number;
}

/** One config entry of DescribeConfigs. */
export interface ConfigEntry {
  readonly name: string;
  readonly value: string | null;
  readonly readOnly: boolean;
  /** Kafka `ConfigSource` code (1 = per-topic override, 5 = default…; -1 unknown). */
  readonly source: number;
  readonly sensitive: boolean;
}

/** A quota entity part as the quota APIs carry it (`name: null` = the default entity). */
export interface QuotaEntityPart {
  readonly entityType: string;
  readonly entityName: string | null;
}

/** An ACL binding in wire codes (see `admin-codes.ts`). */
export interface WireAcl {
  readonly resourceType: number;
  readonly resourceName: string;
  readonly patternType: number;
  readonly principal: string;
  readonly host: string;
  readonly operation: number;
  readonly permissionType: number;
}

const ZERO_UUID = "00000000-0000-0000-0000-000000000000";

/**
 * A minimal Kafka admin client over one connection to the bootstrap broker: negotiates API
 * versions, authenticates (SASL PLAIN / SCRAM), and offers the admin APIs `sluice apply` needs.
 * Modern Kafka forwards admin requests to its controller, so one connection suffices.
 * Methods throw {@link KafkaResponseError} for any error code the cluster returns.
 */
export class KafkaAdminClient {
  /** Negotiated version of every API both sides support. */
  readonly versions: ReadonlyMap<ApiKey, number>;
  private readonly conn: KafkaConnection;
  private readonly timeoutMs: number;

  private constructor(conn: KafkaConnection, versions: Map<ApiKey, number>, timeoutMs: number) {
    this.conn = conn;
    this.versions = versions;
    this.timeoutMs = timeoutMs;
  }

  /** Connects, negotiates versions and authenticates. */
  static async connect(options: AdminClientOptions): Promise<KafkaAdminClient> {
    const conn = await KafkaConnection.connect(options);
    try {
      const versions = await fetchApiVersions(conn);
      const client = new KafkaAdminClient(conn, versions, options.timeoutMs ?? 30_000);
      if (options.sasl) {
        await saslLogin(conn, options.sasl, {
          handshake: client.version(ApiKey.SaslHandshake),
          authenticate: versions.get(ApiKey.SaslAuthenticate),
        });
      }
      return client;
    } catch (e) {
      conn.close();
      throw e;
    }
  }

  /** Whether the broker supports `apiKey` in a version this client speaks. */
  supports(apiKey: ApiKey): boolean {
    return this.versions.has(apiKey);
  }

  /** The negotiated version of `apiKey`; throws {@link UnsupportedApiError} when there is none. */
  version(apiKey: ApiKey): number {
    const v = this.versions.get(apiKey);
    if (v === undefined) throw new UnsupportedApiError(apiKey, ApiKey[apiKey] ?? String(apiKey));
    return v;
  }

  /** Closes the connection. */
  close(): void {
    this.conn.close();
  }

  /** Every topic (or only `names`), with partition count and replication factor. */
  async metadata(names?: readonly string[]): Promise<TopicMetadata[]> {
    const v = this.version(ApiKey.Metadata);
    const topics =
      names === undefined
        ? v === 0
          ? []
          : null
        : names.map((name) => ({ name, topicId: ZERO_UUID }));
    const r = await this.conn.send(ApiKey.Metadata, v, {
      topics,
      allowAutoTopicCreation: false,
      includeTopicAuthorizedOperations: false,
    });
    return r.topics.map((t) => ({
      name: t.name ?? "",
      errorCode: t.errorCode,
      internal: t.isInternal,
      partitions: t.partitions.length,
      replicationFactor: t.partitions[0]?.replicaNodes.length ?? 0,
    }));
  }

  /** Creates topics; `replicationFactor` undefined = the cluster default. */
  async createTopics(
    topics: readonly {
      name: string;
      partitions: number;
      replicationFactor?: number | undefined;
      configs: Readonly<Record<string, string>>;
    }[],
    validateOnly = false,
  ): Promise<void> {
    const v = this.version(ApiKey.CreateTopics);
    const r = await this.conn.send(ApiKey.CreateTopics, v, {
      topics: topics.map((t) => ({
        name: t.name,
        numPartitions: t.partitions,
        // -1 (cluster default) needs v4+ (KIP-464); older brokers get 1, right for single nodes.
        replicationFactor: t.replicationFactor ?? (v >= 4 ? -1 : 1),
        assignments: [],
        configs: Object.entries(t.configs).map(([name, value]) => ({ name, value })),
      })),
      timeoutMs: this.timeoutMs,
      validateOnly,
    });
    for (const t of r.topics) checkError(`CreateTopics ${t.name}`, t.errorCode, t.errorMessage);
  }

  /** Grows a topic to `count` partitions in total (`validateOnly`: the broker only checks it). */
  async createPartitions(topic: string, count: number, validateOnly = false): Promise<void> {
    const r = await this.conn.send(ApiKey.CreatePartitions, this.version(ApiKey.CreatePartitions), {
      topics: [{ name: topic, count, assignments: null }],
      timeoutMs: this.timeoutMs,
      validateOnly,
    });
    for (const t of r.results)
      checkError(`CreatePartitions ${t.name}`, t.errorCode, t.errorMessage);
  }

  /** Deletes topics by name. */
  async deleteTopics(names: readonly string[]): Promise<void> {
    const v = this.version(ApiKey.DeleteTopics);
    const body =
      v >= 6
        ? { topics: names.map((name) => ({ name, topicId: ZERO_UUID })), timeoutMs: this.timeoutMs }
        : { topicNames: [...names], timeoutMs: this.timeoutMs };
    const r = await this.conn.send(ApiKey.DeleteTopics, v, body);
    for (const t of r.responses) checkError(`DeleteTopics ${t.name}`, t.errorCode, t.errorMessage);
  }

  /** Describes configs of resources (type 2 topic, 4 broker); null keys = all configs. */
  async describeConfigs(
    resources: readonly { type: number; name: string; keys?: readonly string[] }[],
  ): Promise<Map<string, ConfigEntry[]>> {
    const r = await this.conn.send(ApiKey.DescribeConfigs, this.version(ApiKey.DescribeConfigs), {
      resources: resources.map((res) => ({
        resourceType: res.type,
        resourceName: res.name,
        configurationKeys: res.keys === undefined ? null : [...res.keys],
      })),
      includeSynonyms: false,
      includeDocumentation: false,
    });
    const out = new Map<string, ConfigEntry[]>();
    for (const res of r.results) {
      checkError(`DescribeConfigs ${res.resourceName}`, res.errorCode, res.errorMessage);
      out.set(
        `${res.resourceType}:${res.resourceName}`,
        res.configs.map((c) => ({
          name: c.name,
          value: c.value,
          readOnly: c.readOnly,
          source: c.configSource,
          sensitive: c.isSensitive,
        })),
      );
    }
    return out;
  }

  /** Sets (value string) or deletes (value null) configs of one resource. */
  async incrementalAlterConfigs(
    type: number,
    name: string,
    changes: readonly { name: string; value: string | null }[],
    validateOnly = false,
  ): Promise<void> {
    const v = this.version(ApiKey.IncrementalAlterConfigs);
    const r = await this.conn.send(ApiKey.IncrementalAlterConfigs, v, {
      resources: [
        {
          resourceType: type,
          resourceName: name,
          configs: changes.map((c) => ({
            name: c.name,
            configOperation: c.value === null ? 1 : 0,
            value: c.value,
          })),
        },
      ],
      validateOnly,
    });
    for (const res of r.responses) {
      checkError(`IncrementalAlterConfigs ${res.resourceName}`, res.errorCode, res.errorMessage);
    }
  }

  /** Every ACL binding, or undefined when the cluster has no authorizer (SECURITY_DISABLED). */
  async describeAcls(): Promise<WireAcl[] | undefined> {
    const r = await this.conn.send(ApiKey.DescribeAcls, this.version(ApiKey.DescribeAcls), {
      resourceTypeFilter: 1,
      resourceNameFilter: null,
      patternTypeFilter: 1,
      principalFilter: null,
      hostFilter: null,
      operation: 1,
      permissionType: 1,
    });
    if (r.errorCode === ErrorCode.SECURITY_DISABLED) return undefined;
    checkError("DescribeAcls", r.errorCode, r.errorMessage);
    return r.resources.flatMap((res) =>
      res.acls.map((a) => ({
        resourceType: res.resourceType,
        resourceName: res.resourceName,
        patternType: res.patternType,
        principal: a.principal,
        host: a.host,
        operation: a.operation,
        permissionType: a.permissionType,
      })),
    );
  }

  /** Creates ACL bindings. */
  async createAcls(acls: readonly WireAcl[]): Promise<void> {
    const r = await this.conn.send(ApiKey.CreateAcls, this.version(ApiKey.CreateAcls), {
      creations: acls.map((a) => ({
        resourceType: a.resourceType,
        resourceName: a.resourceName,
        resourcePatternType: a.patternType,
        principal: a.principal,
        host: a.host,
        operation: a.operation,
        permissionType: a.permissionType,
      })),
    });
    for (const res of r.results) checkError("CreateAcls", res.errorCode, res.errorMessage);
  }

  /** Deletes exactly the given bindings (each used as an exact-match filter). */
  async deleteAcls(acls: readonly WireAcl[]): Promise<void> {
    const r = await this.conn.send(ApiKey.DeleteAcls, this.version(ApiKey.DeleteAcls), {
      filters: acls.map((a) => ({
        resourceTypeFilter: a.resourceType,
        resourceNameFilter: a.resourceName,
        patternTypeFilter: a.patternType,
        principalFilter: a.principal,
        hostFilter: a.host,
        operation: a.operation,
        permissionType: a.permissionType,
      })),
    });
    for (const f of r.filterResults) checkError("DeleteAcls", f.errorCode, f.errorMessage);
  }

  /** Every client quota entity with its values. */
  async describeClientQuotas(): Promise<
    { entity: QuotaEntityPart[]; values: Record<string, number> }[]
  > {
    const r = await this.conn.send(
      ApiKey.DescribeClientQuotas,
      this.version(ApiKey.DescribeClientQuotas),
      { components: [], strict: false },
    );
    checkError("DescribeClientQuotas", r.errorCode, r.errorMessage);
    return (r.entries ?? []).map((e) => ({
      entity: e.entity.map((p) => ({ entityType: p.entityType, entityName: p.entityName })),
      values: Object.fromEntries(e.values.map((v) => [v.key, v.value])),
    }));
  }

  /** Sets and removes quota values of one entity. */
  async alterClientQuotas(
    entity: readonly QuotaEntityPart[],
    set: Readonly<Record<string, number>>,
    remove: readonly string[],
    validateOnly = false,
  ): Promise<void> {
    const r = await this.conn.send(
      ApiKey.AlterClientQuotas,
      this.version(ApiKey.AlterClientQuotas),
      {
        entries: [
          {
            entity: entity.map((p) => ({ entityType: p.entityType, entityName: p.entityName })),
            ops: [
              ...Object.entries(set).map(([key, value]) => ({ key, value, remove: false })),
              ...remove.map((key) => ({ key, value: 0, remove: true })),
            ],
          },
        ],
        validateOnly,
      },
    );
    for (const e of r.entries) checkError("AlterClientQuotas", e.errorCode, e.errorMessage);
  }

  /** Every user's SCRAM credentials (mechanism code 1 = SHA-256, 2 = SHA-512, and iterations). */
  async describeUserScramCredentials(): Promise<
    Map<string, { mechanism: number; iterations: number }[]>
  > {
    const r = await this.conn.send(
      ApiKey.DescribeUserScramCredentials,
      this.version(ApiKey.DescribeUserScramCredentials),
      { users: null },
    );
    checkError("DescribeUserScramCredentials", r.errorCode, r.errorMessage);
    const out = new Map<string, { mechanism: number; iterations: number }[]>();
    for (const u of r.results) {
      if (u.errorCode === ErrorCode.RESOURCE_NOT_FOUND) continue;
      checkError(`DescribeUserScramCredentials ${u.user}`, u.errorCode, u.errorMessage);
      out.set(
        u.user,
        u.credentialInfos.map((c) => ({ mechanism: c.mechanism, iterations: c.iterations })),
      );
    }
    return out;
  }

  /** Upserts (salted password given) and deletes SCRAM credentials. */
  async alterUserScramCredentials(
    upsertions: readonly {
      name: string;
      mechanism: number;
      iterations: number;
      salt: Buffer;
      saltedPassword: Buffer;
    }[],
    deletions: readonly { name: string; mechanism: number }[] = [],
  ): Promise<void> {
    const r = await this.conn.send(
      ApiKey.AlterUserScramCredentials,
      this.version(ApiKey.AlterUserScramCredentials),
      { upsertions: [...upsertions], deletions: [...deletions] },
    );
    for (const u of r.results) {
      checkError(`AlterUserScramCredentials ${u.user}`, u.errorCode, u.errorMessage);
    }
  }
}

/**
 * ApiVersions at our highest version; a broker that does not know it answers in v0 with
 * UNSUPPORTED_VERSION and its own list (KIP-511), so we retry at the best common version.
 */
async function fetchApiVersions(conn: KafkaConnection): Promise<Map<ApiKey, number>> {
  const ours = SUPPORTED_APIS[ApiKey.ApiVersions].max;
  const frame = await conn.sendRaw(ApiKey.ApiVersions, ours, {
    clientSoftwareName: "sluice",
    clientSoftwareVersion: "0",
  });
  // ApiVersions responses always use header v0; errorCode is the first body field in every version.
  const { bodyOffset } = readResponseHeader(ApiKey.ApiVersions, 0, frame);
  if (frame.length < bodyOffset + 2) {
    throw new KafkaConnectionError("truncated ApiVersions response");
  }
  const errorCode = frame.readInt16BE(bodyOffset);
  if (errorCode === ErrorCode.UNSUPPORTED_VERSION) {
    const v0 = decodeResponse(ApiKey.ApiVersions, 0, frame, bodyOffset);
    const versions = negotiateVersions(v0.apiKeys);
    const retry = versions.get(ApiKey.ApiVersions);
    if (retry === undefined) throw new UnsupportedApiError(ApiKey.ApiVersions, "ApiVersions");
    const r = await conn.send(ApiKey.ApiVersions, retry, {
      clientSoftwareName: "sluice",
      clientSoftwareVersion: "0",
    });
    checkError("ApiVersions", r.errorCode);
    return negotiateVersions(r.apiKeys);
  }
  if (errorCode !== 0) throw new KafkaResponseError("ApiVersions", errorCode);
  const body = decodeResponse(ApiKey.ApiVersions, ours, frame, bodyOffset);
  return negotiateVersions(body.apiKeys);
}
