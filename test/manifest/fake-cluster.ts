import type {
  AclBinding,
  ClusterAdmin,
  ClusterQuotaEntity,
  ClusterState,
  ClusterTopic,
  CredentialCheck,
  ManifestTopic,
  ScramMechanism,
  TenantDefinition,
} from "../../lib/manifest";
import { aclBindingKey, clusterQuotaEntityKey } from "../../lib/manifest";

/** An in-memory cluster implementing {@link ClusterAdmin}, recording every call. */
export class FakeCluster implements ClusterAdmin {
  readonly topics = new Map<
    string,
    { partitions: number; replicationFactor: number; configs: Map<string, string> }
  >();
  readonly acls = new Map<string, AclBinding>();
  readonly quotas = new Map<
    string,
    { entity: ClusterQuotaEntity; values: Record<string, number> }
  >();
  readonly scram = new Map<
    string,
    { mechanism: ScramMechanism; iterations: number; password: string }[]
  >();
  readonly tenants = new Map<string, TenantDefinition>();
  readonly calls: string[] = [];

  async readState(checks: readonly CredentialCheck[]): Promise<ClusterState> {
    const topics = new Map<string, ClusterTopic>();
    for (const [name, t] of this.topics) {
      const configs = new Map([...t.configs].map(([k, v]) => [k, { value: v, isOverride: true }]));
      if (!configs.has("segment.bytes")) {
        configs.set("segment.bytes", { value: "1073741824", isOverride: false });
      }
      topics.set(name, {
        name,
        partitions: t.partitions,
        replicationFactor: t.replicationFactor,
        internal: name.startsWith("__"),
        configs,
      });
    }
    const credentialChecks = new Map<string, boolean>();
    for (const c of checks) {
      const cred = this.scram.get(c.user)?.find((s) => s.mechanism === c.mechanism);
      if (cred) credentialChecks.set(`${c.user}/${c.mechanism}`, cred.password === c.password);
    }
    return {
      topics,
      acls: [...this.acls.values()],
      quotas: [...this.quotas.values()].map((q) => ({ entity: q.entity, values: { ...q.values } })),
      scram: new Map(
        [...this.scram].map(([u, cs]) => [
          u,
          cs.map(({ mechanism, iterations }) => ({ mechanism, iterations })),
        ]),
      ),
      tenants: new Map(this.tenants),
      credentialChecks,
    };
  }
  async putTenant(name: string, definition: TenantDefinition): Promise<void> {
    this.calls.push(`putTenant ${name}`);
    this.tenants.set(name, definition);
  }
  async deleteTenant(name: string): Promise<void> {
    this.calls.push(`deleteTenant ${name}`);
    this.tenants.delete(name);
  }
  async createTopic(topic: ManifestTopic): Promise<void> {
    this.calls.push(`createTopic ${topic.name}`);
    if (this.topics.has(topic.name)) throw new Error("TOPIC_ALREADY_EXISTS");
    this.topics.set(topic.name, {
      partitions: topic.partitions,
      replicationFactor: topic.replicationFactor ?? 1,
      configs: new Map(Object.entries(topic.configs)),
    });
  }
  async createPartitions(topic: string, totalCount: number): Promise<void> {
    this.calls.push(`createPartitions ${topic} ${totalCount}`);
    const t = this.topics.get(topic);
    if (!t || totalCount <= t.partitions) throw new Error("INVALID_PARTITIONS");
    t.partitions = totalCount;
  }
  async alterTopicConfigs(
    topic: string,
    set: readonly { key: string; value: string }[],
    reset: readonly string[],
  ): Promise<void> {
    this.calls.push(`alterTopicConfigs ${topic}`);
    const t = this.topics.get(topic);
    if (!t) throw new Error("UNKNOWN_TOPIC_OR_PARTITION");
    for (const s of set) t.configs.set(s.key, s.value);
    for (const k of reset) t.configs.delete(k);
  }
  async upsertScramCredential(
    user: string,
    mechanism: ScramMechanism,
    iterations: number,
    password: string,
  ): Promise<void> {
    this.calls.push(`upsertScramCredential ${user} ${mechanism}`);
    const list = (this.scram.get(user) ?? []).filter((c) => c.mechanism !== mechanism);
    list.push({ mechanism, iterations, password });
    this.scram.set(user, list);
  }
  async deleteScramCredential(user: string, mechanism: ScramMechanism): Promise<void> {
    this.calls.push(`deleteScramCredential ${user} ${mechanism}`);
    const list = (this.scram.get(user) ?? []).filter((c) => c.mechanism !== mechanism);
    if (list.length === 0) this.scram.delete(user);
    else this.scram.set(user, list);
  }
  async createAcls(acls: readonly AclBinding[]): Promise<void> {
    for (const a of acls) {
      this.calls.push(`createAcl ${a.resourceType}:${a.resourceName}`);
      this.acls.set(aclBindingKey(a), a);
    }
  }
  async deleteAcls(acls: readonly AclBinding[]): Promise<void> {
    for (const a of acls) {
      this.calls.push(`deleteAcl ${a.resourceType}:${a.resourceName}`);
      this.acls.delete(aclBindingKey(a));
    }
  }
  async alterQuota(
    entity: ClusterQuotaEntity,
    set: Readonly<Record<string, number>>,
    remove: readonly string[],
  ): Promise<void> {
    const key = clusterQuotaEntityKey(entity);
    this.calls.push(`alterQuota ${key}`);
    const q = this.quotas.get(key) ?? { entity, values: {} };
    Object.assign(q.values, set);
    for (const r of remove) delete q.values[r];
    if (Object.keys(q.values).length === 0) this.quotas.delete(key);
    else this.quotas.set(key, q);
  }
  async deleteTopic(topic: string): Promise<void> {
    this.calls.push(`deleteTopic ${topic}`);
    this.topics.delete(topic);
  }
}
