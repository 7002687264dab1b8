package dev.clawauth.testing;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;

/**
 * The suite's fake secrets, read from {@code testing/test-secrets.properties} at the repository
 * root: the one list that {@code bin/check-test-leaks} greps the test reports for.
 */
public final class TestSecrets {
  private TestSecrets() {}

  private static final Map<String, String> ALL = load();

  /** The secret named {@code name}; fails loudly for a name missing from the list. */
  public static String get(String name) {
    String v = ALL.get(name);
    if (v == null) {
      throw new IllegalArgumentException("no test secret named " + name + " in testing/test-secrets.properties");
    }
    return v;
  }

  /** {@code text} with every test secret in it replaced by its name, for logs of command lines. */
  public static String redact(String text) {
    String s = text;
    for (var e : all().entrySet()) {
      if (!e.getValue().isEmpty()) {
        s = s.replace(e.getValue(), "<test secret " + e.getKey() + ">");
      }
    }
    return s;
  }

  public static Map<String, String> all() {
    return ALL;
  }

  private static Map<String, String> load() {
    for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
      Path file = dir.resolve("testing/test-secrets.properties");
      if (Files.isRegularFile(file)) {
        Properties p = new Properties();
        try (Reader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
          p.load(r);
        } catch (IOException e) {
          throw new IllegalStateException("cannot read " + file, e);
        }
        Map<String, String> out = new TreeMap<>();
        p.stringPropertyNames().forEach(k -> out.put(k, p.getProperty(k)));
        return Map.copyOf(out);
      }
    }
    throw new IllegalStateException("testing/test-secrets.properties not found above " + Path.of("").toAbsolutePath());
  }
}
