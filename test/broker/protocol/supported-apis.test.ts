import { describe, expect, it } from "vitest";
import {
  ApiKey,
  apiVersionsList,
  ErrorCode,
  errorName,
  isRetriable,
  isSupportedVersion,
  requestHeaderVersion,
  responseHeaderVersion,
  SUPPORTED_APIS,
} from "../../../lib/broker/protocol";

/** The advertised ranges of shared/docs/kafka-compat.md: [key, min, max, flexibleFrom]. */
const COMPAT_TABLE: [ApiKey, number, number, number | null][] = [
  [ApiKey.Produce, 0, 11, 9],
  [ApiKey.Fetch, 4, 12, 12],
  [ApiKey.ListOffsets, 1, 9, 6],
  [ApiKey.Metadata, 0, 12, 9],
  [ApiKey.OffsetCommit, 2, 9, 8],
  [ApiKey.OffsetFetch, 1, 9, 6],
  [ApiKey.FindCoordinator, 0, 6, 3],
  [ApiKey.JoinGroup, 0, 9, 6],
  [ApiKey.Heartbeat, 0, 4, 4],
  [ApiKey.LeaveGroup, 0, 5, 4],
  [ApiKey.SyncGroup, 0, 5, 4],
  [ApiKey.DescribeGroups, 0, 5, 5],
  [ApiKey.ListGroups, 0, 5, 3],
  [ApiKey.SaslHandshake, 0, 1, null],
  [ApiKey.ApiVersions, 0, 4, 3],
  [ApiKey.CreateTopics, 2, 7, 5],
  [ApiKey.DeleteTopics, 1, 6, 4],
  [ApiKey.DeleteRecords, 0, 2, 2],
  [ApiKey.InitProducerId, 0, 5, 2],
  [ApiKey.OffsetForLeaderEpoch, 2, 4, 4],
  [ApiKey.DescribeAcls, 1, 3, 2],
  [ApiKey.CreateAcls, 1, 3, 2],
  [ApiKey.DeleteAcls, 1, 3, 2],
  [ApiKey.DescribeConfigs, 1, 4, 4],
  [ApiKey.AlterConfigs, 0, 2, 2],
  [ApiKey.AlterReplicaLogDirs, 1, 2, 2],
  [ApiKey.DescribeLogDirs, 1, 5, 2],
  [ApiKey.SaslAuthenticate, 0, 2, 2],
  [ApiKey.CreatePartitions, 0, 3, 2],
  [ApiKey.DeleteGroups, 0, 2, 2],
  [ApiKey.IncrementalAlterConfigs, 0, 1, 1],
  [ApiKey.DescribeClientQuotas, 0, 1, 1],
  [ApiKey.AlterClientQuotas, 0, 1, 1],
  [ApiKey.DescribeUserScramCredentials, 0, 0, 0],
  [ApiKey.AlterUserScramCredentials, 0, 0, 0],
  [ApiKey.DescribeCluster, 0, 1, 0],
];

describe("SUPPORTED_APIS", () => {
  it("advertises exactly the ranges of the compatibility table", () => {
    expect(
      Object.keys(SUPPORTED_APIS)
        .map(Number)
        .sort((a, b) => a - b),
    ).toEqual(COMPAT_TABLE.map(([k]) => k).sort((a, b) => a - b));
    for (const [key, min, max, flexibleFrom] of COMPAT_TABLE) {
      expect(SUPPORTED_APIS[key], ApiKey[key]).toEqual({ min, max, flexibleFrom });
    }
  });

  it("answers version support per API", () => {
    expect(isSupportedVersion(ApiKey.Fetch, 12)).toBe(true);
    expect(isSupportedVersion(ApiKey.Fetch, 13)).toBe(false);
    expect(isSupportedVersion(ApiKey.Fetch, 3)).toBe(false);
    expect(isSupportedVersion(9999, 0)).toBe(false);
  });

  it("lists only the requested keys, in key order", () => {
    expect(apiVersionsList([ApiKey.Metadata, ApiKey.Produce, 9999])).toEqual([
      { apiKey: 0, minVersion: 0, maxVersion: 11 },
      { apiKey: 3, minVersion: 0, maxVersion: 12 },
    ]);
  });
});

describe("header versions", () => {
  it("uses request header v2 from the first flexible version, also beyond our maximum", () => {
    expect(requestHeaderVersion(ApiKey.Produce, 8)).toBe(1);
    expect(requestHeaderVersion(ApiKey.Produce, 9)).toBe(2);
    expect(requestHeaderVersion(ApiKey.ApiVersions, 7)).toBe(2);
    expect(requestHeaderVersion(ApiKey.SaslHandshake, 1)).toBe(1);
    expect(requestHeaderVersion(9999, 5)).toBe(1);
  });

  it("uses response header v1 for flexible versions except ApiVersions", () => {
    expect(responseHeaderVersion(ApiKey.Metadata, 9)).toBe(1);
    expect(responseHeaderVersion(ApiKey.Metadata, 8)).toBe(0);
    expect(responseHeaderVersion(ApiKey.ApiVersions, 4)).toBe(0);
  });
});

describe("ErrorCode", () => {
  it("has Kafka's numbers", () => {
    expect(ErrorCode.UNKNOWN_SERVER_ERROR).toBe(-1);
    expect(ErrorCode.OFFSET_OUT_OF_RANGE).toBe(1);
    expect(ErrorCode.CORRUPT_MESSAGE).toBe(2);
    expect(ErrorCode.UNKNOWN_TOPIC_OR_PARTITION).toBe(3);
    expect(ErrorCode.MESSAGE_TOO_LARGE).toBe(10);
    expect(ErrorCode.NOT_COORDINATOR).toBe(16);
    expect(ErrorCode.INVALID_TOPIC_EXCEPTION).toBe(17);
    expect(ErrorCode.REBALANCE_IN_PROGRESS).toBe(27);
    expect(ErrorCode.UNSUPPORTED_VERSION).toBe(35);
    expect(ErrorCode.TOPIC_ALREADY_EXISTS).toBe(36);
    expect(ErrorCode.INVALID_REQUEST).toBe(42);
    expect(ErrorCode.OUT_OF_ORDER_SEQUENCE_NUMBER).toBe(45);
    expect(ErrorCode.MEMBER_ID_REQUIRED).toBe(79);
    expect(ErrorCode.FENCED_INSTANCE_ID).toBe(82);
  });

  it("flags retriable codes as Kafka clients do", () => {
    expect(isRetriable(ErrorCode.UNKNOWN_TOPIC_OR_PARTITION)).toBe(true);
    expect(isRetriable(ErrorCode.NOT_COORDINATOR)).toBe(true);
    expect(isRetriable(ErrorCode.COORDINATOR_LOAD_IN_PROGRESS)).toBe(true);
    expect(isRetriable(ErrorCode.MESSAGE_TOO_LARGE)).toBe(false);
    expect(isRetriable(ErrorCode.UNSUPPORTED_VERSION)).toBe(false);
  });

  it("names codes", () => {
    expect(errorName(3)).toBe("UNKNOWN_TOPIC_OR_PARTITION");
    expect(errorName(30000)).toBe("UNKNOWN_30000");
  });
});
