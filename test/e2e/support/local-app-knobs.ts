import type { E2eSettings } from "./e2e-settings";
import { StackWorkdir } from "./stack-workdir";

/** What the e2e suite varies in apps/local between deploys. */
export interface LocalAppKnobs {
  /** Partitions of the app's `orders` topic instead of its default. */
  readonly ordersPartitions?: number;
  /** Retention of the app's `orders` topic, hours, instead of its default (72). */
  readonly ordersRetentionHours?: number;
  /** One more tenant (with a topic `<name>.events`) added to the app. */
  readonly extraTenant?: string;
  /** Base image of the broker image instead of the suite's (a new broker image). */
  readonly baseImage?: string;
  /** Lock file, relative to the scratch directory, instead of {@link E2E_LOCK_FILE}. */
  readonly lockFile?: string;
}

/** The topic of apps/local whose partition count the suite grows. */
export const GROWN_TOPIC = "orders";

/** Environment and cdktf context that configure apps/local for one deploy. */
export interface LocalAppConfig {
  readonly env: Record<string, string>;
  readonly context: Record<string, unknown>;
}

/** The lock file (partition counts, volume sizes) stays in the scratch directory, never in the checkout. */
export const E2E_LOCK_FILE = "sluice.lock.json";

/**
 * Maps the knobs onto what apps/local/main.ts reads. This is the one place that knows the app's
 * configuration surface; keep it in step with apps/local/main.ts.
 */
export function localAppConfig(settings: E2eSettings, knobs: LocalAppKnobs): LocalAppConfig {
  const env: Record<string, string> = {
    SLUICE_BASE_IMAGE: knobs.baseImage ?? settings.baseImage,
    SLUICE_HOST_PORT: String(settings.hostPort),
    // Relative to the scratch directory the cdktf CLI runs in.
    SLUICE_LOCK_FILE: knobs.lockFile ?? E2E_LOCK_FILE,
  };
  if (knobs.ordersPartitions !== undefined)
    env.SLUICE_ORDERS_PARTITIONS = String(knobs.ordersPartitions);
  if (knobs.ordersRetentionHours !== undefined)
    env.SLUICE_ORDERS_RETENTION_HOURS = String(knobs.ordersRetentionHours);
  if (knobs.extraTenant !== undefined) env.SLUICE_LOCAL_EXTRA_TENANT = knobs.extraTenant;
  return { env, context: {} };
}

/** A scratch project (`dir`) that deploys the app at `appEntry` of `sourceRoot` configured by `knobs`. */
export function localAppWorkdir(
  settings: E2eSettings,
  knobs: LocalAppKnobs,
  where: { readonly sourceRoot: string; readonly dir: string; readonly appEntry: string },
): StackWorkdir {
  const config = localAppConfig(settings, knobs);
  const workdir = new StackWorkdir(where.sourceRoot, where.dir, where.appEntry, config.env);
  workdir.writeConfig(config.context);
  return workdir;
}
