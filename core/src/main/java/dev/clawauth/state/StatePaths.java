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
    Path modernHome = env.home().resolve(".openclaw");
    Path legacyHome = env.home().resolve(".clawdbot");
    boolean legacyDir = env.get("OPENCLAW_STATE_DIR").isEmpty() && (env.get("CLAWDBOT_STATE_DIR").isPresent()
        || (!Files.isDirectory(modernHome) && Files.isDirectory(legacyHome) && !Files.isSymbolicLink(legacyHome)));
    Path state = env.get("OPENCLAW_STATE_DIR").map(env::expand)
        .or(() -> env.get("CLAWDBOT_STATE_DIR").map(env::expand))
        .orElseGet(() -> !Files.isDirectory(modernHome) && Files.isDirectory(legacyHome) ? legacyHome : modernHome);
    Path config = env.get("OPENCLAW_CONFIG_PATH").map(env::expand)
        .or(() -> env.get("CLAWDBOT_CONFIG_PATH").map(env::expand))
        .orElseGet(() -> {
          Path modern = state.resolve("openclaw.json");
          Path legacy = state.resolve("clawdbot.json");
          // OpenClaw 2026.1 reads only clawdbot.json: in its state dir a new config takes that name,
          // so that the two programs never read two files that drift apart.
          return !Files.exists(modern) && (Files.exists(legacy) || legacyDir) ? legacy : modern;
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
