import { expect } from "vitest";
import { runJava } from "../../integration/support/clients";
import { type KcatSettings, kcatConsume, kcatConsumeGroup, kcatProduce } from "./kcat";

/** A SASL login of a principal, for kcat and the Java client. */
export interface SaslLogin {
  readonly mechanism: "SCRAM-SHA-512" | "PLAIN";
  readonly username: string;
  readonly password: string;
}

/** The logins the grants of the default apps are checked with. */
export interface GrantLogins {
  /** The cluster administrator (counts what `orders` holds). */
  readonly admin: SaslLogin;
  readonly billing: SaslLogin;
  readonly analytics: SaslLogin;
}

/** librdkafka settings of a login on a SASL_PLAINTEXT listener. */
export function kcatSasl(login: SaslLogin): KcatSettings {
  return {
    "security.protocol": "SASL_PLAINTEXT",
    "sasl.mechanisms": login.mechanism,
    "sasl.username": login.username,
    "sasl.password": login.password,
  };
}

/** The Java test clients' flags for a login (see test/integration/java/ClientSecurity.java). */
export function javaSasl(login: SaslLogin): Record<string, string> {
  return {
    "security-protocol": "SASL_PLAINTEXT",
    "sasl-mechanism": login.mechanism,
    username: login.username,
    password: login.password,
  };
}

/**
 * The grants both default apps declare (apps/local on the bundled broker, apps/kafka-cluster on
 * Apache Kafka): billing produces to `orders`, which no tenant owns; analytics consumes it in a group
 * of its own; analytics may not read billing's topic nor write `orders`. Each is exercised with kcat
 * (librdkafka) and the Java client, allowed and refused.
 */
export async function checkDefaultGrants(
  bootstrap: string,
  logins: GrantLogins,
  runId: string,
): Promise<void> {
  const { admin, billing, analytics } = logins;
  const kcatValues = [1, 2, 3].map((i) => `grant-kcat-${runId}-${i}`);
  await kcatProduce(bootstrap, "orders", kcatValues, kcatSasl(billing));
  const produced = (await runJava(
    "ProduceDefaults",
    { bootstrap, topic: "orders", count: 20, prefix: `grant-java-${runId}`, ...javaSasl(billing) },
    120_000,
  )) as { failed: string[]; acked: string[] };
  expect(produced.failed).toEqual([]);
  expect(produced.acked).toHaveLength(20);
  const ours = [...kcatValues, ...produced.acked];

  // Everything orders holds (earlier tests wrote to it too), read as the administrator.
  const held = (await kcatConsume(bootstrap, "orders", 1_000_000, kcatSasl(admin))).length;
  const viaKcat = await kcatConsumeGroup(
    bootstrap,
    `analytics.grants-kcat-${runId}`,
    "orders",
    held,
    kcatSasl(analytics),
  );
  expect(viaKcat).toEqual(expect.arrayContaining(ours));
  const viaJava = (await runJava(
    "ConsumeGroup",
    {
      bootstrap,
      topic: "orders",
      group: `analytics.grants-java-${runId}`,
      max: held,
      "timeout-ms": 60_000,
      ...javaSasl(analytics),
    },
    120_000,
  )) as { records: { v: string }[]; timedOut: boolean };
  expect(viaJava.timedOut).toBe(false);
  expect(viaJava.records.map((r) => r.v)).toEqual(expect.arrayContaining(ours));

  // Refused: analytics reads billing's topic (kcat and Java), writes orders; billing reads orders.
  await expect(kcatConsume(bootstrap, "billing.payments", 1, kcatSasl(analytics))).rejects.toThrow(
    /[Aa]uthoriz/,
  );
  await expect(
    runJava(
      "ConsumeGroup",
      {
        bootstrap,
        topic: "billing.payments",
        group: `analytics.snoop-${runId}`,
        max: 1,
        "timeout-ms": 20_000,
        ...javaSasl(analytics),
      },
      60_000,
    ),
  ).rejects.toThrow(/TopicAuthorizationException/);
  await expect(
    kcatProduce(bootstrap, "orders", [`analytics-${runId}`], kcatSasl(analytics)),
  ).rejects.toThrow(/[Aa]uthoriz/);
  await expect(kcatConsume(bootstrap, "orders", 1, kcatSasl(billing))).rejects.toThrow(
    /[Aa]uthoriz/,
  );
}
