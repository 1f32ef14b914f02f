import { quotaEntityKey } from "../manifest/parse-manifest";
import {
  type DeletableKind,
  deletionKinds,
  type ManifestAcl,
  type ManifestPrincipal,
  type ManifestQuota,
  type ManifestTenant,
  type ManifestTopic,
} from "../manifest/schema";
import type { ClusterModel, ModelBroker } from "./cluster-model";
import {
  compareLimits,
  displayBytes,
  displayConfigValue,
  effectiveConfigValue,
} from "./config-values";
import {
  ALL_BROKERS,
  type ClusterPreview,
  type Consequence,
  type FieldChange,
  type Hazard,
  PLAN_PREVIEW_VERSION,
  type PlanPreview,
  type PreviewChange,
  type SubjectKind,
  sortHazards,
} from "./plan-preview";
import type { SynthOutput } from "./synth-output";

/**
 * Compares the cluster models of two synth outputs, cluster by cluster (by name). Everything is
 * keyed by Kafka identity, so moving a construct changes nothing; config values are compared as
 * Kafka reads them, with defaults filled in.
 */
export function comparePreview(base: SynthOutput, head: SynthOutput): PlanPreview {
  const names = [...new Set([...base.clusters.keys(), ...head.clusters.keys()])].sort();
  const clusters: ClusterPreview[] = [];
  for (const name of names) {
    const preview = compareCluster(name, base.clusters.get(name), head.clusters.get(name));
    if (preview.changes.length > 0 || preview.hazards.length > 0) clusters.push(preview);
  }
  return { version: PLAN_PREVIEW_VERSION, base: base.dir, head: head.dir, clusters };
}

/** Collects the changes and hazards of one cluster. */
class ClusterDiff {
  readonly changes: PreviewChange[] = [];
  readonly hazards: Hazard[] = [];

  constructor(
    readonly before: ClusterModel | undefined,
    readonly after: ClusterModel | undefined,
  ) {}

  /** Whether the engine changes (bundled ↔ Apache Kafka): the head's brokers start empty. */
  get engineSwitched(): boolean {
    return (
      this.before !== undefined &&
      this.after !== undefined &&
      this.before.engine.kind !== this.after.engine.kind
    );
  }

  change(c: Omit<PreviewChange, "tenant"> & { tenant?: string | null }): void {
    this.changes.push({ ...c, tenant: c.tenant ?? null });
  }

  /** Something added to the app: `sluice apply` (or the target) creates it without a restart. */
  added(subject: SubjectKind, name: string, tenant: string | null, summary: string): void {
    this.change({
      subject,
      name,
      tenant,
      action: "add",
      summary,
      fields: [],
      consequence: "applied live",
    });
  }

  hazard(h: Omit<Hazard, "acknowledged"> & { acknowledged?: boolean }): void {
    this.hazards.push({ ...h, acknowledged: h.acknowledged ?? false });
  }

  /**
   * Something removed from the app: deleted when the head's deletion policy includes `kind` (with
   * the given summary and consequence), else left on the cluster. Returns whether it is deleted.
   */
  removed(
    subject: SubjectKind,
    name: string,
    tenant: string | null,
    kind: DeletableKind,
    deletion: { summary: string; consequence: Consequence },
  ): boolean {
    const deleted = this.deletes(kind);
    this.change({
      subject,
      name,
      tenant,
      action: "remove",
      summary: deleted
        ? deletion.summary
        : `removed from the app; stays on the cluster (the deletion policy does not include ${kind})`,
      fields: [],
      consequence: deleted ? deletion.consequence : "left on the cluster",
    });
    return deleted;
  }

  /** Whether `sluice apply` deletes this kind when the head no longer has it. */
  deletes(kind: DeletableKind): boolean {
    return this.after !== undefined && deletionKinds(this.after.manifest.deletions).has(kind);
  }

  /** The tenant owning a topic (longest matching prefix), in the head, else the base. */
  tenantOfTopic(topic: string): string | null {
    let best: ManifestTenant | undefined;
    for (const t of [...tenantsOf(this.after), ...tenantsOf(this.before)]) {
      if (
        topic.startsWith(t.topicPrefix) &&
        t.topicPrefix.length > (best?.topicPrefix.length ?? -1)
      )
        best = t;
    }
    return best?.name ?? null;
  }

