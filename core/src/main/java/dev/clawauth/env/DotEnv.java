package dev.clawauth.env;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * dotenv syntax as daemons' .env files use it: {@code KEY=value}, optional {@code export },
 * single or double quotes, {@code #} comments, blank lines. No variable expansion.
 */
public final class DotEnv {
  private DotEnv() {}

  public static Map<String, String> parse(String text) {
    Map<String, String> out = new LinkedHashMap<>();
    for (String raw : text.split("\r?\n|\r", -1)) {
      String line = raw.strip();
      if (line.isEmpty() || line.startsWith("#")) {
        continue;
      }
      if (line.startsWith("export ")) {
        line = line.substring(7).strip();
      }
      int eq = line.indexOf('=');
      if (eq <= 0) {
        continue;
      }
      String key = line.substring(0, eq).strip();
      if (!key.matches("[A-Za-z_][A-Za-z0-9_.]*")) {
        continue;
      }
      String value = line.substring(eq + 1).strip();
      if (value.length() >= 2 && (value.charAt(0) == '"' || value.charAt(0) == '\'')
          && value.indexOf(value.charAt(0), 1) > 0) {
        char q = value.charAt(0);
        String inner = value.substring(1, value.indexOf(q, 1));
        value = q == '"' ? inner.replace("\\n", "\n") : inner;
      } else {
        int hash = value.indexOf(" #");
        if (hash >= 0) {
          value = value.substring(0, hash).strip();
        }
      }
      out.putIfAbsent(key, value);
    }
    return out;
  }
}
