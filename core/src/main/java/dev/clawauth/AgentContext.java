package dev.clawauth;

import dev.clawauth.config.ClawConfig;
import dev.clawauth.env.EnvSources;
import dev.clawauth.json.JsonFileException;
import dev.clawauth.state.AgentIds;
import dev.clawauth.state.Environment;
import dev.clawauth.state.StatePaths;
import dev.clawauth.store.AuthStore;
import dev.clawauth.store.LegacyImport;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;

/**
 * Everything one agent's credentials depend on: the state paths, the config, the agent's store
 * and its environment credentials. The entry point for programs that embed Clawauth.
 *
 * <pre>{@code
 * AgentContext agent = AgentContext.open(Environment.system(), null, Clock.systemUTC());
 * StoreDocument doc = agent.store().read();
 * }</pre>
 */
public final class AgentContext {
  private final StatePaths paths;
  private final ClawConfig config;
  private final String agentId;
  private final Path agentDir;
  private final AuthStore store;
  private final Clock clock;
  /** Volatile: {@link #envLoaded} is asked without the lock that a load in progress holds. */
  private volatile EnvSources env;

  private AgentContext(StatePaths paths, ClawConfig config, String agentId, Path agentDir,
      AuthStore store, Clock clock) {
    this.paths = paths;
    this.config = config;
    this.agentId = agentId;
    this.agentDir = agentDir;
    this.store = store;
    this.clock = clock;
  }

  /**
   * Opens an agent; {@code agentId} null means the config's default agent (else {@code main}).
   *
   * @throws IllegalArgumentException for an invalid agent id
   * @throws JsonFileException when the config file does not parse
   */
  public static AgentContext open(Environment env, String agentId, Clock clock)
      throws IOException, JsonFileException {
    StatePaths paths = StatePaths.resolve(env);
    return open(paths, ClawConfig.load(paths.configPath()), agentId, clock);
  }

  /**
   * Opens an agent with a config the caller already holds (or {@link ClawConfig#empty} when the
   * config file does not parse, as {@code doctor} must still look at the stores then).
   */
  public static AgentContext open(StatePaths paths, ClawConfig config, String agentId, Clock clock) {
    Environment env = paths.env();
    String defaultId = AgentIds.validate(config.defaultAgentId());
    String id = agentId == null ? defaultId : AgentIds.validate(agentId);
    Path agentDir = config.agentDirOverride(id).map(env::expand)
        .orElseGet(() -> paths.agentDir(id, defaultId));
    LegacyImport legacy = new LegacyImport(agentDir.resolve("auth.json"),
        id.equals(defaultId) ? paths.legacyOAuthFile() : null);
    AuthStore store = new AuthStore(paths.storePath(agentDir), legacy, clock);
    return new AgentContext(paths, config, id, agentDir, store, clock);
  }

  public StatePaths paths() {
    return paths;
  }

  public ClawConfig config() {
    return config;
  }

  public String agentId() {
    return agentId;
  }

  public Path agentDir() {
    return agentDir;
  }

  public AuthStore store() {
    return store;
  }

  public Clock clock() {
    return clock;
  }

  /** Environment credentials, read once (the login-shell import can take seconds). */
  public synchronized EnvSources env() {
    if (env == null) {
      env = EnvSources.load(paths.env(), paths.dotEnvFile(), config);
    }
    return env;
  }

  /**
   * Whether {@link #env} is read already, so that it returns at once; never waits for a read in
   * progress (which may be a login shell).
   */
  public boolean envLoaded() {
    return env != null;
  }

  public synchronized void useEnv(EnvSources sources) {
    this.env = sources;
  }
}