  /** The tenant a principal acts for. */
  tenantOfPrincipal(principal: string): string | null {
    const user = principal.replace(/^User:/, "");
    const t = [...tenantsOf(this.after), ...tenantsOf(this.before)].find((x) =>
      x.principals.includes(user),
    );
    return t?.name ?? null;
  }
}

function tenantsOf(model: ClusterModel | undefined): readonly ManifestTenant[] {
  return model?.manifest.tenants ?? [];
}

/** Items of two lists by key: [key, before, after] for every key, sorted. */
function pair<T>(
  before: readonly T[],
  after: readonly T[],
  key: (t: T) => string,
): [string, T | undefined, T | undefined][] {
  const b = new Map(before.map((x) => [key(x), x]));
  const a = new Map(after.map((x) => [key(x), x]));
  return [...new Set([...b.keys(), ...a.keys()])]
    .sort()
    .map((k): [string, T | undefined, T | undefined] => [k, b.get(k), a.get(k)]);
}

/** Field changes between two flat records, values shown by `show`. */
function fieldChanges(
  before: Readonly<Record<string, unknown>>,
  after: Readonly<Record<string, unknown>>,
  show: (key: string, value: unknown) => string = (_k, v) =>
    v === undefined ? "(unset)" : String(v),
): FieldChange[] {
  const keys = [...new Set([...Object.keys(before), ...Object.keys(after)])].sort();
  return keys
    .filter((k) => JSON.stringify(before[k]) !== JSON.stringify(after[k]))
    .map((k) => ({ field: k, before: show(k, before[k]), after: show(k, after[k]) }));
}

function summarize(fields: readonly FieldChange[]): string {
  return fields.map((f) => `${f.field} ${f.before} → ${f.after}`).join(", ");
}

/** Compares one cluster's two models (either may be absent). */
export function compareCluster(
  name: string,
  before: ClusterModel | undefined,
  after: ClusterModel | undefined,
): ClusterPreview {
  const diff = new ClusterDiff(before, after);
  compareBrokers(diff);
  compareTopics(diff);
  compareTenants(diff);
  comparePrincipals(diff);
  compareAcls(diff);
  compareQuotas(diff);
  const action = before === undefined ? "add" : after === undefined ? "remove" : "change";
  return { cluster: name, action, changes: diff.changes, hazards: sortHazards(diff.hazards) };
}

function restartConsequence(model: ClusterModel): Consequence {
  return model.brokers.length > 1 ? "rolling restart" : "broker restart";
}

/** An image for people: a content-hash tag names the base image it was built on beside the hash. */
function imageReference(engine: ClusterModel["engine"]): string | undefined {
  const { image, baseImage } = engine;
  if (image === null) return undefined;
  return /:[0-9a-f]{64}$/.test(image) && baseImage ? `${image} (built on ${baseImage})` : image;
}

