import { promises as fsp } from "node:fs";
import * as path from "node:path";
import { writeFileAtomic } from "../log";

/** A tenancy state file that is missing, unreadable or of an unknown version. */
export class TenancyStateError extends Error {
  readonly file: string;
  constructor(file: string, message: string) {
    super(`${file}: ${message}`);
    this.name = "TenancyStateError";
    this.file = file;
  }
}

/**
 * One small JSON document in the data directory (`<dataDir>/tenancy/<name>.json`), replaced
 * atomically (tmp → fsync → rename → fsync dir) so a crash leaves the old or the new state. Writes
 * are serialized: the last `save` wins and every caller learns when its own state is durable.
 */
export class JsonStateFile<T> {
  readonly file: string;
  private readonly version: number;
  private chain: Promise<void> = Promise.resolve();

  constructor(dataDir: string, name: string, version: number) {
    this.file = path.join(dataDir, "tenancy", `${name}.json`);
    this.version = version;
  }

  /** The stored state, or null when the file does not exist yet. */
  async load(): Promise<T | null> {
    let text: string;
    try {
      text = await fsp.readFile(this.file, "utf8");
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === "ENOENT") return null;
      throw err;
    }
    let doc: unknown;
    try {
      doc = JSON.parse(text);
    } catch {
      throw new TenancyStateError(this.file, "is not valid JSON");
    }
    if (typeof doc !== "object" || doc === null || !("version" in doc) || !("state" in doc)) {
      throw new TenancyStateError(this.file, "has no version/state");
    }
    if (doc.version !== this.version) {
      throw new TenancyStateError(this.file, `has unsupported version ${String(doc.version)}`);
    }
    return doc.state as T;
  }

  /** Durably replaces the stored state. */
  save(state: T): Promise<void> {
    const text = `${JSON.stringify({ version: this.version, state }, null, 1)}\n`;
    const run = this.chain.then(async () => {
      await fsp.mkdir(path.dirname(this.file), { recursive: true });
      await writeFileAtomic(this.file, text);
    });
    this.chain = run.catch(() => undefined);
    return run;
  }
}
