import { ApiKey } from "../api-key";
import type { Decoded, Encodable, MessageSchema } from "../schema";
import { AlterClientQuotasRequestSchema } from "./alter-client-quotas-request";
import { AlterClientQuotasResponseSchema } from "./alter-client-quotas-response";
import { AlterConfigsRequestSchema } from "./alter-configs-request";
import { AlterConfigsResponseSchema } from "./alter-configs-response";
import { AlterReplicaLogDirsRequestSchema } from "./alter-replica-log-dirs-request";
import { AlterReplicaLogDirsResponseSchema } from "./alter-replica-log-dirs-response";
import { AlterUserScramCredentialsRequestSchema } from "./alter-user-scram-credentials-request";
import { AlterUserScramCredentialsResponseSchema } from "./alter-user-scram-credentials-response";
import { ApiVersionsRequestSchema } from "./api-versions-request";
import { ApiVersionsResponseSchema } from "./api-versions-response";
import { CreateAclsRequestSchema } from "./create-acls-request";
import { CreateAclsResponseSchema } from "./create-acls-response";
import { CreatePartitionsRequestSchema } from "./create-partitions-request";
import { CreatePartitionsResponseSchema } from "./create-partitions-response";
import { CreateTopicsRequestSchema } from "./create-topics-request";
import { CreateTopicsResponseSchema } from "./create-topics-response";
import { DeleteAclsRequestSchema } from "./delete-acls-request";
import { DeleteAclsResponseSchema } from "./delete-acls-response";
import { DeleteGroupsRequestSchema } from "./delete-groups-request";
import { DeleteGroupsResponseSchema } from "./delete-groups-response";
import { DeleteRecordsRequestSchema } from "./delete-records-request";
import { DeleteRecordsResponseSchema } from "./delete-records-response";
import { DeleteTopicsRequestSchema } from "./delete-topics-request";
import { DeleteTopicsResponseSchema } from "./delete-topics-response";
import { DescribeAclsRequestSchema } from "./describe-acls-request";
import { DescribeAclsResponseSchema } from "./describe-acls-response";
import { DescribeClientQuotasRequestSchema } from "./describe-client-quotas-request";
import { DescribeClientQuotasResponseSchema } from "./describe-client-quotas-response";
import { DescribeClusterRequestSchema } from "./describe-cluster-request";
import { DescribeClusterResponseSchema } from "./describe-cluster-response";
import { DescribeConfigsRequestSchema } from "./describe-configs-request";
import { DescribeConfigsResponseSchema } from "./describe-configs-response";
import { DescribeGroupsRequestSchema } from "./describe-groups-request";
import { DescribeGroupsResponseSchema } from "./describe-groups-response";
import { DescribeLogDirsRequestSchema } from "./describe-log-dirs-request";
import { DescribeLogDirsResponseSchema } from "./describe-log-dirs-response";
import { DescribeUserScramCredentialsRequestSchema } from "./describe-user-scram-credentials-request";
import { DescribeUserScramCredentialsResponseSchema } from "./describe-user-scram-credentials-response";
import { FetchRequestSchema } from "./fetch-request";
import { FetchResponseSchema } from "./fetch-response";
import { FindCoordinatorRequestSchema } from "./find-coordinator-request";
import { FindCoordinatorResponseSchema } from "./find-coordinator-response";
import { HeartbeatRequestSchema } from "./heartbeat-request";
import { HeartbeatResponseSchema } from "./heartbeat-response";
import { IncrementalAlterConfigsRequestSchema } from "./incremental-alter-configs-request";
import { IncrementalAlterConfigsResponseSchema } from "./incremental-alter-configs-response";
import { InitProducerIdRequestSchema } from "./init-producer-id-request";
import { InitProducerIdResponseSchema } from "./init-producer-id-response";
import { JoinGroupRequestSchema } from "./join-group-request";
import { JoinGroupResponseSchema } from "./join-group-response";
import { LeaveGroupRequestSchema } from "./leave-group-request";
import { LeaveGroupResponseSchema } from "./leave-group-response";
import { ListGroupsRequestSchema } from "./list-groups-request";
import { ListGroupsResponseSchema } from "./list-groups-response";
import { ListOffsetsRequestSchema } from "./list-offsets-request";
import { ListOffsetsResponseSchema } from "./list-offsets-response";
import { MetadataRequestSchema } from "./metadata-request";
import { MetadataResponseSchema } from "./metadata-response";
import { OffsetCommitRequestSchema } from "./offset-commit-request";
import { OffsetCommitResponseSchema } from "./offset-commit-response";
import { OffsetFetchRequestSchema } from "./offset-fetch-request";
import { OffsetFetchResponseSchema } from "./offset-fetch-response";
import { OffsetForLeaderEpochRequestSchema } from "./offset-for-leader-epoch-request";
import { OffsetForLeaderEpochResponseSchema } from "./offset-for-leader-epoch-response";
import { ProduceRequestSchema } from "./produce-request";
import { ProduceResponseSchema } from "./produce-response";
import { SaslAuthenticateRequestSchema } from "./sasl-authenticate-request";
import { SaslAuthenticateResponseSchema } from "./sasl-authenticate-response";
import { SaslHandshakeRequestSchema } from "./sasl-handshake-request";
import { SaslHandshakeResponseSchema } from "./sasl-handshake-response";
import { SyncGroupRequestSchema } from "./sync-group-request";
import { SyncGroupResponseSchema } from "./sync-group-response";