function compareBrokers(diff: ClusterDiff): void {
  const { before, after } = diff;
  const switched = diff.engineSwitched;
  if (before !== undefined && after !== undefined) {
    const engineFields = fieldChanges(
      {
        engine: before.engine.kind,
        version: before.engine.version ?? undefined,
        image: imageReference(before.engine),
        clientAuthentication: before.clientAuthentication,
      },
      {
        engine: after.engine.kind,
        version: after.engine.version ?? undefined,
        image: imageReference(after.engine),
        clientAuthentication: after.clientAuthentication,
      },
    );
    if (engineFields.length > 0) {
      const consequence = switched ? "data loss" : restartConsequence(after);
      diff.change({
        subject: "broker",
        name: ALL_BROKERS,
        action: "change",
        summary: summarize(engineFields),
        fields: engineFields,
        consequence,
      });
      if (switched) engineSwitchHazard(diff, before, after);
      else {
        diff.hazard({
          code: "BROKER_RESTART",
          severity: "warning",
          subject: "broker",
          name: ALL_BROKERS,
          reason: `${summarize(engineFields)}: every broker is replaced (${consequence}${after.brokers.length === 1 ? ": clients see downtime with one broker" : ""})`,
        });
      }
      authenticationHazard(diff, before, after);
    }
  }
  const where = hostLabel(before, after);
  for (const [id, b, a] of pair(
    before?.brokers ?? [],
    after?.brokers ?? [],
    (x) => `broker-${x.nodeId}`,
  )) {
    if (a === undefined && b !== undefined) {
      brokerRemoved(diff, id, b, where);
      continue;
    }
    if (a === undefined) continue;
    if (b === undefined) {
      const placed = where(a) === "" ? "" : `, on ${a.host}`;
      const sizing = `${a.cpus} CPU${a.cpus === 1 ? "" : "s"}, ${a.memoryMiB} MiB, volume ${a.volume.name} ${a.volume.sizeGiB} GiB${placed}`;
      if (switched && after !== undefined) {
        // Not a broker joining a running cluster: part of a new, empty one.
        diff.change({
          subject: "broker",
          name: id,
          tenant: null,
          action: "add",
          summary: `added to the new ${after.engine.kind} cluster, which starts empty: ${sizing}`,
          fields: [],
          consequence: "data loss",
        });
      } else diff.added("broker", id, null, `added: ${sizing}`);
      continue;
    }
    // A model from before placement has no host: unchanged, not moved.
    const hostBefore = b.host ?? a.host;
    const sizing = fieldChanges(
      { cpus: b.cpus, memoryMiB: b.memoryMiB, hostPort: b.hostPort, host: hostBefore },
      { cpus: a.cpus, memoryMiB: a.memoryMiB, hostPort: a.hostPort, host: a.host },
    );
    const moved = hostBefore !== a.host;
    if (sizing.length > 0 && after !== undefined) {
      const bundled = after.engine.kind === "bundled";
      const consequence = moved && bundled ? "data loss" : restartConsequence(after);
      diff.change({
        subject: "broker",
        name: id,
        action: "change",
        summary: `${where(a)}${summarize(sizing)}`,
        fields: sizing,
        consequence,
      });
      if (moved) {
        diff.hazard({
          code: "BROKER_MOVED",
          severity: bundled ? "error" : "warning",
          subject: "broker",
          name: id,
          reason: `${id} moves from ${hostBefore} to ${a.host}: it starts there on a new, empty volume ${a.volume.name} (the old one stays on ${hostBefore}); ${bundled ? "the bundled engine's records and committed offsets do not follow" : "Apache Kafka re-replicates its partitions from the other replicas (a partition with no other replica loses its records)"}`,
        });
      } else {
        diff.hazard({
          code: "BROKER_RESTART",
          severity: "warning",
          subject: "broker",
          name: id,
          reason: `${where(a)}${summarize(sizing)}: the broker container is replaced (${consequence})`,
        });
      }
    }
    compareVolume(diff, id, b, a, where);
  }
}

/** What an engine switch loses: nothing of the old engine's data reaches the new one's brokers. */
function engineSwitchHazard(diff: ClusterDiff, before: ClusterModel, after: ClusterModel): void {
  const topics = before.manifest.topics.map((t) => t.name);
  const principals = before.manifest.principals.map((p) => p.name);
  diff.hazard({
    code: "ENGINE_SWITCHED",
    severity: "error",
    subject: "broker",
    name: ALL_BROKERS,
    reason:
      `engine ${before.engine.kind} → ${after.engine.kind}: the ${after.engine.kind} brokers start empty; ` +
      `nothing carries over from the ${before.engine.kind} brokers: ${andList([
        `the records of ${countedList(topics, "topic")}`,
        "every consumer group's committed offsets",
        ...(principals.length > 0
          ? [`the SCRAM credentials of ${countedList(principals, "principal")}`]
          : []),
      ])}. sluice apply recreates the topics empty${principals.length > 0 ? " and the credentials from the passwords it is given" : ""}. ` +
      "Move the data first (e.g. MirrorMaker 2), then acknowledge with allowEngineSwitch",
    acknowledged: after.acknowledgedEngineSwitch === true,
  });
}

/**
 * A listener that starts requiring authentication: every client that connects without credentials
 * today is refused afterwards. Names what they lose: the topics that exist before the change.
 */
