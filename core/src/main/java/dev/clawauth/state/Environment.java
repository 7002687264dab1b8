package dev.clawauth.state;

import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

/**
 * The process inputs that decide where state lives: environment variables, the home directory and
 * the working directory. Passed in rather than read from {@link System} so that tests and embedding
 * programs can point Clawauth anywhere.
 */
public record Environment(Map<String, String> vars, Path home, Path workingDir) {

  public static Environment system() {
    // $HOME first, as OpenClaw (node's os.homedir()) does; the JVM's user.home ignores it.
    String home = System.getenv("HOME");
    return new Environment(System.getenv(),
        Path.of(home == null || home.isBlank() ? System.getProperty("user.home") : home),
        Path.of("").toAbsolutePath());
  }

  /** A variable's value, trimmed; empty and unset are the same. */
  public Optional<String> get(String name) {
    String v = vars.get(name);
    if (v == null || v.isBlank()) {
      return Optional.empty();
    }
    return Optional.of(v.trim());
  }

  public Path expand(String path) {
    if (path.equals("~")) {
      return home;
    }
    if (path.startsWith("~/")) {
      return home.resolve(path.substring(2));
    }
    return workingDir.resolve(path);
  }
}
