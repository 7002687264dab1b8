package dev.clawauth.store;

import com.fasterxml.jackson.databind.JsonNode;
import dev.clawauth.config.ClawConfig;
import dev.clawauth.config.OwnSettings;
import dev.clawauth.json.JsonFileException;
import dev.clawauth.state.StatePaths;
import dev.clawauth.store.sqlite.SqliteLayout;
import dev.clawauth.store.sqlite.SqliteLayouts;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Which OpenClaw release's credential store a state directory uses, told from its files (the
 * spec's table "Telling the eras apart"), and the file that showed it.
 *
 * <ol>
 *   <li>{@code CLAWAUTH_STORE=file|sqlite|postgres} decides, when set.</li>
 *   <li>A {@code store.url} in {@code <state>/clawauth.json}: that database (a store several
 *       gateway hosts share).</li>
 *   <li>OpenClaw 2026.9 credentials: an {@code auth.sharedStore} row in
 *       {@code state/openclaw.sqlite}, an agent's {@code openclaw-agent.sqlite}, or an
 *       {@code auth-profiles.json.migrated-*} archive left by its import.</li>
 *   <li>Else an agent's {@code auth-profiles.json}: the documents' file (2026.1).</li>
 *   <li>Else signs that 2026.9 runs here without credentials yet ({@code state/openclaw.sqlite},
 *       or the config's {@code agents.entries}): the SQLite store, so a first credential lands
 *       where it reads.</li>
 *   <li>Else, a fresh directory: the documents' file.</li>
 * </ol>
 *
 * @param shared for {@link StoreKind#SQLITE}, where the shared store is
 * @param settings for a {@link StoreBackend}'s kind, clawauth.json's {@code store} block
 */
public record StoreEra(StoreKind kind, Optional<SqliteLayout.Shared> shared, String evidence,
    Optional<JsonNode> settings) {

  public static final String OVERRIDE = "CLAWAUTH_STORE";

  public StoreEra(StoreKind kind, Optional<SqliteLayout.Shared> shared, String evidence) {
    this(kind, shared, evidence, Optional.empty());
  }

  public static StoreEra detect(StatePaths paths, ClawConfig config) throws IOException {
    Optional<String> forced = paths.env().get(OVERRIDE).map(v -> v.trim().toLowerCase(Locale.ROOT));
    if (forced.isPresent()) {
      return switch (forced.get()) {
        case "file", "json" -> new StoreEra(StoreKind.FILE, Optional.empty(), "$" + OVERRIDE + "=" + forced.get());
        case "sqlite" -> new StoreEra(StoreKind.SQLITE, Optional.of(SqliteLayouts.sharedLocation(paths)),
            "$" + OVERRIDE + "=sqlite");
        case "postgres", "postgresql" -> configured(paths).orElseThrow(() -> new IOException("$" + OVERRIDE
            + "=postgres, but " + paths.stateDir().resolve(OwnSettings.FILE) + " has no store.url"));
        default -> throw new IOException("$" + OVERRIDE + " is \"" + forced.get()
            + "\"; use file (auth-profiles.json), sqlite (OpenClaw 2026.9) or postgres, or unset it");
      };
    }
    Optional<StoreEra> configured = configured(paths);
    if (configured.isPresent()) {
      return configured.get();
    }
    Path sharedDb = paths.stateDir().resolve(SqliteLayout.SHARED_DB);
    Optional<SqliteLayout.Shared> declared = SqliteLayouts.declaredLocation(sharedDb);
    if (declared.isPresent()) {
      return new StoreEra(StoreKind.SQLITE, declared, sharedDb + " says where the shared store is");
    }
    List<Path> agentDirs = agentDirs(paths, config);
    for (Path dir : agentDirs) {
      Path db = dir.resolve(SqliteLayout.AGENT_DB);
      if (Files.isRegularFile(db)) {
        return new StoreEra(StoreKind.SQLITE, Optional.of(SqliteLayout.Shared.LEGACY_MAIN), db + " exists");
      }
    }
    for (Path dir : agentDirs) {
      Optional<Path> archive = migratedArchive(dir);
      if (archive.isPresent()) {
        return new StoreEra(StoreKind.SQLITE, Optional.of(SqliteLayout.Shared.STATE_DB),
            archive.get() + " shows OpenClaw 2026.9 imported the file");
      }
    }
    for (Path dir : agentDirs) {
      Path json = dir.resolve(StatePaths.STORE_FILE);
      if (Files.exists(json)) {
        return new StoreEra(StoreKind.FILE, Optional.empty(), json + " exists");
      }
    }
    if (Files.isRegularFile(sharedDb)) {
      return new StoreEra(StoreKind.SQLITE, Optional.of(SqliteLayout.Shared.STATE_DB),
          sharedDb + " exists (OpenClaw 2026.9), with no credentials yet");
    }
    if (config.agentsShape() == ClawConfig.AgentsShape.ENTRIES) {
      return new StoreEra(StoreKind.SQLITE, Optional.of(SqliteLayout.Shared.STATE_DB),
          config.path() + " has agents.entries (OpenClaw 2026.9)");
    }
    return new StoreEra(StoreKind.FILE, Optional.empty(), "no credential store yet; the documents' file is used");
  }

  /** The database clawauth.json's {@code store.url} names, if it names one. */
  private static Optional<StoreEra> configured(StatePaths paths) throws IOException {
    Path own = paths.stateDir().resolve(OwnSettings.FILE);
    if (!Files.isRegularFile(own)) {
      return Optional.empty();
    }
    JsonNode store;
    try {
      store = ClawConfig.load(own).tree().path("store");
    } catch (JsonFileException e) {
      throw new IOException(e.getMessage(), e);
    }
    if (!store.path("url").isTextual() || store.path("url").asText().isBlank()) {
      return Optional.empty();
    }
    return Optional.of(new StoreEra(StoreKind.POSTGRES, Optional.empty(), own + " has store.url", Optional.of(store)));
  }

  /** The default agent's directory, every configured one, and every one under {@code <state>/agents}. */
  static List<Path> agentDirs(StatePaths paths, ClawConfig config) throws IOException {
    List<Path> out = new ArrayList<>();
    String defaultId = config.defaultAgentId();
    out.add(config.agentDirOverride(defaultId).map(paths.env()::expand).orElseGet(() -> paths.agentDir(defaultId, defaultId)));
    for (String id : config.agentIds()) {
      Path dir = config.agentDirOverride(id).map(paths.env()::expand).orElseGet(() -> paths.agentDir(id, defaultId));
      if (!out.contains(dir)) {
        out.add(dir);
      }
    }
    if (Files.isDirectory(paths.agentsRoot())) {
      try (DirectoryStream<Path> dirs = Files.newDirectoryStream(paths.agentsRoot())) {
        for (Path d : dirs) {
          Path dir = d.resolve("agent");
          if (Files.isDirectory(dir) && !out.contains(dir)) {
            out.add(dir);
          }
        }
      }
    }
    return out;
  }

  private static Optional<Path> migratedArchive(Path agentDir) throws IOException {
    if (!Files.isDirectory(agentDir)) {
      return Optional.empty();
    }
    try (DirectoryStream<Path> files = Files.newDirectoryStream(agentDir, StatePaths.STORE_FILE + ".migrated-*")) {
      for (Path f : files) {
        return Optional.of(f);
      }
    }
    return Optional.empty();
  }
}