function authenticationHazard(diff: ClusterDiff, before: ClusterModel, after: ClusterModel): void {
  const open = (m: ClusterModel) => m.clientAuthentication.toUpperCase() === "NONE";
  if (!open(before) || open(after)) return;
  const topics = before.manifest.topics.map((t) => t.name);
  diff.hazard({
    code: "AUTHENTICATION_REQUIRED",
    severity: "error",
    subject: "broker",
    name: ALL_BROKERS,
    reason:
      `clientAuthentication ${before.clientAuthentication} → ${after.clientAuthentication}: the listener requires ` +
      `authentication from now on, so every client that connects without credentials today — the producers, consumers ` +
      `and tools of ${countedList(topics, "topic")} — is refused after the restart. Give each a principal ` +
      `(a tenant's, or a grant) and its SASL settings, then acknowledge with allowAuthenticationChange`,
    acknowledged: after.acknowledgedAuthenticationChange === true,
  });
}

/** `a`, `a and b`, `a, b and c`. */
function andList(items: readonly string[]): string {
  return items.length <= 1
    ? (items[0] ?? "")
    : `${items.slice(0, -1).join(", ")} and ${items[items.length - 1]}`;
}

/** `1 topic (orders)`, `7 topics (a, b, c, d, e and 2 more)`, `no topic`. */
function countedList(names: readonly string[], noun: string): string {
  if (names.length === 0) return `no ${noun}`;
  const shown = names.slice(0, 5).join(", ");
  const more = names.length > 5 ? ` and ${names.length - 5} more` : "";
  return `${names.length} ${noun}${names.length === 1 ? "" : "s"} (${shown}${more})`;
}

/** Prefixes a broker's lines with `on <host>: ` (how a placed broker is labelled). */
type HostLabel = (broker: ModelBroker) => string;

/**
 * Broker-level lines name the host when the cluster spans (or spanned, or moves between) several
 * hosts; on one host throughout, the host would only be noise.
 */
function hostLabel(before: ClusterModel | undefined, after: ClusterModel | undefined): HostLabel {
  const hosts = new Set(
    [...(before?.brokers ?? []), ...(after?.brokers ?? [])].flatMap((b) =>
      b.host === undefined ? [] : [b.host],
    ),
  );
  return (broker) => (hosts.size > 1 && broker.host !== undefined ? `on ${broker.host}: ` : "");
}

function brokerRemoved(diff: ClusterDiff, id: string, b: ModelBroker, where: HostLabel): void {
  const destroyed = b.volume.removalPolicy === "destroy";
  diff.change({
    subject: "broker",
    name: id,
    action: "remove",
    summary: `${where(b)}removed; volume ${b.volume.name} ${destroyed ? "destroyed" : `kept (${b.volume.removalPolicy})`}`,
    fields: [],
    consequence: destroyed ? "data loss" : "broker restart",
  });
  if (destroyed) {
    diff.hazard({
      code: "VOLUME_DESTROYED",
      severity: "error",
      subject: "volume",
      name: b.volume.name,
      reason: `${id} leaves the app and its volume's removal policy is destroy: its data is deleted`,
    });
  }
}

function compareVolume(
  diff: ClusterDiff,
  id: string,
  b: ModelBroker,
  a: ModelBroker,
  where: HostLabel,
): void {
  const fields = fieldChanges(
    { name: b.volume.name, sizeGiB: b.volume.sizeGiB, removalPolicy: b.volume.removalPolicy },
    { name: a.volume.name, sizeGiB: a.volume.sizeGiB, removalPolicy: a.volume.removalPolicy },
  );
  if (fields.length === 0) return;
  const replaced = b.volume.name !== a.volume.name;
  diff.change({
    subject: "volume",
    name: a.volume.name,
    action: "change",
    summary: `${id}: ${where(a)}${summarize(fields)}`,
    fields,
    consequence: replaced ? "data loss" : "applied live",
  });
  if (replaced) {
    diff.hazard({
      code: "VOLUME_REPLACED",
      severity: "error",
      subject: "volume",
      name: a.volume.name,
      reason: `${id} moves to a new, empty volume ${a.volume.name}; its data stays in ${b.volume.name}${b.volume.removalPolicy === "destroy" ? ", which is destroyed" : ""}`,
    });
  }
  if (a.volume.sizeGiB < b.volume.sizeGiB) {
    diff.hazard({
      code: "VOLUME_SHRUNK",
      severity: "warning",
      subject: "volume",
      name: a.volume.name,
      reason: `${id}'s volume shrinks ${b.volume.sizeGiB} → ${a.volume.sizeGiB} GiB: its data may no longer fit`,
      acknowledged: a.volume.allowShrink,
    });
  }
}

