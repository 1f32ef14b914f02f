import { randomBytes } from "node:crypto";
import * as path from "node:path";
import { z } from "zod";
import { checkedBy, readStateFile, type StateFileKind, writeStateFile } from "../log";
import { ConfigError } from "./config";

/** `<dataDir>/broker.json`: the data directory's cluster id and node id. */
export const BROKER_IDENTITY_FILE = "broker.json";

const IdentitySchema = z
  .object({ clusterId: z.string().min(1), nodeId: z.number().int() })
  .strict();

/** What a data directory belongs to (Kafka keeps the same facts in `meta.properties`). */
export interface BrokerIdentity {
  /** 16 random bytes, base64url without padding (22 characters), like Kafka's cluster ids. */
  readonly clusterId: string;
  readonly nodeId: number;
}

/** How `broker.json` is read (at start and by `sluice-broker verify`). */
export const BROKER_IDENTITY_STATE: StateFileKind<BrokerIdentity> = {
  parse: (doc) =>
    checkedBy(IdentitySchema.safeParse(doc), "not a broker identity (clusterId, nodeId)"),
  remedy:
    "restore it from a backup; moving it away gives the broker a new cluster id, which clients and other brokers notice",
  // The identity is written once and never changes: the previous copy is the same.
  previousCopyCaveat: "nothing is lost (the identity never changes)",
};

/**
 * Reads the identity of `dataDir`, creating it on first start. A data directory written by another
 * node id is refused, as Kafka refuses a mismatching `meta.properties`: it holds someone else's data.
 */
export async function loadBrokerIdentity(
  dataDir: string,
  nodeId: number,
  onWarning?: (message: string) => void,
): Promise<BrokerIdentity> {
  const file = path.join(dataDir, BROKER_IDENTITY_FILE);
  const found = await readStateFile(file, { ...BROKER_IDENTITY_STATE, onWarning });
  if (found !== undefined) {
    const { value } = found;
    if (value.nodeId !== nodeId) {
      throw new ConfigError(
        `${dataDir} belongs to node ${value.nodeId}, but --node-id is ${nodeId}; use --node-id ${value.nodeId} or another data directory`,
      );
    }
    return value;
  }
  const identity: BrokerIdentity = { clusterId: randomBytes(16).toString("base64url"), nodeId };
  await writeStateFile(file, `${JSON.stringify(identity)}\n`);
  return identity;
}
