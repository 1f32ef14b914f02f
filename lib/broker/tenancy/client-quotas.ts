import { JsonStateFile } from "./json-state-file";

/** The quota keys Kafka defines for users and client ids. */
export type QuotaKey =
  | "producer_byte_rate"
  | "consumer_byte_rate"
  | "request_percentage"
  | "controller_mutation_rate";

/** Every supported quota key. */
export const QUOTA_KEYS: readonly QuotaKey[] = [
  "producer_byte_rate",
  "consumer_byte_rate",
  "request_percentage",
  "controller_mutation_rate",
];

/** Keys whose values Kafka types as LONG (whole numbers). */
const LONG_KEYS: ReadonlySet<string> = new Set(["producer_byte_rate", "consumer_byte_rate"]);

/**
 * A quota entity. For each part: absent = the entity does not include that type; `null` = Kafka's
 * default entity (`<default>`); a string = that user / client id.
 */
export interface QuotaEntity {
  readonly user?: string | null;
  readonly clientId?: string | null;
}

/** Quota values of one entity. */
export type QuotaValues = Partial<Record<QuotaKey, number>>;

/** A bad entity or value (INVALID_REQUEST in the handlers). */
export class InvalidQuotaError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "InvalidQuotaError";
  }
}

/** Whether `key` is a supported quota key. */
export function isQuotaKey(key: string): key is QuotaKey {
  return (QUOTA_KEYS as readonly string[]).includes(key);
}

/** Checks one value as Kafka does (finite, non-negative; byte rates whole numbers). */
export function validateQuotaValue(key: string, value: number): void {
  if (!isQuotaKey(key)) throw new InvalidQuotaError(`Invalid configuration key ${key}`);
  if (!Number.isFinite(value) || value < 0) {
    throw new InvalidQuotaError(`Invalid value ${value} for ${key}: must be a non-negative number`);
  }
  if (LONG_KEYS.has(key) && !Number.isInteger(value)) {
    throw new InvalidQuotaError(`Invalid value ${value} for ${key}: must be a whole number`);
  }
}

/** Builds an entity from Kafka's wire form (`entityType` user / client-id; null name = default). */
export function entityFromWire(
  parts: ReadonlyArray<{ entityType: string; entityName: string | null }>,
): QuotaEntity {
  let user: string | null | undefined;
  let clientId: string | null | undefined;
  for (const p of parts) {
    if (p.entityType === "user") {
      if (user !== undefined) throw new InvalidQuotaError("Duplicate user entity type");
      user = p.entityName;
    } else if (p.entityType === "client-id") {
      if (clientId !== undefined) throw new InvalidQuotaError("Duplicate client-id entity type");
      clientId = p.entityName;
    } else if (p.entityType === "ip") {
      throw new InvalidQuotaError("ip quotas are not supported by this broker");
    } else {
      throw new InvalidQuotaError(`Unknown entity type ${p.entityType}`);
    }
  }
  if (user === undefined && clientId === undefined) {
    throw new InvalidQuotaError("the quota entity is empty");
  }
  const e: { user?: string | null; clientId?: string | null } = {};
  if (user !== undefined) e.user = user;
  if (clientId !== undefined) e.clientId = clientId;
  return e;
}

/** Kafka's wire form of an entity (user first, then client-id). */
export function entityToWire(
  e: QuotaEntity,
): Array<{ entityType: string; entityName: string | null }> {
  const out: Array<{ entityType: string; entityName: string | null }> = [];
  if (e.user !== undefined) out.push({ entityType: "user", entityName: e.user });
  if (e.clientId !== undefined) out.push({ entityType: "client-id", entityName: e.clientId });
  return out;
}

function entityKey(e: QuotaEntity): string {
  return JSON.stringify([
    e.user === undefined ? 0 : 1,
    e.user ?? null,
    e.clientId === undefined ? 0 : 1,
    e.clientId ?? null,
  ]);
}

interface StoredQuota {
  entity: QuotaEntity;
  values: QuotaValues;
}

/** One entity's quota settings. */
export interface QuotaConfigEntry {
  readonly entity: QuotaEntity;
  readonly values: QuotaValues;
}

/** A change of one entity: set or remove keys. */
export interface QuotaAlteration {
  readonly entity: QuotaEntity;
  readonly ops: ReadonlyArray<{ key: string; value: number; remove: boolean }>;
}

/** The quota an entity is subject to, and the sensor it shares (Kafka's metric tags). */
export interface ResolvedQuota {
  /** Bound per second (bytes/s, percent, mutations/s). */
  readonly bound: number;
  /** Sensor identity: the matched entity with default parts replaced by the client's own names. */
  readonly sensorKey: string;
}

/** Cached resolutions kept at most (client ids are client-chosen: bound the memory). */
const MAX_RESOLVED = 10_000;

/**
 * Client quota configuration (user, client-id, user+client-id and their defaults) persisted in
 * `<dataDir>/tenancy/client-quotas.json`, with Kafka's precedence when resolving a client's quota
 * (most specific first): user+client, user+default-client, user, default-user+client,
 * default-user+default-client, default-user, client, default-client.
 */