/** Effective configs of a topic: every key either side sets, normalised, defaults filled in. */
function effectiveConfigs(
  keys: readonly string[],
  topic: ManifestTopic | undefined,
): Record<string, string | undefined> {
  return Object.fromEntries(keys.map((k) => [k, effectiveConfigValue(k, topic?.configs[k])]));
}

function compareTopics(diff: ClusterDiff): void {
  const { before, after } = diff;
  for (const [name, b, a] of pair(
    before?.manifest.topics ?? [],
    after?.manifest.topics ?? [],
    (t) => t.name,
  )) {
    const tenant = diff.tenantOfTopic(name);
    if (b === undefined && a !== undefined) {
      const configs = Object.entries(a.configs)
        .map(([k, v]) => `${k}=${displayConfigValue(k, effectiveConfigValue(k, v))}`)
        .join(", ");
      diff.added(
        "topic",
        name,
        tenant,
        `added: ${a.partitions} partition${a.partitions === 1 ? "" : "s"}${configs === "" ? "" : `, ${configs}`}`,
      );
      continue;
    }
    if (b !== undefined && a === undefined) {
      topicRemoved(diff, b, tenant);
      continue;
    }
    if (b === undefined || a === undefined || after === undefined) continue;
    const fields: FieldChange[] = [];
    if (a.partitions !== b.partitions) {
      fields.push({ field: "partitions", before: `${b.partitions}`, after: `${a.partitions}` });
      if (!diff.engineSwitched) partitionHazards(diff, b, a, after);
    }
    if ((a.replicationFactor ?? null) !== (b.replicationFactor ?? null)) {
      const show = (rf: number | undefined) => (rf === undefined ? "(cluster default)" : `${rf}`);
      fields.push({
        field: "replicationFactor",
        before: show(b.replicationFactor),
        after: show(a.replicationFactor),
      });
      // After an engine switch sluice apply creates the topic anew, with the new factor.
      if (!diff.engineSwitched)
        diff.hazard({
          code: "REPLICATION_FACTOR_CHANGED",
          severity: "warning",
          subject: "topic",
          name,
          reason: `replication factor ${show(b.replicationFactor)} → ${show(a.replicationFactor)}: sluice apply does not reassign replicas, the existing topic keeps its replication factor`,
        });
    }
    const keys = [...new Set([...Object.keys(b.configs), ...Object.keys(a.configs)])].sort();
    const eb = effectiveConfigs(keys, b);
    const ea = effectiveConfigs(keys, a);
    for (const key of keys) {
      if (eb[key] === ea[key]) continue;
      fields.push({
        field: key,
        before: displayConfigValue(key, eb[key]),
        after: displayConfigValue(key, ea[key]),
      });
      configHazards(diff, name, key, eb[key], ea[key], a, after);
    }
    if (fields.length === 0) continue;
    diff.change({
      subject: "topic",
      name,
      tenant,
      action: "change",
      summary: summarize(fields),
      fields,
      // After an engine switch the topic is created anew, empty; otherwise sluice apply refuses a
      // decrease, and with it the whole manifest.
      consequence: diff.engineSwitched
        ? "data loss"
        : a.partitions < b.partitions
          ? "refused"
          : "applied live",
    });
  }
}

function topicRemoved(diff: ClusterDiff, b: ManifestTopic, tenant: string | null): void {
  const deleted = diff.removed("topic", b.name, tenant, "topics", {
    summary: `deleted with its ${b.partitions} partitions and their data`,
    consequence: "data loss",
  });
  if (deleted) {
    diff.hazard({
      code: "TOPIC_DELETED",
      severity: "error",
      subject: "topic",
      name: b.name,
      reason: `topic ${b.name} is deleted by sluice apply (deletions include topics): every record in it is lost`,
    });
  }
}

