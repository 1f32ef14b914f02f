import * as path from "node:path";
import { ApiKey, ErrorCode, type RequestOf, type ResponseInputOf } from "../../protocol";
import type { HandlerFor } from "../handler";

/**
 * The AlterReplicaLogDirs answer for every partition of `req`, each with the error code `codeOf`
 * gives it (by the requested directory, topic and partition), grouped by topic.
 */
export function answerEachPartition(
  req: RequestOf<ApiKey.AlterReplicaLogDirs>,
  codeOf: (dir: string, topic: string, partition: number) => number,
): ResponseInputOf<ApiKey.AlterReplicaLogDirs> {
  const results = new Map<string, { partitionIndex: number; errorCode: number }[]>();
  for (const dir of req.dirs) {
    for (const t of dir.topics) {
      const list = results.get(t.name) ?? [];
      for (const p of t.partitions)
        list.push({ partitionIndex: p, errorCode: codeOf(dir.path, t.name, p) });
      results.set(t.name, list);
    }
  }
  return {
    throttleTimeMs: 0,
    results: [...results].map(([topicName, partitions]) => ({ topicName, partitions })),
  };
}

/**
 * AlterReplicaLogDirs (34), v1-2, answered as Kafka answers with one log directory: a partition
 * asked into that directory (the data dir, by absolute path) is already there (NONE), or
 * REPLICA_NOT_AVAILABLE when it does not exist; any other path is LOG_DIR_NOT_FOUND. Nothing moves.
 */
export const alterReplicaLogDirsHandler: HandlerFor<ApiKey.AlterReplicaLogDirs> = {
  apiKey: ApiKey.AlterReplicaLogDirs,
  handle(req, _ctx, broker) {
    const logDir = path.resolve(broker.logs.dataDir);
    return answerEachPartition(req, (dir, topic, partition) => {
      if (!path.isAbsolute(dir) || path.resolve(dir) !== logDir) return ErrorCode.LOG_DIR_NOT_FOUND;
      return broker.logs.get(topic, partition) ? ErrorCode.NONE : ErrorCode.REPLICA_NOT_AVAILABLE;
    });
  },
};
