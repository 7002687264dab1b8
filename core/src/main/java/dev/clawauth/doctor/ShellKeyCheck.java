package dev.clawauth.doctor;

import dev.clawauth.config.ClawConfig;
import dev.clawauth.env.DotEnv;
import dev.clawauth.env.ProviderEnvVars;
import dev.clawauth.state.StatePaths;
import dev.clawauth.store.Secret;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Provider keys that this shell has but a daemon will not: a gateway started by systemd or launchd
 * reads {@code <state>/.env} and the config's {@code env} block, not the user's shell profile.
 */
final class ShellKeyCheck {
  private ShellKeyCheck() {}

  static void check(StatePaths paths, ClawConfig config, Map<String, String> loginShell,
      boolean shellImportEnabled, List<Finding> out) {
    Path stateEnv = paths.dotEnvFile();
    Map<String, String> daemonFile = readDotEnv(stateEnv);
    Map<String, String> configEnv = config.envVars();
    Path cwdEnvFile = paths.env().workingDir().resolve(".env");
    Map<String, String> cwdEnv = cwdEnvFile.toAbsolutePath().normalize().equals(stateEnv.toAbsolutePath().normalize())
        ? Map.of() : readDotEnv(cwdEnvFile);
    Set<String> vars = new LinkedHashSet<>();
    ProviderEnvVars.all().values().forEach(vars::addAll);
    for (String var : vars) {
      if (set(daemonFile, var) || set(configEnv, var)) {
        continue;
      }
      String fromProcess = value(paths.env().vars(), var);
      String fromShell = value(loginShell, var);
      String fromCwd = value(cwdEnv, var);
      String v = fromProcess != null ? fromProcess : fromShell != null ? fromShell : fromCwd;
      if (v == null) {
        continue;
      }
      List<String> where = new ArrayList<>();
      if (fromShell != null) {
        where.add("your login shell");
      }
      if (fromProcess != null) {
        where.add("this terminal's environment");
      }
      if (fromCwd != null) {
        where.add(cwdEnvFile.toString());
      }
      boolean imported = shellImportEnabled && fromShell != null;
      String line = var + "=" + Secret.mask(v);
      out.add(new Finding("shell-only-key", imported ? Severity.INFO : Severity.WARNING, Section.ENVIRONMENT,
          null, stateEnv,
          var + " is set only in " + String.join(" and ", where) + ", not in " + stateEnv
              + " or the config's env block",
          imported
              ? "the daemon imports it by starting your login shell (env.shellEnv.enabled), which is slow and"
                  + " breaks when the profile changes; " + stateEnv + " is read directly"
              : "a daemon (the gateway under systemd or launchd) does not run your shell profile, so it will"
                  + " not see this key and its requests will fail for lack of a credential",
          "add the line `" + line + "` (the full value; shown masked) to " + stateEnv + ", e.g. `printf '"
              + var + "=%s\\n' \"$" + var + "\" >> " + ShellQuote.of(stateEnv) + " && chmod 600 "
              + ShellQuote.of(stateEnv) + "`",
          null));
    }
  }

  private static boolean set(Map<String, String> m, String var) {
    return value(m, var) != null;
  }

  private static String value(Map<String, String> m, String var) {
    String v = m.get(var);
    return v == null || v.isBlank() ? null : v.trim();
  }

  private static Map<String, String> readDotEnv(Path file) {
    try {
      return Files.isRegularFile(file) ? DotEnv.parse(Files.readString(file, StandardCharsets.UTF_8)) : Map.of();
    } catch (IOException unreadable) {
      return Map.of();
    }
  }
}