function partitionHazards(
  diff: ClusterDiff,
  b: ManifestTopic,
  a: ManifestTopic,
  after: ClusterModel,
): void {
  if (a.partitions < b.partitions) {
    const unchecked = after.lockFile
      ? ""
      : " (synth did not refuse it: the head was synthesized without the lock file)";
    diff.hazard({
      code: "PARTITIONS_DECREASED",
      severity: "error",
      subject: "topic",
      name: a.name,
      reason: `partitions ${b.partitions} → ${a.partitions}: Kafka cannot remove partitions; sluice apply refuses it, and with it the whole manifest (none of this change is applied); recreating the topic loses its data${unchecked}`,
      acknowledged: after.acknowledgedPartitionDecreases.includes(a.name),
    });
    return;
  }
  const policy = effectiveConfigValue("cleanup.policy", a.configs["cleanup.policy"]) ?? "";
  if (policy.includes("compact")) {
    diff.hazard({
      code: "PARTITIONS_GROWN_COMPACTED",
      severity: "warning",
      subject: "topic",
      name: a.name,
      reason: `partitions ${b.partitions} → ${a.partitions} on a compacted topic: keys move to other partitions, so a key's old and new values live in different partitions and compaction no longer keeps only the latest`,
    });
  }
}

function configHazards(
  diff: ClusterDiff,
  topic: string,
  key: string,
  before: string | undefined,
  after: string | undefined,
  a: ManifestTopic,
  model: ClusterModel,
): void {
  const shown = `${key} ${displayConfigValue(key, before)} → ${displayConfigValue(key, after)}`;
  if ((key === "retention.ms" || key === "retention.bytes") && compareLimits(before, after) < 0) {
    diff.hazard({
      code: "RETENTION_CUT",
      severity: "warning",
      subject: "topic",
      name: topic,
      reason: `${shown}: records beyond the new limit are deleted at the next retention check`,
    });
  }
  if (key === "cleanup.policy") {
    diff.hazard({
      code: "CLEANUP_POLICY_CHANGED",
      severity: "warning",
      subject: "topic",
      name: topic,
      reason: `${shown}: ${after?.includes("compact") ? "compaction removes all but the latest value of each key" : "records are deleted by retention instead of kept per key"}`,
    });
  }
  if (key === "min.insync.replicas" && after !== undefined && compareLimits(before, after) > 0) {
    const replicas = a.replicationFactor ?? model.brokers.length;
    const above = Number(after) > replicas;
    diff.hazard({
      code: "MIN_INSYNC_REPLICAS_UNSAFE",
      severity: above ? "error" : "warning",
      subject: "topic",
      name: topic,
      reason: above
        ? `${shown} exceeds the topic's ${replicas} replica(s): every acks=all produce fails with NOT_ENOUGH_REPLICAS`
        : `${shown} of ${replicas} replica(s): acks=all produces fail while fewer than ${after} replicas are in sync (${Number(replicas) - Number(after)} broker(s) may be down instead of ${Number(replicas) - Number(before ?? "1")})`,
    });
  }
}

function compareTenants(diff: ClusterDiff): void {
  for (const [name, b, a] of pair(tenantsOf(diff.before), tenantsOf(diff.after), (t) => t.name)) {
    if (b === undefined && a !== undefined) {
      diff.added(
        "tenant",
        name,
        name,
        `added: topics ${a.topicPrefix}*, groups ${a.groupPrefix}*, principals ${a.principals.join(", ") || "(none)"}`,
      );
      continue;
    }
    if (b !== undefined && a === undefined) {
      diff.removed("tenant", name, name, "tenants", {
        summary: "tenant definition deleted (its limits no longer apply)",
        consequence: "applied live",
      });
      continue;
    }
    if (b === undefined || a === undefined) continue;
    const flat = (t: ManifestTenant) => ({
      topicPrefix: t.topicPrefix,
      groupPrefix: t.groupPrefix,
      principals: t.principals.join(", "),
      ...t.limits,
    });
    const fields = fieldChanges(flat(b), flat(a), (k, v) =>
      k === "storageBytes" ? displayBytes(v) : v === undefined ? "(unset)" : String(v),
    );
    if (fields.length === 0) continue;
    diff.change({
      subject: "tenant",
      name,
      tenant: name,
      action: "change",
      summary: summarize(fields),
      fields,
      consequence: "applied live",
    });
  }
}

