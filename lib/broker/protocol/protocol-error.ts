/**
 * Thrown for any malformed, truncated or out-of-range wire data, and for values that cannot be encoded
 * in the requested message version. Decoders throw nothing else, so a connection handler can catch
 * this one type, log it and close the offending connection.
 */
export class ProtocolError extends Error {
  /** Kafka error code that best describes the problem (CORRUPT_MESSAGE 2 by default, 35 for a bad version). */
  readonly errorCode: number;

  constructor(message: string, options: { errorCode?: number; cause?: unknown } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = "ProtocolError";
    this.errorCode = options.errorCode ?? 2;
  }
}
