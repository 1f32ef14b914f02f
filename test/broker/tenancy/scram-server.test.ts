import { describe, expect, it } from "vitest";
import { ScramClient } from "../../../lib/admin/scram";
import { ErrorCode } from "../../../lib/broker/protocol";
import { SaslError } from "../../../lib/broker/tenancy/sasl-error";
import {
  hash,
  hmac,
  keysFromPassword,
  keysFromSaltedPassword,
  saltPassword,
} from "../../../lib/broker/tenancy/scram-algorithm";
import { ScramServer, unescapeSaslName } from "../../../lib/broker/tenancy/scram-server";

const b = (s: string) => Buffer.from(s, "utf8");

describe("ScramServer", () => {
  it("reproduces the RFC 5802 §5 SCRAM-SHA-1 example exchange", async () => {
    const keys = await keysFromPassword(
      "sha1",
      "pencil",
      Buffer.from("QSXCR+Q6sek8bf92", "base64"),
      4096,
    );
    const server = new ScramServer({
      mechanism: "SCRAM-SHA-1",
      digest: "sha1",
      lookup: (u) => (u === "user" ? keys : undefined),
      serverNonce: "3rfcNHYJY1ZVvWVs7j",
    });
    const first = server.step(b("n,,n=user,r=fyko+d2lbbFgONRv9qkxdawL"));
    expect(first.response.toString()).toBe(
      "r=fyko+d2lbbFgONRv9qkxdawL3rfcNHYJY1ZVvWVs7j,s=QSXCR+Q6sek8bf92,i=4096",
    );
    const final = server.step(
      b("c=biws,r=fyko+d2lbbFgONRv9qkxdawL3rfcNHYJY1ZVvWVs7j,p=v0X8v3Bz2T0CJGbJQyF0X+HI4Ts="),
    );
    expect(final.response.toString()).toBe("v=rmF9pqV8S7suAoZWja4dJRkFsKQ=");
    expect(final.authenticatedUser).toBe("user");
    expect(server.complete).toBe(true);
  });

  it("reproduces the RFC 7677 §3 SCRAM-SHA-256 example exchange", async () => {
    const keys = await keysFromPassword(
      "sha256",
      "pencil",
      Buffer.from("W22ZaJ0SNY7soEsUEjb6gQ==", "base64"),
      4096,
    );
    const server = new ScramServer({
      mechanism: "SCRAM-SHA-256",
      digest: "sha256",
      lookup: () => keys,
      serverNonce: "%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0",
    });
    const first = server.step(b("n,,n=user,r=rOprNGfwEbeRWgbNEkqO"));
    expect(first.response.toString()).toBe(
      "r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0,s=W22ZaJ0SNY7soEsUEjb6gQ==,i=4096",
    );
    const final = server.step(
      b(
        "c=biws,r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0,p=dHzbZapWIk4jUhN+Ute9ytag9zjfMHgsqmmiz7AndVQ=",
      ),
    );
    expect(final.response.toString()).toBe("v=6rriTRBi23WpRR/wtup+mMhUZUn/dB5nLTJRsjl95G4=");
  });

  it("authenticates the admin client's SCRAM-SHA-512 implementation and lets it verify the server", async () => {
    const keys = await keysFromPassword("sha512", "s3cret", Buffer.from("salt-of-alice"), 4096);
    const server = new ScramServer({
      mechanism: "SCRAM-SHA-512",
      digest: "sha512",
      lookup: () => keys,
    });
    const client = new ScramClient("SCRAM-SHA-512", "alice", "s3cret");
    const serverFirst = server.step(client.first());
    const serverFinal = server.step(client.final(serverFirst.response));
    expect(serverFinal.authenticatedUser).toBe("alice");
    expect(() => client.verify(serverFinal.response)).not.toThrow();
  });

  it("rejects a wrong password with SASL_AUTHENTICATION_FAILED and Kafka's message", async () => {
    const keys = await keysFromPassword("sha512", "right", Buffer.from("s"), 4096);
    const server = new ScramServer({
      mechanism: "SCRAM-SHA-512",
      digest: "sha512",
      lookup: () => keys,
    });
    const client = new ScramClient("SCRAM-SHA-512", "alice", "wrong");
    const serverFirst = server.step(client.first());
    const err = (() => {
      try {
        server.step(client.final(serverFirst.response));
      } catch (e) {
        return e;
      }
      return undefined;
    })();
    expect(err).toBeInstanceOf(SaslError);
    expect((err as SaslError).errorCode).toBe(ErrorCode.SASL_AUTHENTICATION_FAILED);
    expect((err as SaslError).message).toContain("invalid credentials");
    expect((err as SaslError).message).not.toContain("right");
  });

  it("answers an unknown user with a plausible challenge and fails only at the proof", () => {
    const server = new ScramServer({
      mechanism: "SCRAM-SHA-256",
      digest: "sha256",
      lookup: () => undefined,
    });
    const client = new ScramClient("SCRAM-SHA-256", "nobody", "x");
    const serverFirst = server.step(client.first());
    expect(serverFirst.response.toString()).toMatch(/^r=.+,s=.+,i=4096$/);
    expect(() => server.step(client.final(serverFirst.response))).toThrow(/invalid credentials/);
  });

  it("rejects a changed nonce, channel binding, a foreign authzid and messages after failure", async () => {
    const keys = await keysFromPassword("sha256", "p", Buffer.from("s"), 4096);
    const mk = () =>
      new ScramServer({ mechanism: "SCRAM-SHA-256", digest: "sha256", lookup: () => keys });
    const s1 = mk();
    s1.step(b("n,,n=u,r=abc"));
    expect(() => s1.step(b("c=biws,r=abcXYZ,p=AAAA"))).toThrow(/nonce mismatch/);
    expect(() => s1.step(b("anything"))).toThrow(SaslError);
    expect(() => mk().step(b("p=tls-unique,,n=u,r=abc"))).toThrow(/channel binding/);
    expect(() => mk().step(b("n,a=admin,n=u,r=abc"))).toThrow(/authorization id/);
    expect(() => mk().step(b("n,a=u,n=u,r=abc"))).not.toThrow();
    expect(() => mk().step(b("n,,n=u,r=abc,tokenauth=true"))).toThrow(/delegation tokens/);
    expect(() => mk().step(b("garbage"))).toThrow(/malformed/);
    const s2 = mk();
    const first = s2.step(b("y,,n=u,r=abc")).response.toString();
    const nonce = first.split(",")[0]?.slice(2);
    expect(() => s2.step(b(`c=biws,r=${nonce},p=AAAA`))).toThrow(/channel binding mismatch/);
  });

  // librdkafka < 2.6.1 (librdkafka#4895, e.g. Debian's 2.0.2) builds its client-final nonce as
  // client nonce + the server's combined nonce, and computes its proof over exactly that message.
  async function librdkafkaStyleFinal(nonceInFinal: (client: string, combined: string) => string) {
    const salt = Buffer.from("librdkafka-salt");
    const salted = await saltPassword("sha512", "secret", salt, 4096);
    const keys = keysFromSaltedPassword("sha512", salted, salt, 4096);
    const server = new ScramServer({
      mechanism: "SCRAM-SHA-512",
      digest: "sha512",
      lookup: () => keys,
    });
    const clientNonce = "Qx-=~rdk0123456789abcdefghijklmn";
    const clientFirstBare = `n=alice,r=${clientNonce}`;
    const serverFirst = server.step(b(`n,,${clientFirstBare}`)).response.toString();
    const combined = serverFirst.split(",")[0]?.slice(2) ?? "";
    const withoutProof = `c=biws,r=${nonceInFinal(clientNonce, combined)}`;
    const authMessage = `${clientFirstBare},${serverFirst},${withoutProof}`;
    const clientKey = hmac("sha512", salted, "Client Key");
    const signature = hmac("sha512", hash("sha512", clientKey), authMessage);
    const proof = Buffer.from(clientKey.map((byte, i) => byte ^ (signature[i] ?? 0)));
    return {
      step: () => server.step(b(`${withoutProof},p=${proof.toString("base64")}`)),
      expectedSignature: hmac("sha512", keys.serverKey, authMessage).toString("base64"),
    };
  }

  it("accepts librdkafka's client-final nonce (client nonce repeated in front, librdkafka < 2.6.1)", async () => {
    const exchange = await librdkafkaStyleFinal((client, combined) => client + combined);
    const final = exchange.step();
    expect(final.authenticatedUser).toBe("alice");
    expect(final.response.toString()).toBe(`v=${exchange.expectedSignature}`);
  });

  it("rejects any other prefix or a missing server nonce in the client-final nonce", async () => {
    for (const nonceInFinal of [
      (_: string, combined: string) => `x${combined}`,
      (client: string, combined: string) => client + client + combined,
      (client: string) => client + client,
    ]) {
      const exchange = await librdkafkaStyleFinal(nonceInFinal);
      expect(() => exchange.step()).toThrow(/nonce mismatch/);
    }
  });

  it("decodes escaped user names and refuses invalid escapes", () => {
    expect(unescapeSaslName("a=2Cb=3Dc")).toBe("a,b=c");
    expect(() => unescapeSaslName("a=2")).toThrow(SaslError);
  });
});