function comparePrincipals(diff: ClusterDiff): void {
  const principals = (m: ClusterModel | undefined) => m?.manifest.principals ?? [];
  for (const [name, b, a] of pair(principals(diff.before), principals(diff.after), (p) => p.name)) {
    const tenant = diff.tenantOfPrincipal(name);
    if (b === undefined && a !== undefined) {
      diff.added("principal", name, tenant, `added: ${a.mechanism} credential`);
      continue;
    }
    if (b !== undefined && a === undefined) {
      const deleted = diff.removed("principal", name, tenant, "credentials", {
        summary: "credential deleted: its clients can no longer authenticate",
        consequence: "credential rotation",
      });
      if (deleted) {
        diff.hazard({
          code: "PRINCIPAL_LOCKED_OUT",
          severity: "warning",
          subject: "principal",
          name,
          reason: `User:${name}'s credential is deleted: every client using it fails to authenticate`,
        });
      }
      continue;
    }
    if (b === undefined || a === undefined) continue;
    const flat = (p: ManifestPrincipal) => ({
      mechanism: p.mechanism,
      credential: JSON.stringify(p.credential),
      iterations: p.iterations,
    });
    const fields = fieldChanges(flat(b), flat(a));
    if (fields.length === 0) continue;
    diff.change({
      subject: "principal",
      name,
      tenant,
      action: "change",
      summary: summarize(fields),
      fields,
      consequence: "credential rotation",
    });
  }
}

function aclKey(acl: ManifestAcl): string {
  return `${acl.permission} ${acl.principal} ${acl.operation} ${acl.resourceType}:${acl.patternType}:${acl.resourceName} from ${acl.host}`;
}

function compareAcls(diff: ClusterDiff): void {
  const acls = (m: ClusterModel | undefined) => m?.manifest.acls ?? [];
  // What each principal loses; one hazard per principal, not one per binding.
  const lost = new Map<string, string[]>();
  for (const [key, b, a] of pair(acls(diff.before), acls(diff.after), aclKey)) {
    const acl = a ?? b;
    if (acl === undefined) continue;
    const tenant = diff.tenantOfPrincipal(acl.principal);
    if (a !== undefined && b === undefined) {
      diff.added("acl", key, tenant, "added");
      continue;
    }
    if (a !== undefined || b === undefined) continue;
    const deleted = diff.removed("acl", key, tenant, "acls", {
      summary: "deleted",
      consequence: "applied live",
    });
    if (deleted && b.permission === "allow") {
      const list = lost.get(b.principal) ?? [];
      list.push(
        `${b.operation} on ${b.resourceType} ${b.resourceName}${b.patternType === "prefixed" ? "*" : ""}`,
      );
      lost.set(b.principal, list);
    }
  }
  for (const [principal, permissions] of lost) {
    // A principal whose credential is deleted is already locked out (its own hazard says so).
    const user = principal.replace(/^User:/, "");
    const stillAuthenticates =
      diff.after?.manifest.principals.some((p) => p.name === user) === true ||
      !diff.deletes("credentials");
    if (!stillAuthenticates) continue;
    diff.hazard({
      code: "PRINCIPAL_LOCKED_OUT",
      severity: "warning",
      subject: "principal",
      name: user,
      reason: `${principal} loses ${permissions.join(", ")}: its clients get authorization errors`,
    });
  }
}

function compareQuotas(diff: ClusterDiff): void {
  const quotas = (m: ClusterModel | undefined) => m?.manifest.quotas ?? [];
  const key = (q: ManifestQuota) => quotaEntityKey(q.entity);
  for (const [name, b, a] of pair(quotas(diff.before), quotas(diff.after), key)) {
    const user = (a ?? b)?.entity.user;
    const tenant = typeof user === "string" ? diff.tenantOfPrincipal(user) : null;
    const values = (q: ManifestQuota | undefined) => ({ ...(q?.values ?? {}) });
    const fields = fieldChanges(values(b), values(a), (k, v) =>
      k.endsWith("_byte_rate") && v !== undefined
        ? `${displayBytes(v)}/s`
        : v === undefined
          ? "(unset)"
          : String(v),
    );
    if (fields.length === 0) continue;
    const removed = a === undefined;
    const left = removed && !diff.deletes("quotas");
    diff.change({
      subject: "quota",
      name,
      tenant,
      action: b === undefined ? "add" : removed ? "remove" : "change",
      summary: left
        ? "removed from the app; stays on the cluster (the deletion policy does not include quotas)"
        : summarize(fields),
      fields,
      consequence: left ? "left on the cluster" : "applied live",
    });
  }
}
