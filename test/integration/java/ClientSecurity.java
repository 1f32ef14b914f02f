import java.util.Properties;

/**
 * Optional connection security shared by the test programs. Without --security-protocol nothing
 * is set (PLAINTEXT, as before). Otherwise:
 *   --security-protocol SSL|SASL_PLAINTEXT|SASL_SSL
 *   --sasl-mechanism PLAIN|SCRAM-SHA-256|SCRAM-SHA-512 --username U --password P   (SASL_*)
 *   --ca-file PEM   (SSL, SASL_SSL: the only trusted certificate; the host name is verified)
 */
final class ClientSecurity {
  private ClientSecurity() {}

  static void apply(Args a, Properties p) {
    String protocol = a.get("security-protocol", null);
    if (protocol == null) return;
    p.put("security.protocol", protocol);
    if (protocol.startsWith("SASL_")) {
      String mechanism = a.get("sasl-mechanism");
      String module =
          mechanism.equals("PLAIN")
              ? "org.apache.kafka.common.security.plain.PlainLoginModule"
              : "org.apache.kafka.common.security.scram.ScramLoginModule";
      p.put("sasl.mechanism", mechanism);
      p.put(
          "sasl.jaas.config",
          module
              + " required username="
              + quoted(a.get("username"))
              + " password="
              + quoted(a.get("password"))
              + ";");
    }
    if (protocol.endsWith("SSL")) {
      p.put("ssl.truststore.type", "PEM");
      p.put("ssl.truststore.location", a.get("ca-file"));
    }
  }

  // JAAS values are double-quoted; test credentials never need escaping, so refuse what would.
  private static String quoted(String v) {
    if (v.contains("\"") || v.contains("\\")) {
      throw new IllegalArgumentException("credential with a quote or backslash: " + v);
    }
    return "\"" + v + "\"";
  }
}
