package dev.clawauth.doctor;

import dev.clawauth.config.ClawConfig;
import dev.clawauth.config.EnvRefs;
import dev.clawauth.env.EnvSources;
import dev.clawauth.state.StatePaths;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

/**
 * {@code ${VAR}} references in the config to variables nobody set. OpenClaw then refuses to load the
 * config at all; Clawauth leaves the value unused (a key is not sent, a gateway token falls back to
 * its file), so the operator hears of it here before a request fails.
 */
final class ConfigRefsCheck {
  private ConfigRefsCheck() {}

  static void check(StatePaths paths, ClawConfig config, EnvSources env, List<Finding> out) {
    Function<String, Optional<String>> lookup = env::value;
    List<String> where = new ArrayList<>();
    Set<String> names = new LinkedHashSet<>();
    for (String p : config.configuredProviders()) {
      note("models.providers." + p + ".apiKey", EnvRefs.providerApiKey(config, p, lookup), where, names);
      note("models.providers." + p + ".baseUrl", config.providerBaseUrl(p).map(raw -> EnvRefs.resolve(raw, lookup)),
          where, names);
    }
    var token = config.tree().path("gateway").path("auth").path("token");
    if (token.isTextual()) {
      note("gateway.auth.token", Optional.of(EnvRefs.resolve(token.asText(), lookup)), where, names);
    }
    if (where.isEmpty()) {
      return;
    }
    out.add(new Finding("config-unset-variable", Severity.WARNING, Section.STATE, null, config.path(),
        config.path().getFileName() + " refers to variables that are not set: " + String.join(", ", where),
        "OpenClaw refuses to load a config with a missing variable; Clawauth leaves such a value unused (a key"
            + " is not sent, a gateway token falls back to its file)",
        "set " + String.join(", ", names) + " in " + paths.dotEnvFile()
            + " (or in the environment of the gateway's service), or write the value itself", null));
  }

  private static void note(String key, Optional<EnvRefs.Resolved> value, List<String> where, Set<String> names) {
    if (value.isPresent() && !value.get().ok()) {
      where.add(key + " (" + value.get().references() + ")");
      names.addAll(value.get().missing());
    }
  }
}
