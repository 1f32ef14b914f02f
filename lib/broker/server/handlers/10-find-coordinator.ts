import { ApiKey, ErrorCode, type RequestOf, type ResponseInputOf } from "../../protocol";
import type { ApiHandler } from "../handler";

type Req = RequestOf<ApiKey.FindCoordinator>;
type Res = ResponseInputOf<ApiKey.FindCoordinator>;

/** Key types of FindCoordinator: consumer group, transactional id. */
const KEY_TYPE_GROUP = 0;
const KEY_TYPE_TRANSACTION = 1;

/**
 * FindCoordinator (10): this single node coordinates every group (and transactional id). It answers
 * with the advertised address of the listener the request arrived on. v0-3 carry one key, v4+ a batch.
 */
export const findCoordinatorHandler: ApiHandler<Req, Res> = {
  apiKey: ApiKey.FindCoordinator,
  handle(req, ctx, broker) {
    const listeners = broker.advertisedListeners();
    const listener = listeners.find((l) => l.name === ctx.listenerName) ?? listeners[0];
    const keyTypeKnown = req.keyType === KEY_TYPE_GROUP || req.keyType === KEY_TYPE_TRANSACTION;
    const answer = (key: string) => {
      if (!keyTypeKnown) {
        return {
          key,
          nodeId: -1,
          host: "",
          port: -1,
          errorCode: ErrorCode.INVALID_REQUEST,
          errorMessage: `unknown coordinator key type ${req.keyType}`,
        };
      }
      if (listener === undefined) {
        return {
          key,
          nodeId: -1,
          host: "",
          port: -1,
          errorCode: ErrorCode.COORDINATOR_NOT_AVAILABLE,
          errorMessage: "no listener is advertised",
        };
      }
      return {
        key,
        nodeId: broker.config.nodeId,
        host: listener.host,
        port: listener.port,
        errorCode: ErrorCode.NONE,
        errorMessage: null,
      };
    };
    if (ctx.apiVersion >= 4) {
      return { throttleTimeMs: 0, coordinators: req.coordinatorKeys.map((k) => answer(k)) };
    }
    const a = answer(req.key);
    return {
      throttleTimeMs: 0,
      errorCode: a.errorCode,
      errorMessage: a.errorMessage,
      nodeId: a.nodeId,
      host: a.host,
      port: a.port,
    };
  },
};
