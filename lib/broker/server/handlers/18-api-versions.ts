import { ApiKey, apiVersionsList, ErrorCode } from "../../protocol";
import type { HandlerFor } from "../handler";

/**
 * ApiVersions (18): the APIs that have a handler, with the versions the codec supports. A request of a
 * version we do not know never reaches this handler: the dispatcher answers it with the v0 fallback.
 */
export const apiVersionsHandler: HandlerFor<ApiKey.ApiVersions> = {
  apiKey: ApiKey.ApiVersions,
  handle(_req, _ctx, broker) {
    return {
      errorCode: ErrorCode.NONE,
      apiKeys: apiVersionsList(broker.apiKeys),
      throttleTimeMs: 0,
    };
  },
};
