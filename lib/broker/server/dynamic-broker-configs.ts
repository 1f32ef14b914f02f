import { TopicError } from "./topic-error";

/**
 * Where a dynamic broker config is set, as Kafka's BROKER config resources name it: the cluster-wide
 * default (resource `""`, source DYNAMIC_DEFAULT_BROKER_CONFIG) or this broker (resource
 * `"<node id>"`, source DYNAMIC_BROKER_CONFIG), which wins over the default.
 */
export type DynamicConfigScope = "cluster" | "broker";

/** One dynamic broker config as a source reports it. */
export interface DynamicConfigEntry {
  readonly name: string;
  readonly value: string;
  /** Listed but not changeable through the admin APIs (e.g. a capability marker). */
  readonly readOnly: boolean;
  readonly documentation: string;
  readonly scope: DynamicConfigScope;
}

/** A change to one dynamic config: a new value, or null to remove it. */
export interface DynamicConfigChange {
  readonly name: string;
  readonly value: string | null;
}

/**
 * A family of dynamic broker configs owned by one part of the broker (the tenancy layer's
 * `sluice.tenant.*`, the log engine's `log.*` defaults). The server lists them in DescribeConfigs and
 * routes AlterConfigs / IncrementalAlterConfigs on the BROKER resources to their owner, without
 * knowing what they mean.
 */
export interface DynamicConfigSource {
  /** Whether the config name belongs to this source. */
  owns(name: string): boolean;
  /** The scopes its configs can be set at. */
  readonly scopes: readonly DynamicConfigScope[];
  /** The current entries of every scope. */
  entries(): readonly DynamicConfigEntry[];
  /**
   * Applies the changes at one scope all-or-nothing (or only checks them with `validateOnly`);
   * throws a {@link TopicError} naming what is wrong.
   */
  apply(
    changes: readonly DynamicConfigChange[],
    validateOnly: boolean,
    scope: DynamicConfigScope,
  ): Promise<void>;
}

/** How {@link DynamicBrokerConfigs.apply} applies a set of changes. */
export interface DynamicApplyOptions {
  readonly validateOnly: boolean;
  /** AlterConfigs' legacy semantics: every writable entry of the scope not named is removed. */
  readonly replaceAll: boolean;
  readonly scope: DynamicConfigScope;
}

/**
 * The broker's dynamic configs: the union of the registered sources. Every other broker config is
 * static (flags and config file).
 */
export class DynamicBrokerConfigs {
  private readonly sources: DynamicConfigSource[] = [];

  /** Adds a source (once, when a layer attaches). */
  register(source: DynamicConfigSource): void {
    this.sources.push(source);
  }

  /** Every dynamic entry of every source (of one scope when given). */
  entries(scope?: DynamicConfigScope): DynamicConfigEntry[] {
    const all = this.sources.flatMap((s) => s.entries());
    return scope === undefined ? all : all.filter((e) => e.scope === scope);
  }

  /** The value set for `name` at `scope`, if any (asks only the source owning the name). */
  value(name: string, scope: DynamicConfigScope): string | undefined {
    const owner = this.sources.find((s) => s.owns(name));
    return owner?.entries().find((e) => e.name === name && e.scope === scope)?.value;
  }

  /** Whether some source owns the name. */
  owns(name: string): boolean {
    return this.sources.some((s) => s.owns(name));
  }

  /**
   * Applies changes that may span sources; every name must be owned, writable and settable at the
   * scope (the caller refuses names no source owns).
   */
  async apply(
    changes: readonly DynamicConfigChange[],
    options: DynamicApplyOptions,
  ): Promise<void> {
    const readOnly = new Set(
      this.entries()
        .filter((e) => e.readOnly)
        .map((e) => e.name),
    );
    for (const c of changes) {
      if (readOnly.has(c.name)) {
        throw new TopicError("INVALID_CONFIG", `Config ${c.name} is read-only.`);
      }
      const owner = this.sources.find((s) => s.owns(c.name));
      if (owner && !owner.scopes.includes(options.scope)) {
        throw new TopicError(
          "INVALID_REQUEST",
          options.scope === "broker"
            ? `Config ${c.name} is cluster-wide: alter it on the BROKER resource "" (the cluster default), not on one broker.`
            : `Cannot update these configs at default cluster level, broker id must be specified: [${c.name}]`,
        );
      }
    }
    const plans: { source: DynamicConfigSource; mine: DynamicConfigChange[] }[] = [];
    for (const source of this.sources) {
      if (!source.scopes.includes(options.scope)) continue;
      const mine = changes.filter((c) => source.owns(c.name));
      if (options.replaceAll) {
        const named = new Set(mine.map((c) => c.name));
        for (const e of source.entries()) {
          if (e.scope === options.scope && !e.readOnly && !named.has(e.name)) {
            mine.push({ name: e.name, value: null });
          }
        }
      }
      if (mine.length > 0) plans.push({ source, mine });
    }
    // Every source checks its part before any applies, so a bad value in one leaves the others.
    for (const { source, mine } of plans) await source.apply(mine, true, options.scope);
    if (options.validateOnly) return;
    for (const { source, mine } of plans) await source.apply(mine, false, options.scope);
  }
}
