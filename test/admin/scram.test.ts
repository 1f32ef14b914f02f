import { describe, expect, it } from "vitest";
import { escapeSaslName, SaslAuthenticationError, ScramClient } from "../../lib/admin";

// RFC 7677 §3 example exchange (SCRAM-SHA-256, user "user", password "pencil").
const CLIENT_NONCE = "rOprNGfwEbeRWgbNEkqO";
const SERVER_FIRST =
  "r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0,s=W22ZaJ0SNY7soEsUEjb6gQ==,i=4096";
const CLIENT_FINAL =
  "c=biws,r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0,p=dHzbZapWIk4jUhN+Ute9ytag9zjfMHgsqmmiz7AndVQ=";
const SERVER_FINAL = "v=6rriTRBi23WpRR/wtup+mMhUZUn/dB5nLTJRsjl95G4=";

describe("ScramClient", () => {
  it("reproduces the RFC 7677 SCRAM-SHA-256 exchange", () => {
    const c = new ScramClient("SCRAM-SHA-256", "user", "pencil", { nonce: CLIENT_NONCE });
    expect(c.first().toString()).toBe(`n,,n=user,r=${CLIENT_NONCE}`);
    expect(c.final(Buffer.from(SERVER_FIRST)).toString()).toBe(CLIENT_FINAL);
    expect(() => c.verify(Buffer.from(SERVER_FINAL))).not.toThrow();
  });

  it("rejects a wrong server signature", () => {
    const c = new ScramClient("SCRAM-SHA-256", "user", "pencil", { nonce: CLIENT_NONCE });
    c.first();
    c.final(Buffer.from(SERVER_FIRST));
    expect(() => c.verify(Buffer.from("v=AAAA"))).toThrow(SaslAuthenticationError);
  });

  it("rejects a server nonce that does not extend the client's", () => {
    const c = new ScramClient("SCRAM-SHA-256", "user", "pencil", { nonce: "abc" });
    c.first();
    expect(() => c.final(Buffer.from("r=xyz123,s=AAAA,i=4096"))).toThrow(/nonce/);
  });

  it("rejects too few iterations", () => {
    const c = new ScramClient("SCRAM-SHA-512", "user", "pencil", { nonce: "abc" });
    c.first();
    expect(() => c.final(Buffer.from("r=abcdef,s=AAAA,i=10"))).toThrow(/iteration count 10/);
  });

  it("surfaces a server error attribute", () => {
    const c = new ScramClient("SCRAM-SHA-512", "user", "pencil", { nonce: "abc" });
    c.first();
    expect(() => c.final(Buffer.from("e=unknown-user"))).toThrow(
      "SCRAM server error: unknown-user",
    );
  });

  it("escapes = and , in user names", () => {
    expect(escapeSaslName("a=b,c")).toBe("a=3Db=2Cc");
  });
});
