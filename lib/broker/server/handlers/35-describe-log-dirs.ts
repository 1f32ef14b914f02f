import { promises as fsp } from "node:fs";
import * as path from "node:path";
import type { PartitionLog } from "../../log";
import { ApiKey, ErrorCode } from "../../protocol";
import type { HandlerFor } from "../handler";

/** Space of the file system holding `dir` (-1 each when it cannot be read, as Kafka's default). */
async function space(dir: string): Promise<{ totalBytes: bigint; usableBytes: bigint }> {
  try {
    const s = await fsp.statfs(dir, { bigint: true });
    return { totalBytes: s.blocks * s.bsize, usableBytes: s.bavail * s.bsize };
  } catch {
    return { totalBytes: -1n, usableBytes: -1n };
  }
}

/**
 * DescribeLogDirs (35), v1-5: the broker's one log directory (its data dir) with the size of every
 * partition's segments, or of the requested ones (`topics` null: all). Partitions that do not
 * exist are left out, as Kafka leaves them out; a single broker has no lag and no future logs.
 */
export const describeLogDirsHandler: HandlerFor<ApiKey.DescribeLogDirs> = {
  apiKey: ApiKey.DescribeLogDirs,
  async handle(req, _ctx, broker) {
    const wanted =
      req.topics === null
        ? null
        : new Map(req.topics.map((t) => [t.topic, new Set(t.partitions)] as const));
    const byTopic = new Map<string, PartitionLog[]>();
    for (const log of broker.logs.all()) {
      if (wanted !== null && !wanted.get(log.topic)?.has(log.partition)) continue;
      const list = byTopic.get(log.topic) ?? [];
      list.push(log);
      byTopic.set(log.topic, list);
    }
    const logDir = path.resolve(broker.logs.dataDir);
    return {
      throttleTimeMs: 0,
      errorCode: ErrorCode.NONE,
      results: [
        {
          errorCode: ErrorCode.NONE,
          logDir,
          topics: [...byTopic].map(([name, logs]) => ({
            name,
            partitions: logs
              .sort((a, b) => a.partition - b.partition)
              .map((log) => ({
                partitionIndex: log.partition,
                partitionSize: BigInt(log.sizeBytes()),
                offsetLag: 0n,
                isFutureKey: false,
              })),
          })),
          ...(await space(logDir)),
          isCordoned: false,
        },
      ],
    };
  },
};
