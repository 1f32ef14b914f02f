import { promises as fsp } from "node:fs";
import * as path from "node:path";
import { ConfigError } from "./config";

const LOCK_FILE = "broker.lock";

/** The data directory is held by another broker: a state of the machine, not a bad flag (exit 1). */
export class DataDirInUseError extends ConfigError {
  override readonly name: string = "DataDirInUseError";
}

/** Lock files held by brokers of this process (the PID alone cannot tell them apart). */
const heldHere = new Set<string>();

/**
 * Whether `pid` may be a running broker. After a container restart the PID in an old lock file may
 * belong to an unrelated process (e.g. an init), so on Linux the command line must mention node or
 * sluice too.
 */
async function mayBeBroker(pid: number): Promise<boolean> {
  try {
    process.kill(pid, 0);
  } catch (e) {
    // EPERM: the process exists but belongs to someone else.
    if ((e as NodeJS.ErrnoException).code !== "EPERM") return false;
  }
  const cmdline = await fsp.readFile(`/proc/${pid}/cmdline`, "utf8").catch(() => null);
  return cmdline === null || /node|sluice/.test(cmdline);
}

/**
 * Keeps a second broker from opening the same data directory (two writers would corrupt the logs):
 * `<dataDir>/broker.lock` holds the owner's PID. A lock left by a process that no longer runs (a
 * crash, `kill -9`) is taken over.
 */
export class DataDirLock {
  private constructor(private readonly file: string) {}

  /** Takes the lock or throws {@link DataDirInUseError} naming the PID that holds it. */
  static async acquire(dataDir: string): Promise<DataDirLock> {
    const file = path.resolve(dataDir, LOCK_FILE);
    if (heldHere.has(file)) {
      throw new DataDirInUseError(`${dataDir} is in use by another broker in this process`);
    }
    for (let attempt = 0; attempt < 2; attempt++) {
      try {
        await fsp.writeFile(file, `${process.pid}\n`, { flag: "wx" });
        heldHere.add(file);
        return new DataDirLock(file);
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code !== "EEXIST") throw e;
      }
      const owner = Number((await fsp.readFile(file, "utf8").catch(() => "")).trim());
      if (
        Number.isInteger(owner) &&
        owner > 0 &&
        owner !== process.pid &&
        (await mayBeBroker(owner))
      ) {
        throw new DataDirInUseError(
          `${dataDir} is in use by another broker (pid ${owner}); stop it or use another --data-dir`,
        );
      }
      await fsp.rm(file, { force: true });
    }
    throw new ConfigError(`cannot lock ${dataDir}: another broker keeps taking ${LOCK_FILE}`);
  }

  /** Releases the lock. */
  async release(): Promise<void> {
    heldHere.delete(this.file);
    await fsp.rm(this.file, { force: true });
  }
}