export * from "./alter-client-quotas-request";
export * from "./alter-client-quotas-response";
export * from "./alter-configs-request";
export * from "./alter-configs-response";
export * from "./alter-replica-log-dirs-request";
export * from "./alter-replica-log-dirs-response";
export * from "./alter-user-scram-credentials-request";
export * from "./alter-user-scram-credentials-response";
export * from "./api-versions-request";
export * from "./api-versions-response";
export * from "./create-acls-request";
export * from "./create-acls-response";
export * from "./create-partitions-request";
export * from "./create-partitions-response";
export * from "./create-topics-request";
export * from "./create-topics-response";
export * from "./delete-acls-request";
export * from "./delete-acls-response";
export * from "./delete-groups-request";
export * from "./delete-groups-response";
export * from "./delete-records-request";
export * from "./delete-records-response";
export * from "./delete-topics-request";
export * from "./delete-topics-response";
export * from "./describe-acls-request";
export * from "./describe-acls-response";
export * from "./describe-client-quotas-request";
export * from "./describe-client-quotas-response";
export * from "./describe-cluster-request";
export * from "./describe-cluster-response";
export * from "./describe-configs-request";
export * from "./describe-configs-response";
export * from "./describe-groups-request";
export * from "./describe-groups-response";
export * from "./describe-log-dirs-request";
export * from "./describe-log-dirs-response";
export * from "./describe-user-scram-credentials-request";
export * from "./describe-user-scram-credentials-response";
export * from "./fetch-request";
export * from "./fetch-response";
export * from "./find-coordinator-request";
export * from "./find-coordinator-response";
export * from "./heartbeat-request";
export * from "./heartbeat-response";
export * from "./incremental-alter-configs-request";
export * from "./incremental-alter-configs-response";
export * from "./init-producer-id-request";
export * from "./init-producer-id-response";
export * from "./join-group-request";
export * from "./join-group-response";
export * from "./leave-group-request";
export * from "./leave-group-response";
export * from "./list-groups-request";
export * from "./list-groups-response";
export * from "./list-offsets-request";
export * from "./list-offsets-response";
export * from "./metadata-request";
export * from "./metadata-response";
export * from "./offset-commit-request";
export * from "./offset-commit-response";
export * from "./offset-fetch-request";
export * from "./offset-fetch-response";
export * from "./offset-for-leader-epoch-request";
export * from "./offset-for-leader-epoch-response";
export * from "./produce-request";
export * from "./produce-response";
export * from "./sasl-authenticate-request";
export * from "./sasl-authenticate-response";
export * from "./sasl-handshake-request";
export * from "./sasl-handshake-response";
export * from "./sync-group-request";
export * from "./sync-group-response";

