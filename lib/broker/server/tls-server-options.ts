import * as fs from "node:fs";
import type * as tls from "node:tls";
import { ConfigError, type TlsSettings } from "./config";

/**
 * Builds the `node:tls` server options of an SSL / SASL_SSL listener from the broker's TLS settings.
 * Files are read once at start so a bad path fails the start, not the first handshake.
 */
export function tlsServerOptions(settings: TlsSettings | null): tls.TlsOptions {
  if (settings === null) {
    throw new ConfigError("SSL / SASL_SSL listeners need tls.certFile and tls.keyFile");
  }
  const read = (file: string, what: string): Buffer => {
    try {
      return fs.readFileSync(file);
    } catch (e) {
      throw new ConfigError(`tls.${what}: cannot read ${file}: ${(e as Error).message}`);
    }
  };
  const clientAuth = settings.clientAuth ?? "none";
  return {
    noDelay: true,
    cert: read(settings.certFile, "certFile"),
    key: read(settings.keyFile, "keyFile"),
    ca: settings.caFile === undefined ? undefined : read(settings.caFile, "caFile"),
    // "requested" asks for a certificate but lets clients without one in (Kafka's ssl.client.auth=requested).
    requestCert: clientAuth !== "none",
    rejectUnauthorized: clientAuth === "required",
  };
}
