import { TopicError } from "./topic-error";

/** One cluster-wide dynamic broker config as a source reports it. */
export interface DynamicConfigEntry {
  readonly name: string;
  readonly value: string;
  /** Listed but not changeable through the admin APIs (e.g. a capability marker). */
  readonly readOnly: boolean;
  readonly documentation: string;
}

/** A change to one dynamic config: a new value, or null to remove it. */
export interface DynamicConfigChange {
  readonly name: string;
  readonly value: string | null;
}

/**
 * A family of cluster-wide broker configs owned by a layer above the server (the tenancy layer's
 * `sluice.tenant.*`). The server lists them in DescribeConfigs and routes AlterConfigs /
 * IncrementalAlterConfigs on the BROKER resource `""` to their owner, without knowing what they mean.
 */
export interface DynamicConfigSource {
  /** Whether the config name belongs to this source. */
  owns(name: string): boolean;
  /** The current entries. */
  entries(): readonly DynamicConfigEntry[];
  /**
   * Applies the changes all-or-nothing (or only checks them with `validateOnly`); throws a
   * {@link TopicError} (INVALID_CONFIG) naming what is wrong.
   */
  apply(changes: readonly DynamicConfigChange[], validateOnly: boolean): Promise<void>;
}

/**
 * The broker's dynamic cluster-wide configs: the union of the registered sources. Every other broker
 * config is static (flags and config file).
 */
export class DynamicBrokerConfigs {
  private readonly sources: DynamicConfigSource[] = [];

  /** Adds a source (once, when a layer attaches). */
  register(source: DynamicConfigSource): void {
    this.sources.push(source);
  }

  /** Every dynamic entry of every source. */
  entries(): DynamicConfigEntry[] {
    return this.sources.flatMap((s) => s.entries());
  }

  /** Whether some source owns the name. */
  owns(name: string): boolean {
    return this.sources.some((s) => s.owns(name));
  }

  /**
   * Applies changes that may span sources; every name must be owned and writable. With `replaceAll`
   * (AlterConfigs' legacy semantics) each writable entry not named is removed.
   */
  async apply(
    changes: readonly DynamicConfigChange[],
    options: { validateOnly: boolean; replaceAll: boolean },
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
    }
    for (const source of this.sources) {
      const mine = changes.filter((c) => source.owns(c.name));
      if (options.replaceAll) {
        const named = new Set(mine.map((c) => c.name));
        for (const e of source.entries()) {
          if (!e.readOnly && !named.has(e.name)) mine.push({ name: e.name, value: null });
        }
      }
      if (mine.length > 0) await source.apply(mine, options.validateOnly);
    }
  }
}