/** Request and response schema of every API, by key. */
export const MESSAGE_SCHEMAS = {
  [ApiKey.Produce]: { request: ProduceRequestSchema, response: ProduceResponseSchema },
  [ApiKey.Fetch]: { request: FetchRequestSchema, response: FetchResponseSchema },
  [ApiKey.ListOffsets]: { request: ListOffsetsRequestSchema, response: ListOffsetsResponseSchema },
  [ApiKey.Metadata]: { request: MetadataRequestSchema, response: MetadataResponseSchema },
  [ApiKey.OffsetCommit]: {
    request: OffsetCommitRequestSchema,
    response: OffsetCommitResponseSchema,
  },
  [ApiKey.OffsetFetch]: { request: OffsetFetchRequestSchema, response: OffsetFetchResponseSchema },
  [ApiKey.FindCoordinator]: {
    request: FindCoordinatorRequestSchema,
    response: FindCoordinatorResponseSchema,
  },
  [ApiKey.JoinGroup]: { request: JoinGroupRequestSchema, response: JoinGroupResponseSchema },
  [ApiKey.Heartbeat]: { request: HeartbeatRequestSchema, response: HeartbeatResponseSchema },
  [ApiKey.LeaveGroup]: { request: LeaveGroupRequestSchema, response: LeaveGroupResponseSchema },
  [ApiKey.SyncGroup]: { request: SyncGroupRequestSchema, response: SyncGroupResponseSchema },
  [ApiKey.DescribeGroups]: {
    request: DescribeGroupsRequestSchema,
    response: DescribeGroupsResponseSchema,
  },
  [ApiKey.ListGroups]: { request: ListGroupsRequestSchema, response: ListGroupsResponseSchema },
  [ApiKey.SaslHandshake]: {
    request: SaslHandshakeRequestSchema,
    response: SaslHandshakeResponseSchema,
  },
  [ApiKey.ApiVersions]: { request: ApiVersionsRequestSchema, response: ApiVersionsResponseSchema },
  [ApiKey.CreateTopics]: {
    request: CreateTopicsRequestSchema,
    response: CreateTopicsResponseSchema,
  },
  [ApiKey.DeleteTopics]: {
    request: DeleteTopicsRequestSchema,
    response: DeleteTopicsResponseSchema,
  },
  [ApiKey.DeleteRecords]: {
    request: DeleteRecordsRequestSchema,
    response: DeleteRecordsResponseSchema,
  },
  [ApiKey.InitProducerId]: {
    request: InitProducerIdRequestSchema,
    response: InitProducerIdResponseSchema,
  },
  [ApiKey.OffsetForLeaderEpoch]: {
    request: OffsetForLeaderEpochRequestSchema,
    response: OffsetForLeaderEpochResponseSchema,
  },
  [ApiKey.DescribeAcls]: {
    request: DescribeAclsRequestSchema,
    response: DescribeAclsResponseSchema,
  },
  [ApiKey.CreateAcls]: { request: CreateAclsRequestSchema, response: CreateAclsResponseSchema },
  [ApiKey.DeleteAcls]: { request: DeleteAclsRequestSchema, response: DeleteAclsResponseSchema },
  [ApiKey.DescribeConfigs]: {
    request: DescribeConfigsRequestSchema,
    response: DescribeConfigsResponseSchema,
  },
  [ApiKey.AlterConfigs]: {
    request: AlterConfigsRequestSchema,
    response: AlterConfigsResponseSchema,
  },
  [ApiKey.AlterReplicaLogDirs]: {
    request: AlterReplicaLogDirsRequestSchema,
    response: AlterReplicaLogDirsResponseSchema,
  },
  [ApiKey.DescribeLogDirs]: {
    request: DescribeLogDirsRequestSchema,
    response: DescribeLogDirsResponseSchema,
  },
  [ApiKey.SaslAuthenticate]: {
    request: SaslAuthenticateRequestSchema,
    response: SaslAuthenticateResponseSchema,
  },
  [ApiKey.CreatePartitions]: {
    request: CreatePartitionsRequestSchema,
    response: CreatePartitionsResponseSchema,
  },
  [ApiKey.DeleteGroups]: {
    request: DeleteGroupsRequestSchema,
    response: DeleteGroupsResponseSchema,
  },
  [ApiKey.IncrementalAlterConfigs]: {
    request: IncrementalAlterConfigsRequestSchema,
    response: IncrementalAlterConfigsResponseSchema,
  },
  [ApiKey.DescribeClientQuotas]: {
    request: DescribeClientQuotasRequestSchema,
    response: DescribeClientQuotasResponseSchema,
  },
  [ApiKey.AlterClientQuotas]: {
    request: AlterClientQuotasRequestSchema,
    response: AlterClientQuotasResponseSchema,
  },
  [ApiKey.DescribeUserScramCredentials]: {
    request: DescribeUserScramCredentialsRequestSchema,
    response: DescribeUserScramCredentialsResponseSchema,
  },
  [ApiKey.AlterUserScramCredentials]: {
    request: AlterUserScramCredentialsRequestSchema,
    response: AlterUserScramCredentialsResponseSchema,
  },
  [ApiKey.DescribeCluster]: {
    request: DescribeClusterRequestSchema,
    response: DescribeClusterResponseSchema,
  },
} as const satisfies Record<ApiKey, { request: MessageSchema; response: MessageSchema }>;

/** Decoded request body of API `K`. */
export type RequestOf<K extends ApiKey> = Decoded<(typeof MESSAGE_SCHEMAS)[K]["request"]>;
/** Encodable request body of API `K`. */
export type RequestInputOf<K extends ApiKey> = Encodable<(typeof MESSAGE_SCHEMAS)[K]["request"]>;
/** Decoded response body of API `K`. */
export type ResponseOf<K extends ApiKey> = Decoded<(typeof MESSAGE_SCHEMAS)[K]["response"]>;
/** Encodable response body of API `K`. */
export type ResponseInputOf<K extends ApiKey> = Encodable<(typeof MESSAGE_SCHEMAS)[K]["response"]>;
