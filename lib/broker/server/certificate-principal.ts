import type * as tls from "node:tls";

/**
 * The principal of a TLS client from its certificate, as Kafka's default principal builder names it:
 * `User:` followed by the subject's full distinguished name in RFC 2253 form (`User:CN=x,OU=y,O=z`).
 * Returns null when the client sent no certificate or it failed verification.
 */
export function certificatePrincipal(socket: tls.TLSSocket): string | null {
  if (!socket.authorized) return null;
  const cert = socket.getPeerX509Certificate();
  if (cert === undefined) return null;
  // Node prints the subject one attribute per line, most significant first, values already escaped per
  // RFC 2253; RFC 2253 lists the least significant (CN) first, comma-separated.
  const parts = cert.subject.split("\n").filter((line) => line !== "");
  return parts.length === 0 ? null : `User:${parts.reverse().join(",")}`;
}
