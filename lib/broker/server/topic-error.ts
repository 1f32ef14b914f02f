/** Kafka error codes the topic registry answers with. */
export const TopicErrorCode = {
  UNKNOWN_TOPIC_OR_PARTITION: 3,
  INVALID_TOPIC_EXCEPTION: 17,
  TOPIC_ALREADY_EXISTS: 36,
  INVALID_PARTITIONS: 37,
  INVALID_REPLICATION_FACTOR: 38,
  INVALID_REPLICA_ASSIGNMENT: 39,
  INVALID_CONFIG: 40,
  INVALID_REQUEST: 42,
} as const;

/** Name of a {@link TopicErrorCode}. */
export type TopicErrorName = keyof typeof TopicErrorCode;

/** A refused topic operation, carrying the Kafka error code and message for the response. */
export class TopicError extends Error {
  readonly errorCode: number;
  readonly errorName: TopicErrorName;

  constructor(name: TopicErrorName, message: string) {
    super(message);
    this.name = "TopicError";
    this.errorName = name;
    this.errorCode = TopicErrorCode[name];
  }
}
