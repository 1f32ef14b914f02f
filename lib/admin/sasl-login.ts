import { ApiKey, ErrorCode } from "../broker/protocol";
import type { SaslMechanism } from "../manifest/schema";
import { checkError, SaslAuthenticationError } from "./admin-errors";
import type { KafkaConnection } from "./kafka-connection";
import { ScramClient } from "./scram";

/** SASL client credentials. */
export interface SaslOptions {
  readonly mechanism: SaslMechanism;
  readonly username: string;
  readonly password: string;
}

/** The SaslHandshake and SaslAuthenticate versions to speak (negotiated, or known to the caller). */
export interface SaslVersions {
  readonly handshake: number;
  /** Undefined: the broker lacks SaslAuthenticate (pre-KIP-152), which this client does not speak. */
  readonly authenticate: number | undefined;
}

/**
 * Authenticates a fresh connection: SaslHandshake, then PLAIN in one SaslAuthenticate round or
 * SCRAM in two (the server's final message is verified). Throws {@link SaslAuthenticationError}.
 */
export async function saslLogin(
  conn: KafkaConnection,
  sasl: SaslOptions,
  versions: SaslVersions,
): Promise<void> {
  const hs = await conn.send(ApiKey.SaslHandshake, versions.handshake, {
    mechanism: sasl.mechanism,
  });
  if (hs.errorCode === ErrorCode.UNSUPPORTED_SASL_MECHANISM) {
    throw new SaslAuthenticationError(
      `the broker does not enable SASL ${sasl.mechanism}; it offers: ${hs.mechanisms.join(", ") || "(none)"}`,
      hs.errorCode,
    );
  }
  checkError("SaslHandshake", hs.errorCode);
  const authenticateVersion = versions.authenticate;
  if (authenticateVersion === undefined) {
    throw new SaslAuthenticationError("the broker does not support SaslAuthenticate (KIP-152)");
  }
  const round = async (authBytes: Buffer): Promise<Buffer> => {
    const r = await conn.send(ApiKey.SaslAuthenticate, authenticateVersion, { authBytes });
    if (r.errorCode !== 0) {
      throw new SaslAuthenticationError(
        `SASL authentication failed: ${r.errorMessage ?? ErrorCode[r.errorCode] ?? r.errorCode}`,
        r.errorCode,
      );
    }
    return r.authBytes;
  };
  if (sasl.mechanism === "PLAIN") {
    await round(Buffer.from(`\u0000${sasl.username}\u0000${sasl.password}`, "utf8"));
    return;
  }
  const scram = new ScramClient(sasl.mechanism, sasl.username, sasl.password);
  const serverFirst = await round(scram.first());
  scram.verify(await round(scram.final(serverFirst)));
}
