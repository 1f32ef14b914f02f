import { z } from "zod";
import { stableStringify } from "./canonical";
import type { TenantDefinition } from "./cluster-state";
import { tenantLimitsSchema } from "./schema";

/**
 * How tenant definitions travel over the Kafka admin APIs, shared by `sluice apply` (writer) and the
 * Sluice broker (store): each tenant is one dynamic cluster-wide broker config (BROKER resource
 * `""`) named `sluice.tenant.<name>` whose value is the canonical JSON of its definition. Brokers
 * that store tenants list the read-only marker `sluice.tenancy` = `v1` on the same resource.
 */

/** Broker config a Sluice broker lists to show it stores tenants. */
export const TENANCY_MARKER_CONFIG = "sluice.tenancy";
/** Value of {@link TENANCY_MARKER_CONFIG}: the version of the encoding below. */
export const TENANCY_MARKER_VALUE = "v1";
/** Prefix of the per-tenant broker configs. */
export const TENANT_CONFIG_PREFIX = "sluice.tenant.";

/** The value of one `sluice.tenant.<name>` config. */
export const tenantConfigValueSchema = z.strictObject({
  /** Every topic of the tenant starts with this prefix. */
  topicPrefix: z.string().min(1),
  /** Every consumer group of the tenant starts with this prefix. */
  groupPrefix: z.string().min(1),
  /** Every transactional id of the tenant starts with this prefix. */
  transactionalIdPrefix: z.string().min(1),
  /** Names of the principals that act for the tenant. */
  principals: z.array(z.string().min(1)),
  /** The tenant's limits. */
  limits: tenantLimitsSchema,
});

/** The config name of a tenant. */
export function tenantConfigName(tenant: string): string {
  return `${TENANT_CONFIG_PREFIX}${tenant}`;
}

/** The tenant a config names, or null when it is not a tenant config. */
export function tenantOfConfigName(configName: string): string | null {
  if (!configName.startsWith(TENANT_CONFIG_PREFIX)) return null;
  const name = configName.slice(TENANT_CONFIG_PREFIX.length);
  return name === "" ? null : name;
}

/** Canonical (sorted-key) JSON of a definition, so equal definitions compare equal as strings. */
export function encodeTenantConfig(definition: TenantDefinition): string {
  return stableStringify(definition);
}

/** The outcome of reading a tenant config value. */
export type DecodedTenantConfig =
  | {
      /** The value was read. */
      readonly ok: true;
      /** The tenant's definition. */
      readonly definition: TenantDefinition;
    }
  | {
      /** The value could not be read. */
      readonly ok: false;
      /** What is wrong with it. */
      readonly reason: string;
    };

/** Parses a config value; `reason` says what is wrong with an unreadable one. */
export function decodeTenantConfig(value: string): DecodedTenantConfig {
  let json: unknown;
  try {
    json = JSON.parse(value);
  } catch {
    return { ok: false, reason: "the value is not JSON" };
  }
  const parsed = tenantConfigValueSchema.safeParse(json);
  if (parsed.success) return { ok: true, definition: parsed.data };
  const issues = parsed.error.issues.map((i) => `${i.path.join(".") || "value"}: ${i.message}`);
  return { ok: false, reason: issues.join("; ") };
}
