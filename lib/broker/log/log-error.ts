/** Kafka error codes that the log engine can raise (subset of Kafka's `Errors`). */
export const LogErrorCode = {
  UNKNOWN_SERVER_ERROR: -1,
  OFFSET_OUT_OF_RANGE: 1,
  CORRUPT_MESSAGE: 2,
  UNKNOWN_TOPIC_OR_PARTITION: 3,
  MESSAGE_TOO_LARGE: 10,
  INVALID_TIMESTAMP: 32,
  POLICY_VIOLATION: 44,
  OUT_OF_ORDER_SEQUENCE_NUMBER: 45,
  DUPLICATE_SEQUENCE_NUMBER: 46,
  INVALID_PRODUCER_EPOCH: 47,
  KAFKA_STORAGE_ERROR: 56,
  UNSUPPORTED_COMPRESSION_TYPE: 76,
  INVALID_RECORD: 87,
} as const;

/** Name of a {@link LogErrorCode}. */
export type LogErrorName = keyof typeof LogErrorCode;

/** An error of the log engine carrying the Kafka error code a handler should answer with. */
export class LogError extends Error {
  /** Kafka error code, e.g. 2 CORRUPT_MESSAGE. */
  readonly errorCode: number;
  /** Symbolic name of {@link errorCode}. */
  readonly errorName: LogErrorName;

  constructor(name: LogErrorName, message: string, options?: { cause?: unknown }) {
    super(`${name}: ${message}`, options);
    this.name = "LogError";
    this.errorName = name;
    this.errorCode = LogErrorCode[name];
  }
}
