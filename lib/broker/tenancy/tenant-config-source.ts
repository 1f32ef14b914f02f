import { tenantSchema } from "../../manifest/schema";
import {
  decodeTenantConfig,
  encodeTenantConfig,
  TENANCY_MARKER_CONFIG,
  TENANCY_MARKER_VALUE,
  tenantConfigName,
  tenantOfConfigName,
} from "../../manifest/tenant-config";
import type {
  DynamicConfigChange,
  DynamicConfigEntry,
  DynamicConfigScope,
  DynamicConfigSource,
} from "../server/dynamic-broker-configs";
import { TopicError } from "../server/topic-error";
import { InvalidTenantError, type TenantDefinition, TenantDirectory } from "./tenant";

/**
 * The broker's tenants as dynamic cluster-wide broker configs (`sluice.tenant.<name>`, see
 * lib/manifest/tenant-config.ts), so that `sluice apply` — or any Kafka admin client — adds, changes
 * and removes tenants on a running broker through IncrementalAlterConfigs, and reads them back with
 * DescribeConfigs. A change takes effect for the next request; it is persisted before it is answered.
 */
export class TenantConfigSource implements DynamicConfigSource {
  private readonly tenants: TenantDirectory;
  /** Tenants are cluster-wide: they are set on the default BROKER resource only. */
  readonly scopes: readonly DynamicConfigScope[] = ["cluster"];

  constructor(tenants: TenantDirectory) {
    this.tenants = tenants;
  }

  owns(name: string): boolean {
    return name === TENANCY_MARKER_CONFIG || tenantOfConfigName(name) !== null;
  }

  entries(): DynamicConfigEntry[] {
    const marker: DynamicConfigEntry = {
      name: TENANCY_MARKER_CONFIG,
      value: TENANCY_MARKER_VALUE,
      readOnly: true,
      scope: "cluster",
      documentation: "this broker stores Sluice tenant definitions (sluice.tenant.<name>)",
    };
    return [
      marker,
      ...this.tenants.definitions().map((d) => ({
        name: tenantConfigName(d.name),
        value: encodeTenantConfig({
          topicPrefix: d.topicPrefix,
          groupPrefix: d.groupPrefix,
          transactionalIdPrefix: d.transactionalIdPrefix ?? d.topicPrefix,
          principals: [...d.principals],
          limits: { ...d.limits },
        }),
        readOnly: false,
        scope: "cluster" as const,
        documentation: `tenant ${d.name}: prefixes, principals and limits (JSON)`,
      })),
    ];
  }

  async apply(changes: readonly DynamicConfigChange[], validateOnly: boolean): Promise<void> {
    const next = new Map(this.tenants.definitions().map((d) => [d.name, d]));
    for (const change of changes) {
      const name = tenantOfConfigName(change.name);
      if (name === null)
        throw new TopicError("INVALID_CONFIG", `Config ${change.name} is read-only.`);
      if (change.value === null) {
        next.delete(name);
        continue;
      }
      next.set(name, parseDefinition(change.name, name, change.value));
    }
    const defs = [...next.values()];
    try {
      TenantDirectory.check(defs);
    } catch (e) {
      if (e instanceof InvalidTenantError) throw new TopicError("INVALID_CONFIG", e.message);
      throw e;
    }
    if (!validateOnly) await this.tenants.replace(defs);
  }
}

/** A config value as a tenant definition, checked against the manifest's tenant schema. */
function parseDefinition(configName: string, name: string, value: string): TenantDefinition {
  const decoded = decodeTenantConfig(value);
  if (!decoded.ok)
    throw new TopicError("INVALID_CONFIG", `Config ${configName}: ${decoded.reason}`);
  const checked = tenantSchema.safeParse({ name, ...decoded.definition });
  if (!checked.success) {
    const issues = checked.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`);
    throw new TopicError("INVALID_CONFIG", `Config ${configName}: ${issues.join("; ")}`);
  }
  return checked.data;
}
