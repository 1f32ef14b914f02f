import { LogError } from "../log";
import { ErrorCode, ProtocolError } from "../protocol";
import { TopicError } from "./topic-error";

/** The Kafka error code for an error raised while serving one partition or resource. */
export function errorCodeOf(e: unknown): number {
  if (e instanceof LogError || e instanceof TopicError || e instanceof ProtocolError) {
    return e.errorCode;
  }
  return ErrorCode.UNKNOWN_SERVER_ERROR;
}

/** The message to put in a response's error message field. */
export function errorMessageOf(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

/** True for errors that are part of normal operation (client mistakes), false for broker bugs. */
export function isExpectedError(e: unknown): boolean {
  return e instanceof LogError || e instanceof TopicError || e instanceof ProtocolError;
}