export class ClientQuotaConfig {
  private readonly stateFile: JsonStateFile<StoredQuota[]>;
  private readonly entries = new Map<string, StoredQuota>();
  /** Keys set on at least one entity: resolve() runs per request, most brokers set few keys. */
  private readonly keysInUse = new Set<QuotaKey>();
  /** resolve() results by key, user and client id; cleared on every change. */
  private readonly resolved = new Map<QuotaKey, Map<string, Map<string, ResolvedQuota | null>>>();
  private resolvedCount = 0;

  private constructor(stateFile: JsonStateFile<StoredQuota[]>) {
    this.stateFile = stateFile;
  }

  /** Loads the persisted quotas of `dataDir`. */
  static async open(dataDir: string): Promise<ClientQuotaConfig> {
    const file = new JsonStateFile<StoredQuota[]>(dataDir, "client-quotas", 1);
    const c = new ClientQuotaConfig(file);
    for (const q of (await file.load()) ?? []) c.entries.set(entityKey(q.entity), q);
    c.indexKeys();
    return c;
  }

  /** Whether any entity sets `key` (false = nobody is limited by it; nothing to measure). */
  hasQuota(key: QuotaKey): boolean {
    return this.keysInUse.has(key);
  }

  private indexKeys(): void {
    this.resolved.clear();
    this.resolvedCount = 0;
    this.keysInUse.clear();
    for (const q of this.entries.values())
      for (const k of QUOTA_KEYS) if (q.values[k] !== undefined) this.keysInUse.add(k);
  }

  /** Every configured entity. */
  all(): QuotaConfigEntry[] {
    return [...this.entries.values()];
  }

  /** The values of exactly this entity. */
  get(entity: QuotaEntity): QuotaValues | undefined {
    return this.entries.get(entityKey(entity))?.values;
  }

  /** Validates alterations; throws {@link InvalidQuotaError} for the first problem. */
  static validate(alteration: QuotaAlteration): void {
    const seen = new Set<string>();
    for (const op of alteration.ops) {
      if (seen.has(op.key)) throw new InvalidQuotaError(`Duplicate quota key ${op.key}`);
      seen.add(op.key);
      if (op.remove) {
        if (!isQuotaKey(op.key)) throw new InvalidQuotaError(`Invalid configuration key ${op.key}`);
      } else validateQuotaValue(op.key, op.value);
    }
  }

  /** Applies already validated alterations and persists once. */
  async alter(alterations: readonly QuotaAlteration[]): Promise<void> {
    for (const a of alterations) {
      const key = entityKey(a.entity);
      const values: QuotaValues = { ...this.entries.get(key)?.values };
      for (const op of a.ops) {
        if (!isQuotaKey(op.key)) continue;
        if (op.remove) delete values[op.key];
        else values[op.key] = op.value;
      }
      if (Object.keys(values).length === 0) this.entries.delete(key);
      else this.entries.set(key, { entity: a.entity, values });
    }
    this.indexKeys();
    await this.stateFile.save(this.all());
  }

  /** The quota for `key` of a client (principal's user name + client id), or null when unlimited. */
  resolve(key: QuotaKey, user: string, clientId: string): ResolvedQuota | null {
    // Fast path: runs on every produce and fetch (and, with request quotas, every request), while
    // most brokers set no quota or only some keys.
    if (!this.keysInUse.has(key)) return null;
    // The precedence walk costs ~16 JSON.stringify calls (measured: ~20 µs per request with
    // request quotas), so results are kept per client until the next change; nested maps, as
    // a composite string key would allocate on every call.
    let byUser = this.resolved.get(key);
    if (byUser === undefined) {
      byUser = new Map();
      this.resolved.set(key, byUser);
    }
    let byClient = byUser.get(user);
    if (byClient === undefined) {
      byClient = new Map();
      byUser.set(user, byClient);
    }
    const cached = byClient.get(clientId);
    if (cached !== undefined) return cached;
    if (++this.resolvedCount > MAX_RESOLVED) {
      this.resolved.clear();
      this.resolvedCount = 0;
    }
    const q = this.lookup(key, user, clientId);
    byClient.set(clientId, q);
    return q;
  }

  private lookup(key: QuotaKey, user: string, clientId: string): ResolvedQuota | null {
    // [entity to look up, sensor key parts] in Kafka's precedence order.
    const candidates: Array<[QuotaEntity, string]> = [
      [{ user, clientId }, JSON.stringify([user, clientId])],
      [{ user, clientId: null }, JSON.stringify([user, clientId])],
      [{ user }, JSON.stringify([user, null])],
      [{ user: null, clientId }, JSON.stringify([user, clientId])],
      [{ user: null, clientId: null }, JSON.stringify([user, clientId])],
      [{ user: null }, JSON.stringify([user, null])],
      [{ clientId }, JSON.stringify([null, clientId])],
      [{ clientId: null }, JSON.stringify([null, clientId])],
    ];
    for (const [entity, sensorKey] of candidates) {
      const bound = this.get(entity)?.[key];
      if (bound !== undefined) return { bound, sensorKey: `${key}:${sensorKey}` };
    }
    return null;
  }
}
