import { randomBytes } from "node:crypto";
import { promises as fsp } from "node:fs";
import * as path from "node:path";
import { z } from "zod";
import { writeFileAtomic } from "../log";
import { DamagedStateFileError, parseStateFile } from "../log/damaged-state-file-error";
import { ConfigError } from "./config";

const FILE_NAME = "broker.json";

const IdentitySchema = z
  .object({ clusterId: z.string().min(1), nodeId: z.number().int() })
  .strict();

/** What a data directory belongs to (Kafka keeps the same facts in `meta.properties`). */
export interface BrokerIdentity {
  /** 16 random bytes, base64url without padding (22 characters), like Kafka's cluster ids. */
  readonly clusterId: string;
  readonly nodeId: number;
}

/**
 * Reads the identity of `dataDir`, creating it on first start. A data directory written by another
 * node id is refused, as Kafka refuses a mismatching `meta.properties`: it holds someone else's data.
 */
export async function loadBrokerIdentity(dataDir: string, nodeId: number): Promise<BrokerIdentity> {
  const file = path.join(dataDir, FILE_NAME);
  let text: string | null = null;
  try {
    text = await fsp.readFile(file, "utf8");
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== "ENOENT") throw e;
  }
  if (text !== null) {
    const remedy =
      "restore it from a backup; moving it away gives the broker a new cluster id, which clients and other brokers notice";
    const parsed = IdentitySchema.safeParse(parseStateFile(file, text, remedy));
    if (!parsed.success) {
      throw new DamagedStateFileError(file, "not a broker identity (clusterId, nodeId)", remedy);
    }
    if (parsed.data.nodeId !== nodeId) {
      throw new ConfigError(
        `${dataDir} belongs to node ${parsed.data.nodeId}, but --node-id is ${nodeId}; use --node-id ${parsed.data.nodeId} or another data directory`,
      );
    }
    return parsed.data;
  }
  const identity: BrokerIdentity = { clusterId: randomBytes(16).toString("base64url"), nodeId };
  await writeFileAtomic(file, `${JSON.stringify(identity)}\n`);
  return identity;
}
