package dev.clawauth.state;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Where OpenClaw's (and so Clawauth's) files live, resolved once per process by the rules of the
 * 2026.1 line plus the OpenClaw names that superseded them.
 */
public record StatePaths(Path stateDir, Path configPath, Environment env) {

  public static final String STORE_FILE = "auth-profiles.json";

  public static StatePaths resolve(Environment env) {
    Path state = env.get("OPENCLAW_STATE_DIR").map(env::expand)
        .or(() -> env.get("CLAWDBOT_STATE_DIR").map(env::expand))
        .orElseGet(() -> {
          Path modern = env.home().resolve(".openclaw");
          Path legacy = env.home().resolve(".clawdbot");
          return !Files.isDirectory(modern) && Files.isDirectory(legacy) ? legacy : modern;
        });
    Path config = env.get("OPENCLAW_CONFIG_PATH").map(env::expand)
        .or(() -> env.get("CLAWDBOT_CONFIG_PATH").map(env::expand))
        .orElseGet(() -> {
          Path modern = state.resolve("openclaw.json");
          Path legacy = state.resolve("clawdbot.json");
          return !Files.exists(modern) && Files.exists(legacy) ? legacy : modern;
        });
    return new StatePaths(state.toAbsolutePath().normalize(), config.toAbsolutePath().normalize(), env);
  }

  /** The agent's directory; the env overrides apply to the default agent only. */
  public Path agentDir(String agentId, String defaultAgentId) {
    if (agentId.equals(defaultAgentId)) {
      var override = env.get("OPENCLAW_AGENT_DIR")
          .or(() -> env.get("CLAWDBOT_AGENT_DIR"))
          .or(() -> env.get("PI_CODING_AGENT_DIR"));
      if (override.isPresent()) {
        return env.expand(override.get()).toAbsolutePath().normalize();
      }
    }
    return agentsRoot().resolve(agentId).resolve("agent");
  }

  public Path agentsRoot() {
    return stateDir.resolve("agents");
  }

  public Path storePath(Path agentDir) {
    return agentDir.resolve(STORE_FILE);
  }

  public Path legacyOAuthFile() {
    return env.get("CLAWDBOT_OAUTH_DIR").map(env::expand).map(p -> p.resolve("oauth.json"))
        .orElse(stateDir.resolve("credentials").resolve("oauth.json"));
  }

  public Path dotEnvFile() {
    return stateDir.resolve(".env");
  }
}
