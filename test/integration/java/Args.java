import java.util.HashMap;
import java.util.Map;

/** `--key value` command-line options with defaults. */
final class Args {
  private final Map<String, String> values = new HashMap<>();

  Args(String[] argv) {
    for (int i = 0; i + 1 < argv.length; i += 2) {
      if (!argv[i].startsWith("--")) throw new IllegalArgumentException("expected --option: " + argv[i]);
      values.put(argv[i].substring(2), argv[i + 1]);
    }
  }

  String get(String key) {
    String v = values.get(key);
    if (v == null) throw new IllegalArgumentException("missing --" + key);
    return v;
  }

  String get(String key, String dflt) {
    return values.getOrDefault(key, dflt);
  }

  int getInt(String key, int dflt) {
    return Integer.parseInt(get(key, Integer.toString(dflt)));
  }

  long getLong(String key, long dflt) {
    return Long.parseLong(get(key, Long.toString(dflt)));
  }
}
