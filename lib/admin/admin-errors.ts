import { errorName } from "../broker/protocol";

/** A Kafka error code returned by the cluster for one request or resource. */
export class KafkaResponseError extends Error {
  /** Kafka error code (e.g. 36 TOPIC_ALREADY_EXISTS). */
  readonly errorCode: number;
  /** Kafka's name of the code (e.g. `TOPIC_ALREADY_EXISTS`). */
  readonly errorName: string;

  constructor(operation: string, errorCode: number, detail?: string | null) {
    const name = errorName(errorCode);
    super(`${operation}: ${name} (${errorCode})${detail ? `: ${detail}` : ""}`);
    this.name = "KafkaResponseError";
    this.errorCode = errorCode;
    this.errorName = name;
  }
}

/** The connection failed, closed, or a response could not be read. */
export class KafkaConnectionError extends Error {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = "KafkaConnectionError";
  }
}

/** No response within the request timeout. */
export class KafkaTimeoutError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "KafkaTimeoutError";
  }
}

/** The broker does not support any version of an API that this client implements. */
export class UnsupportedApiError extends Error {
  readonly apiKey: number;

  constructor(apiKey: number, apiName: string) {
    super(
      `the broker does not support ${apiName} (API key ${apiKey}) in any version this client speaks`,
    );
    this.name = "UnsupportedApiError";
    this.apiKey = apiKey;
  }
}

/** SASL authentication failed (wrong credentials, mechanism not enabled, bad server proof). */
export class SaslAuthenticationError extends Error {
  /** Kafka error code when the broker gave one. */
  readonly errorCode: number | undefined;

  constructor(message: string, errorCode?: number) {
    super(message);
    this.name = "SaslAuthenticationError";
    this.errorCode = errorCode;
  }
}

/** Throws a {@link KafkaResponseError} when `errorCode` is not 0. */
export function checkError(operation: string, errorCode: number, detail?: string | null): void {
  if (errorCode !== 0) throw new KafkaResponseError(operation, errorCode, detail);
}
