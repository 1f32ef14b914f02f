import { existsSync, promises as fsp } from "node:fs";
import * as path from "node:path";
import {
  CLEAN_SHUTDOWN_MARKER,
  isPartitionDir,
  PARTITION_META_FILE,
  PRODUCER_ID_FILE,
  PRODUCER_IDS_STATE,
  type StateFileKind,
  type VerifyFinding,
  type VerifyOptions,
  verifyPartitionDir,
  verifyStateFile,
} from "../log";
import { BROKER_IDENTITY_FILE, BROKER_IDENTITY_STATE } from "./broker-identity";
import { BROKER_CONFIGS_FILE, BROKER_CONFIGS_STATE } from "./broker-log-configs";
import { ConfigError } from "./config";
import { DataDirLock } from "./data-dir-lock";
import { TOPIC_REGISTRY_FILE, TOPIC_REGISTRY_STATE } from "./topic-registry";

/** What `sluice-broker verify` found in a data directory. */
export interface DataDirReport {
  readonly dataDir: string;
  /** Partition directories checked. */
  readonly partitions: number;
  readonly findings: readonly VerifyFinding[];
}

/**
 * Verifies a whole data directory offline: the broker's state files (`broker.json`, `topics.json`,
 * `producer-ids.json`, `broker-configs.json`) and every partition ({@link verifyPartitionDir}). Takes the data directory's
 * lock, so it refuses to run beside a broker using it ({@link ConfigError}).
 */
export async function verifyDataDir(dataDir: string, opts: VerifyOptions): Promise<DataDirReport> {
  const stat = await fsp.stat(dataDir).catch(() => undefined);
  if (!stat?.isDirectory()) throw new ConfigError(`${dataDir} is not a directory`);
  const lock = await DataDirLock.acquire(dataDir);
  try {
    const findings: VerifyFinding[] = [];
    const check = async <T>(name: string, kind: StateFileKind<T>) =>
      findings.push(...(await verifyStateFile(path.join(dataDir, name), kind, opts.repair)));
    await check(BROKER_IDENTITY_FILE, BROKER_IDENTITY_STATE);
    await check(TOPIC_REGISTRY_FILE, TOPIC_REGISTRY_STATE);
    await check(PRODUCER_ID_FILE, PRODUCER_IDS_STATE);
    await check(BROKER_CONFIGS_FILE, BROKER_CONFIGS_STATE);
    let partitions = 0;
    const entries = await fsp.readdir(dataDir, { withFileTypes: true });
    for (const e of entries.sort((a, b) => a.name.localeCompare(b.name))) {
      if (!e.isDirectory()) continue;
      const dir = path.join(dataDir, e.name);
      if (e.name.endsWith(".deleting")) {
        findings.push({
          file: dir,
          severity: "note",
          what: "a deleted partition's directory; the broker removes it at start",
        });
      } else if (isPartitionDir(dir)) {
        partitions++;
        findings.push(...(await verifyPartitionDir(dir, opts)));
      } else if ((await fsp.readdir(dir)).some((n) => n.endsWith(".log"))) {
        findings.push({
          file: dir,
          severity: "note",
          what: `holds segment files but no ${PARTITION_META_FILE}: the broker does not open it`,
        });
      }
    }
    if (partitions > 0 && !existsSync(path.join(dataDir, CLEAN_SHUTDOWN_MARKER))) {
      findings.push({
        file: path.join(dataDir, CLEAN_SHUTDOWN_MARKER),
        severity: "note",
        what: "missing: the last broker did not shut down cleanly; its next start recovers the active segments",
      });
    }
    return { dataDir, partitions, findings };
  } finally {
    await lock.release();
  }
}
