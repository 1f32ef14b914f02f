import { ApiKey, ErrorCode } from "../../protocol";
import { errorCodeOf, errorMessageOf, isExpectedError } from "../error-codes";
import type { HandlerFor } from "../handler";

/** CreatePartitions (37), v0-3: partitions only grow; manual assignments may only name this broker. */
export const createPartitionsHandler: HandlerFor<ApiKey.CreatePartitions> = {
  apiKey: ApiKey.CreatePartitions,
  async handle(req, _ctx, broker) {
    const nodeId = broker.config.nodeId;
    const counts = new Map<string, number>();
    for (const t of req.topics) counts.set(t.name, (counts.get(t.name) ?? 0) + 1);
    const results = [];
    for (const t of req.topics) {
      if ((counts.get(t.name) ?? 0) > 1) {
        results.push({
          name: t.name,
          errorCode: ErrorCode.INVALID_REQUEST,
          errorMessage: "Duplicate topic in request.",
        });
        continue;
      }
      if (t.assignments?.some((a) => a.brokerIds.length !== 1 || a.brokerIds[0] !== nodeId)) {
        results.push({
          name: t.name,
          errorCode: ErrorCode.INVALID_REPLICA_ASSIGNMENT,
          errorMessage: `New partitions must be assigned to broker ${nodeId} only (single-node cluster).`,
        });
        continue;
      }
      try {
        await broker.topics.createPartitions(t.name, t.count, req.validateOnly);
        results.push({ name: t.name, errorCode: ErrorCode.NONE, errorMessage: null });
      } catch (e) {
        if (!isExpectedError(e))
          broker.logger.error(`create partitions ${t.name}: ${errorMessageOf(e)}`);
        results.push({ name: t.name, errorCode: errorCodeOf(e), errorMessage: errorMessageOf(e) });
      }
    }
    return { throttleTimeMs: 0, results };
  },
};
