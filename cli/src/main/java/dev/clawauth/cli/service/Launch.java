package dev.clawauth.cli.service;

import dev.clawauth.state.Environment;
import dev.clawauth.state.StatePaths;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * How a service starts clawauth: the JDK and the jar of this very run (resolved now, since a
 * service manager has neither the user's PATH nor bin/clawauth's JDK search), the command's
 * arguments, and the variables that point it at the same state as the shell that installed it.
 */
public record Launch(Path java, Path jar, List<String> args, Map<String, String> env, Path stateDir) {

  public Launch {
    args = List.copyOf(args);
    env = Map.copyOf(env);
  }

  /** This JVM and jar running {@code args}, with the state variables that were set for this run. */
  public static Launch of(Environment environment, List<String> args) {
    StatePaths paths = StatePaths.resolve(environment);
    Map<String, String> env = new LinkedHashMap<>();
    if (set(environment, "OPENCLAW_STATE_DIR", "CLAWDBOT_STATE_DIR")) {
      env.put("OPENCLAW_STATE_DIR", paths.stateDir().toString());
    }
    if (set(environment, "OPENCLAW_CONFIG_PATH", "CLAWDBOT_CONFIG_PATH")) {
      env.put("OPENCLAW_CONFIG_PATH", paths.configPath().toString());
    }
    environment.get("CLAWAUTH_STORE").ifPresent(v -> env.put("CLAWAUTH_STORE", v));
    return new Launch(Path.of(System.getProperty("java.home"), "bin", "java"), runningJar(), args, env,
        paths.stateDir());
  }

  private static boolean set(Environment env, String... names) {
    for (String n : names) {
      if (env.get(n).isPresent()) {
        return true;
      }
    }
    return false;
  }

  /** The jar this class was loaded from: {@code cli/target/clawauth.jar} when bin/clawauth started it. */
  static Path runningJar() {
    Optional<Path> jar;
    try {
      var source = Launch.class.getProtectionDomain().getCodeSource();
      jar = source == null ? Optional.empty()
          : Optional.of(Path.of(source.getLocation().toURI()).toAbsolutePath().normalize());
    } catch (URISyntaxException | IllegalArgumentException e) {
      jar = Optional.empty();
    }
    return jar.filter(p -> Files.isRegularFile(p) && p.getFileName().toString().endsWith(".jar"))
        .orElseThrow(() -> new IllegalArgumentException("clawauth is not running from its jar, so a service"
            + " could not start it; build it (`mvn -DskipTests package`) and run bin/clawauth."));
  }

  /** {@code java -jar <jar> <args…>}. */
  public List<String> command() {
    List<String> cmd = new ArrayList<>(List.of(java.toString(), "-jar", jar.toString()));
    cmd.addAll(args);
    return cmd;
  }

  public Path envFile() {
    return stateDir.resolve(".env");
  }

  public Path logDir() {
    return stateDir.resolve("logs");
  }
}
