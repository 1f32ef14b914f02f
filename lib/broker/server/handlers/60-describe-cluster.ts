import { ApiKey, ErrorCode } from "../../protocol";
import type { HandlerFor } from "../handler";
import { brokerEndpoint } from "./03-metadata";

/** DescribeCluster (60), v0-1: this node is the whole cluster and its controller. */
export const describeClusterHandler: HandlerFor<ApiKey.DescribeCluster> = {
  apiKey: ApiKey.DescribeCluster,
  handle(req, ctx, broker) {
    const e = brokerEndpoint(broker, ctx);
    return {
      throttleTimeMs: 0,
      errorCode: ErrorCode.NONE,
      errorMessage: null,
      endpointType: req.endpointType,
      clusterId: broker.clusterId,
      controllerId: broker.config.nodeId,
      brokers: [{ brokerId: e.nodeId, host: e.host, port: e.port, rack: e.rack }],
    };
  },
};
