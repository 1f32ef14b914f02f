/**
 * A failed or malformed SASL exchange. `errorCode` is Kafka's: 58 SASL_AUTHENTICATION_FAILED for
 * wrong credentials, 34 ILLEGAL_SASL_STATE for a message out of order, 33 UNSUPPORTED_SASL_MECHANISM.
 * The message is safe to send to the client: it never contains a password or a key.
 */
export class SaslError extends Error {
  readonly errorCode: number;
  constructor(errorCode: number, message: string) {
    super(message);
    this.name = "SaslError";
    this.errorCode = errorCode;
  }
}
