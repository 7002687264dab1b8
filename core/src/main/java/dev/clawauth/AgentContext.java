package dev.clawauth;

import dev.clawauth.config.ClawConfig;
import dev.clawauth.env.EnvSources;
import dev.clawauth.json.JsonFileException;
import dev.clawauth.state.AgentIds;
import dev.clawauth.state.Environment;
import dev.clawauth.state.StatePaths;
import dev.clawauth.store.CredentialStore;
import dev.clawauth.store.FileStore;
import dev.clawauth.store.StoreBackends;
import dev.clawauth.store.StoreEra;
import dev.clawauth.store.sqlite.SqliteLayouts;
import dev.clawauth.store.sqlite.SqliteStore;
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
  private final CredentialStore store;
  private final StoreEra era;
  private final Clock clock;
  /** Volatile: {@link #envLoaded} is asked without the lock that a load in progress holds. */
  private volatile EnvSources env;

  private AgentContext(StatePaths paths, ClawConfig config, String agentId, Path agentDir,
      CredentialStore store, StoreEra era, Clock clock) {
    this.paths = paths;
    this.config = config;
    this.agentId = agentId;
    this.agentDir = agentDir;
    this.store = store;
    this.era = era;
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
   *
   * @throws IOException when the state directory's store cannot be told ({@link StoreEra})
   */
  public static AgentContext open(StatePaths paths, ClawConfig config, String agentId, Clock clock)
      throws IOException {
    return open(paths, config, StoreEra.detect(paths, config), agentId, clock);
  }

  /** Opens an agent whose state directory's store the caller has told already. */
  public static AgentContext open(StatePaths paths, ClawConfig loaded, StoreEra era, String agentId, Clock clock) {
    ClawConfig config = forEra(loaded, era);
    String defaultId = AgentIds.validate(config.defaultAgentId());
    String id = agentId == null ? defaultId : AgentIds.validate(agentId);
    Path agentDir = agentDir(paths, config, id, defaultId);
    CredentialStore store = switch (era.kind()) {
      case FILE -> new FileStore(paths.storePath(agentDir), new LegacyImport(agentDir.resolve("auth.json"),
          id.equals(defaultId) ? paths.legacyOAuthFile() : null));
      case SQLITE -> new SqliteStore(SqliteLayouts.layout(paths, era.shared().orElseThrow(), id, agentDir,
          agentDir(paths, config, AgentIds.DEFAULT, defaultId)), clock);
      case POSTGRES -> StoreBackends.open(era.kind(), paths, era.settings().orElseThrow(), id, clock);
    };
    return new AgentContext(paths, config, id, agentDir, store, era, clock);
  }

  /**
   * This agent under an edited config, with the same store, or empty when the edit moves the
   * agent's directory (its store then stays where it was until a restart).
   */
  public java.util.Optional<AgentContext> withConfig(ClawConfig edited) {
    String defaultId = AgentIds.validate(edited.defaultAgentId());
    if (!agentDir(paths, edited, agentId, defaultId).equals(agentDir)) {
      return java.util.Optional.empty();
    }
    return java.util.Optional.of(new AgentContext(paths, forEra(edited, era), agentId, agentDir, store, era, clock));
  }

  private static ClawConfig forEra(ClawConfig config, StoreEra era) {
    return era.kind() == dev.clawauth.store.StoreKind.SQLITE
        ? config.withBuiltInDefault(ClawConfig.OPENCLAW_2026_9_DEFAULT_MODEL) : config;
  }

  private static Path agentDir(StatePaths paths, ClawConfig config, String id, String defaultId) {
    return config.agentDirOverride(id).map(paths.env()::expand).orElseGet(() -> paths.agentDir(id, defaultId));
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

  public CredentialStore store() {
    return store;
  }

  /** Which store the state directory uses, and the file that told. */
  public StoreEra era() {
    return era;
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
