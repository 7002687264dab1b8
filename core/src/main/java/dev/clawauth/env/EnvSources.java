package dev.clawauth.env;

import dev.clawauth.config.ClawConfig;
import dev.clawauth.state.Environment;
import dev.clawauth.store.Secret;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Credentials from the environment, in this precedence (strongest first): the process
 * environment, a {@code .env} in the working directory, {@code <state>/.env}, the config's
 * {@code env} block, and, when enabled, the user's login shell. A weaker source never overrides a
 * variable a stronger one set.
 */
public final class EnvSources {
  private final Map<String, EnvValue> values;
  private final boolean shellEnabled;
  private final List<String> shellApplied;

  private EnvSources(Map<String, EnvValue> values, boolean shellEnabled, List<String> shellApplied) {
    this.values = values;
    this.shellEnabled = shellEnabled;
    this.shellApplied = shellApplied;
  }

  public static EnvSources load(Environment env, Path stateDotEnv, ClawConfig config) {
    return load(env, stateDotEnv, config, ShellEnv.SYSTEM);
  }

  public static EnvSources load(Environment env, Path stateDotEnv, ClawConfig config, ShellEnv shell) {
    Map<String, EnvValue> values = new LinkedHashMap<>();
    env.vars().forEach((k, v) -> add(values, k, v, "env: " + k));
    Path cwdDotEnv = env.workingDir().resolve(".env");
    if (!cwdDotEnv.equals(stateDotEnv)) {
      readDotEnv(cwdDotEnv).forEach((k, v) -> add(values, k, v, "env: " + k + " (" + cwdDotEnv + ")"));
    }
    readDotEnv(stateDotEnv).forEach((k, v) -> add(values, k, v, "env: " + k + " (" + stateDotEnv + ")"));
    config.envVars().forEach((k, v) -> add(values, k, v, "config env: " + k));

    boolean enabled = config.shellEnvEnabled()
        || env.get("OPENCLAW_LOAD_SHELL_ENV").or(() -> env.get("CLAWDBOT_LOAD_SHELL_ENV"))
            .map(v -> v.equals("1") || v.equalsIgnoreCase("true")).orElse(false);
    List<String> applied = new ArrayList<>();
    if (enabled) {
      List<String> missing = new ArrayList<>();
      ProviderEnvVars.all().values().forEach(vars -> vars.forEach(v -> {
        if (!values.containsKey(v)) {
          missing.add(v);
        }
      }));
      if (!missing.isEmpty()) {
        long timeout = config.shellEnvTimeoutMs()
            .or(() -> env.get("OPENCLAW_SHELL_ENV_TIMEOUT_MS").flatMap(EnvSources::millis))
            .orElse(15_000L);
        Map<String, String> fromShell = shell.read(env, timeout);
        for (String k : missing) {
          String v = fromShell.get(k);
          if (v != null && !v.isBlank()) {
            add(values, k, v, "shell env: " + k);
            applied.add(k);
          }
        }
      }
    }
    return new EnvSources(values, enabled, List.copyOf(applied));
  }

  // A malformed timeout must not make every command fail; the default applies instead.
  private static Optional<Long> millis(String text) {
    try {
      long ms = Long.parseLong(text.trim());
      return ms > 0 ? Optional.of(ms) : Optional.empty();
    } catch (NumberFormatException e) {
      return Optional.empty();
    }
  }

  private static void add(Map<String, EnvValue> values, String k, String v, String source) {
    if (v == null || v.isBlank() || values.containsKey(k)) {
      return;
    }
    values.put(k, new EnvValue(k, new Secret(v.trim()), source));
  }

  private static Map<String, String> readDotEnv(Path file) {
    try {
      if (Files.isRegularFile(file)) {
        return DotEnv.parse(Files.readString(file, StandardCharsets.UTF_8));
      }
    } catch (IOException unreadable) {
      // An unreadable .env is reported by doctor; here it simply contributes nothing.
    }
    return Map.of();
  }

  public Optional<EnvValue> get(String name) {
    return Optional.ofNullable(values.get(name));
  }

  /** The variable's value, for resolving {@code ${VAR}} references in the config. */
  public Optional<String> value(String name) {
    return get(name).map(v -> v.value().value());
  }

  /** The provider's credential from the environment, first variable set wins. */
  public Optional<EnvValue> forProvider(String provider) {
    for (String var : ProviderEnvVars.forProvider(provider)) {
      EnvValue v = values.get(var);
      if (v != null) {
        return Optional.of(v);
      }
    }
    return Optional.empty();
  }

  public boolean shellEnabled() {
    return shellEnabled;
  }

  public List<String> shellApplied() {
    return shellApplied;
  }
}
