import { ApiKey, ErrorCode } from "../../protocol";
import type { HandlerFor } from "../handler";

/**
 * InitProducerId (22), v0-5: a fresh producer id (epoch 0) for idempotent producers, persisted by the
 * log engine so it is never reused. Like Kafka for non-transactional producers, a request carrying its
 * current id/epoch (KIP-360) also gets a new id. Transactions are not supported.
 */
export const initProducerIdHandler: HandlerFor<ApiKey.InitProducerId> = {
  apiKey: ApiKey.InitProducerId,
  async handle(req, _ctx, broker) {
    if (req.transactionalId !== null) {
      return {
        throttleTimeMs: 0,
        errorCode: ErrorCode.UNSUPPORTED_VERSION,
        producerId: -1n,
        producerEpoch: -1,
      };
    }
    const producerId = await broker.logs.allocateProducerId();
    return {
      throttleTimeMs: 0,
      errorCode: ErrorCode.NONE,
      producerId: BigInt(producerId),
      producerEpoch: 0,
    };
  },
};
