import { ApiKey, ErrorCode, type ResponseInputOf } from "../../protocol";
import { errorCodeOf, errorMessageOf, isExpectedError } from "../error-codes";
import type { HandlerFor } from "../handler";
import { ZERO_UUID } from "./03-metadata";

type DeletedTopic = ResponseInputOf<ApiKey.DeleteTopics>["responses"][number];

/** DeleteTopics (20), v1-6: by name (v1-5 `topicNames`, v6 `topics`) or by topic id (v6). */
export const deleteTopicsHandler: HandlerFor<ApiKey.DeleteTopics> = {
  apiKey: ApiKey.DeleteTopics,
  async handle(req, ctx, broker) {
    const wanted: { name: string | null; topicId: string }[] =
      ctx.apiVersion >= 6
        ? req.topics.map((t) => ({ name: t.name, topicId: t.topicId }))
        : req.topicNames.map((name) => ({ name, topicId: ZERO_UUID }));
    const responses: DeletedTopic[] = [];
    for (const w of wanted) {
      const byId = w.name === null || w.name === "";
      const info = byId ? broker.topics.getById(w.topicId) : broker.topics.get(w.name ?? "");
      if (!info) {
        responses.push({
          name: w.name,
          topicId: w.topicId,
          errorCode: byId ? ErrorCode.UNKNOWN_TOPIC_ID : ErrorCode.UNKNOWN_TOPIC_OR_PARTITION,
          errorMessage: byId
            ? "This server does not host this topic ID."
            : "This server does not host this topic-partition.",
        });
        continue;
      }
      try {
        await broker.topics.delete(info.name);
        broker.logger.info(`deleted topic ${info.name} for ${ctx.clientId ?? "?"}`);
        responses.push({
          name: info.name,
          topicId: info.topicId,
          errorCode: ErrorCode.NONE,
          errorMessage: null,
        });
      } catch (e) {
        if (!isExpectedError(e))
          broker.logger.error(`delete topic ${info.name}: ${errorMessageOf(e)}`);
        responses.push({
          name: info.name,
          topicId: info.topicId,
          errorCode: errorCodeOf(e),
          errorMessage: errorMessageOf(e),
        });
      }
    }
    return { throttleTimeMs: 0, responses };
  },
};
