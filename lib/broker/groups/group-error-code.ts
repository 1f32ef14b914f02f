/**
 * The Kafka error codes the group coordinator answers with. The numbers are Kafka's wire values;
 * they are repeated here so the coordinator stays pure logic with no protocol dependency.
 */
export const GroupErrorCode = {
  UNKNOWN_SERVER_ERROR: -1,
  NONE: 0,
  UNKNOWN_TOPIC_OR_PARTITION: 3,
  OFFSET_METADATA_TOO_LARGE: 12,
  COORDINATOR_LOAD_IN_PROGRESS: 14,
  COORDINATOR_NOT_AVAILABLE: 15,
  NOT_COORDINATOR: 16,
  ILLEGAL_GENERATION: 22,
  INCONSISTENT_GROUP_PROTOCOL: 23,
  INVALID_GROUP_ID: 24,
  UNKNOWN_MEMBER_ID: 25,
  INVALID_SESSION_TIMEOUT: 26,
  REBALANCE_IN_PROGRESS: 27,
  GROUP_AUTHORIZATION_FAILED: 30,
  INVALID_REQUEST: 42,
  NON_EMPTY_GROUP: 68,
  GROUP_ID_NOT_FOUND: 69,
  MEMBER_ID_REQUIRED: 79,
  GROUP_MAX_SIZE_REACHED: 81,
  FENCED_INSTANCE_ID: 82,
} as const;

/** One of the {@link GroupErrorCode} values. */
export type GroupErrorCodeValue = (typeof GroupErrorCode)[keyof typeof GroupErrorCode];

/** Thrown for coordinator failures that are not answered with a per-request error code. */
export class GroupCoordinatorError extends Error {
  /** The Kafka error code that best describes the failure. */
  readonly errorCode: number;

  constructor(message: string, errorCode: number) {
    super(message);
    this.name = "GroupCoordinatorError";
    this.errorCode = errorCode;
  }
}
