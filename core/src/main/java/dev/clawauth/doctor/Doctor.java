package dev.clawauth.doctor;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.clawauth.AgentContext;
import dev.clawauth.config.ClawConfig;
import dev.clawauth.env.EnvSources;
import dev.clawauth.env.ShellEnv;
import dev.clawauth.hints.FixCommands;
import dev.clawauth.json.Json;
import dev.clawauth.json.JsonFileException;
import dev.clawauth.state.AgentIds;
import dev.clawauth.state.Environment;
import dev.clawauth.state.StatePaths;
import dev.clawauth.status.StatusReport;
import dev.clawauth.store.AtomicFiles;
import dev.clawauth.store.LegacyImport;
import dev.clawauth.store.StoreDocument;
import dev.clawauth.store.StoreEra;
import dev.clawauth.store.StoreKind;
import dev.clawauth.store.StoreLock;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Finds what is wrong with a state directory's credentials and explains each problem: loose
 * permissions, files that do not parse, legacy files not yet imported, expired or expiring
 * credentials, dangling order entries, providers in use without a credential, keys a daemon will not
 * see, and stale locks. {@link #repair} makes the changes that are safe; it never touches a file that
 * does not parse.
 */
public final class Doctor {
  private final Environment env;
  private final String onlyAgent;
  private final Clock clock;
  private final ShellEnv shell;
  private Map<String, String> loginShell;

  /**
   * @param onlyAgent examine just this agent, or null for every agent found under
   *     {@code <state>/agents} and in the config's {@code agents.list}
   */
  public Doctor(Environment env, String onlyAgent, Clock clock, ShellEnv shell) {
    this.env = env;
    this.onlyAgent = onlyAgent == null ? null : AgentIds.validate(onlyAgent);
    this.clock = clock;
    this.shell = shell;
  }

  /** What one examination saw. */
  public record Examination(StatePaths paths, List<AgentContext> agents, List<Finding> findings,
      Set<Path> unparsable) {

    public List<Finding> problems() {
      return findings.stream().filter(f -> f.severity().isProblem()).toList();
    }
  }

  public Examination examine() {
    StatePaths paths = StatePaths.resolve(env);
    List<Finding> out = new ArrayList<>();
    Set<Path> unparsable = new LinkedHashSet<>();
    long now = clock.millis();

    ClawConfig config;
    boolean configUsable = true;
    Path configPath = paths.configPath();
    try {
      config = ClawConfig.load(configPath);
    } catch (JsonFileException e) {
      out.add(unparsable(null, e, "config file"));
      unparsable.add(e.file());
      config = ClawConfig.empty(configPath);
      configUsable = false;
    } catch (IOException e) {
      out.add(unreadable(null, configPath, "config file", e));
      config = ClawConfig.empty(configPath);
      configUsable = false;
    }
    try {
      AgentIds.validate(config.defaultAgentId());
    } catch (IllegalArgumentException bad) {
      out.add(new Finding("invalid-agent-id", Severity.ERROR, Section.STATE, null, configPath,
          "the config's default agent id is invalid: " + bad.getMessage(),
          "neither Clawauth nor OpenClaw can tell which agent directory is meant",
          "edit " + configPath + " and fix agents.list[].id", null));
      config = ClawConfig.empty(configPath);
      configUsable = false;
    }

    // State-wide files: the state dir, the daemon's .env, the config, and other secret holders.
    PermissionCheck.check(paths.stateDir(), null, "State directory", out);
    PermissionCheck.check(paths.dotEnvFile(), null, "Daemon env file", out);
    PermissionCheck.check(configPath, null, "Config file", out);
    PermissionCheck.check(configPath.resolveSibling(configPath.getFileName() + ".bak"), null, "Config backup", out);
    PermissionCheck.checkTree(paths.stateDir().resolve("credentials"), "Credentials", out);
    Path oauthJson = paths.legacyOAuthFile();
    if (!oauthJson.startsWith(paths.stateDir().resolve("credentials"))) {
      PermissionCheck.check(oauthJson.getParent(), null, "Legacy OAuth directory", out);
      PermissionCheck.check(oauthJson, null, "Legacy OAuth file", out);
    }
    PermissionCheck.checkTree(paths.stateDir().resolve("identity"), "Device identity", out);
    for (Path tokenFile : gatewayTokenFiles(paths.stateDir())) {
      PermissionCheck.check(tokenFile, null, "Gateway token file", out);
    }
    parseCheck(oauthJson, null, "legacy OAuth file", out, unparsable);
    LockCheck.check(configPath, null, now, out);
    ConfigKeysCheck.check(paths, config, out);
    ClawConfig loaded = config;
    ConfigRefsCheck.check(paths, loaded,
        EnvSources.load(paths.env(), paths.dotEnvFile(), loaded, (e, timeout) -> loginShell(loaded)), out);

    List<AgentContext> agents = new ArrayList<>();
    StoreEra era;
    try {
      era = StoreEra.detect(paths, config);
    } catch (IOException e) {
      out.add(new Finding("store-unknown", Severity.ERROR, Section.STATE, null, paths.stateDir(),
          "cannot tell where this state directory keeps its credentials: " + e.getMessage(),
          "no command can read or write its credentials until this is fixed",
          "fix what the message names, or set " + StoreEra.OVERRIDE + "=file or =sqlite", null));
      era = null;
    }
    for (String id : era == null ? List.<String>of() : agentIds(paths, config, out)) {
      try {
        agents.add(AgentContext.open(paths, config, era, id, clock));
      } catch (IllegalArgumentException bad) {
        // Reported by agentIds.
      }
    }
    Set<String> heldAnywhere = new LinkedHashSet<>();
    boolean allRead = true;
    for (AgentContext agent : agents) {
      allRead &= examineAgent(agent, paths, configUsable, now, out, unparsable, heldAnywhere);
    }
    // With one store unread, an id it may hold would look dangling: say nothing rather than
    // offer to remove it.
    if (configUsable && onlyAgent == null && era != null && allRead) {
      ConfigAuthCheck.danglingOrder(config, heldAnywhere, out);
    }

    boolean shellImport = config.shellEnvEnabled()
        || env.get("OPENCLAW_LOAD_SHELL_ENV").or(() -> env.get("CLAWDBOT_LOAD_SHELL_ENV"))
            .map(v -> v.equals("1") || v.equalsIgnoreCase("true")).orElse(false);
    ShellKeyCheck.check(paths, config, loginShell(config), shellImport, out);

    List<Finding> sorted = new ArrayList<>(out);
    sorted.sort(java.util.Comparator.comparing(Finding::section).thenComparing(Finding::severity));
    return new Examination(paths, List.copyOf(agents), List.copyOf(sorted), Set.copyOf(unparsable));
  }

  /** Returns whether the agent's store could be read. */
  private boolean examineAgent(AgentContext agent, StatePaths paths, boolean configUsable, long now,
      List<Finding> out, Set<Path> unparsable, Set<String> heldAnywhere) {
    String id = agent.agentId();
    Path dir = agent.agentDir();
    if (dir.startsWith(paths.agentsRoot())) {
      PermissionCheck.check(dir.getParent(), id, "Agent directory", out);
    }
    PermissionCheck.check(dir, id, "Agent directory", out);
    for (Path f : agent.store().files()) {
      PermissionCheck.check(f, id, "Credential store", out);
    }
    Path authJson = agent.store().legacyImport().map(LegacyImport::agentAuthJson).orElse(null);
    PermissionCheck.check(authJson, id, "Legacy credential file", out);
    if (agent.store().kind() == StoreKind.FILE) {
      LockCheck.check(agent.store().path(), id, now, out);
    }
    boolean authJsonParses = parseCheck(authJson, id, "legacy credential file", out, unparsable);
    if (agent.store().kind() == StoreKind.SQLITE) {
      parseCheck(dir.resolve(StatePaths.STORE_FILE), id, "legacy credential store", out, unparsable);
    }

    StoreDocument file;
    try {
      file = agent.store().readStored();
    } catch (JsonFileException e) {
      out.add(unparsable(id, e, "credential store"));
      unparsable.add(e.file());
      return false;
    } catch (dev.clawauth.store.StoreUnavailableException e) {
      out.add(new Finding("store-unreachable", Severity.ERROR, Section.STATE, id, agent.store().path(),
          e.getMessage(), "no command can read or write this agent's credentials; gateways serve from what they"
          + " read last, read-only", "start the database or fix the network, or check store.url in "
          + agent.store().path(), null));
      return false;
    } catch (IOException e) {
      out.add(unreadable(id, agent.store().path(), "credential store", e));
      return false;
    }
    LegacyJsonCheck.check(agent, file, out, unparsable);
    StoreDocument full = file.copy();
    List<String> pending = agent.store().legacyImport()
        .map(l -> l.apply(full, agent.store().exists())).orElse(List.of());
    heldAnywhere.addAll(full.profiles().keySet());
    heldAnywhere.addAll(full.unreadableProfileIds());
    if (!pending.isEmpty()) {
      out.add(new Finding("pending-import", Severity.WARNING, Section.PROFILES, id, agent.store().path(),
          String.join(", ", pending) + " " + (pending.size() == 1 ? "is" : "are") + " read from a legacy file ("
              + legacySources(agent) + ") but not yet in " + agent.store().path(),
          "they are imported in memory on every read; until they are written into the store, order and"
              + " cooldowns cannot be kept for them and the old file goes on holding secrets",
          "clawauth doctor --fix" + FixCommands.agentFlag(id)
              + " (imports them under the store lock; auth.json is deleted once the store holds it)",
          new Repair.PersistImports(agent.store())));
    } else if (authJsonParses && authJson != null && Files.isRegularFile(authJson) && !file.profiles().isEmpty()) {
      out.add(new Finding("legacy-ignored", Severity.INFO, Section.STATE, id, authJson,
          authJson + " is ignored because " + agent.store().path() + " already has profiles",
          "it may still hold old secrets that nothing reads",
          "check that nothing in it is still needed, then remove it: rm " + ShellQuote.of(authJson), null));
    }
    EnvSources sources = EnvSources.load(paths.env(), paths.dotEnvFile(), agent.config(),
        (e, timeout) -> loginShell(agent.config()));
    ObjectNode status = StatusReport.build(agent, full, pending, sources, now);
    CredentialCheck.check(agent, status, configUsable, out);
    OrderCheck.check(agent, full, out);
    if (configUsable) {
      ConfigAuthCheck.undeclared(agent, full, out);
    }
    return true;
  }

  private static String legacySources(AgentContext agent) {
    List<String> files = new ArrayList<>();
    Path a = agent.store().legacyImport().map(LegacyImport::agentAuthJson).orElse(null);
    Path o = agent.store().legacyImport().map(LegacyImport::oauthJson).orElse(null);
    if (a != null && Files.isRegularFile(a)) {
      files.add(a.toString());
    }
    if (o != null && Files.isRegularFile(o)) {
      files.add(o.toString());
    }
    return String.join(", ", files);
  }

  /** Agents to examine: the default one, the config's list, then the directories under agents/. */
  private List<String> agentIds(StatePaths paths, ClawConfig config, List<Finding> out) {
    if (onlyAgent != null) {
      return List.of(onlyAgent);
    }
    Set<String> ids = new LinkedHashSet<>();
    try {
      ids.add(AgentIds.validate(config.defaultAgentId()));
    } catch (IllegalArgumentException bad) {
      ids.add(AgentIds.DEFAULT);
    }
    for (String id : config.agentIds()) {
      try {
        ids.add(AgentIds.validate(id));
      } catch (IllegalArgumentException bad) {
        out.add(new Finding("invalid-agent-id", Severity.ERROR, Section.STATE, null, config.path(),
            "agents.list names an invalid agent id: " + bad.getMessage(),
            "that agent cannot be opened, so its credentials are never checked or used",
            "edit " + config.path() + " and rename the agent", null));
      }
    }
    Set<String> dirs = new TreeSet<>();
    if (Files.isDirectory(paths.agentsRoot())) {
      try (DirectoryStream<Path> ds = Files.newDirectoryStream(paths.agentsRoot(), Files::isDirectory)) {
        for (Path d : ds) {
          String name = d.getFileName().toString();
          try {
            if (AgentIds.validate(name).equals(name)) {
              dirs.add(name);
            }
          } catch (IllegalArgumentException notAnAgent) {
            // Not an agent directory of ours or OpenClaw's; leave it alone.
          }
        }
      } catch (IOException unreadable) {
        // The state dir's own finding (permissions) explains an unreadable agents/.
      }
    }
    ids.addAll(dirs);
    return List.copyOf(ids);
  }

  private static List<Path> gatewayTokenFiles(Path stateDir) {
    List<Path> out = new ArrayList<>();
    for (Path dir : List.of(stateDir, stateDir.resolve("gateway"))) {
      if (!Files.isDirectory(dir)) {
        continue;
      }
      try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir, p -> Files.isRegularFile(p)
          && p.getFileName().toString().toLowerCase(Locale.ROOT).contains("token"))) {
        ds.forEach(out::add);
      } catch (IOException unreadable) {
        // Reported through the directory's permissions.
      }
    }
    return out;
  }

  /** Returns true when the file is absent or parses; adds a finding when it does not. */
  private static boolean parseCheck(Path file, String agentId, String role, List<Finding> out,
      Set<Path> unparsable) {
    if (file == null || !Files.isRegularFile(file)) {
      return true;
    }
    try {
      Json.parseStrict(file, AtomicFiles.read(file));
      return true;
    } catch (JsonFileException e) {
      out.add(unparsable(agentId, e, role));
      unparsable.add(e.file());
    } catch (IOException e) {
      out.add(unreadable(agentId, file, role, e));
    }
    return false;
  }

  private static Finding unparsable(String agentId, JsonFileException e, String role) {
    Path f = e.file();
    return new Finding("unparsable-file", Severity.ERROR, Section.STATE, agentId, f,
        role + " " + f + " does not parse: line " + e.line() + ", column " + e.column() + ": " + e.problem(),
        "the credentials or settings in it cannot be read; Clawauth will not write over it, but"
            + " OpenClaw 2026.1 reads an unparsable store as empty and may overwrite it",
        "fix line " + e.line() + ", column " + e.column() + " by hand, or move the file aside: mv "
            + ShellQuote.of(f) + " " + ShellQuote.of(f + ".broken"),
        null);
  }

  private static Finding unreadable(String agentId, Path f, String role, IOException e) {
    String why = e instanceof java.nio.file.AccessDeniedException ? "permission denied"
        : e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    return new Finding("unreadable-file", Severity.ERROR, Section.STATE, agentId, f,
        role + " " + f + " cannot be read (" + why + ")",
        "the credentials or settings in it cannot be used",
        "check its owner and mode: ls -l " + ShellQuote.of(f), null);
  }

  /** The login shell's variables, read at most once per doctor run (it can take seconds). */
  private synchronized Map<String, String> loginShell(ClawConfig config) {
    if (loginShell == null) {
      long timeout = config.shellEnvTimeoutMs()
          .or(() -> env.get("OPENCLAW_SHELL_ENV_TIMEOUT_MS").flatMap(Doctor::parseLong))
          .orElse(15_000L);
      loginShell = Map.copyOf(shell.read(env, timeout));
    }
    return loginShell;
  }

  private static java.util.Optional<Long> parseLong(String s) {
    try {
      return java.util.Optional.of(Long.parseLong(s));
    } catch (NumberFormatException e) {
      return java.util.Optional.empty();
    }
  }

  /**
   * Applies the repairs of {@code examination}'s findings. Files that did not parse are never
   * touched, not even their mode; each change is reported, as is each repair declined.
   */
  public List<Change> repair(Examination examination) {
    List<Change> changes = new ArrayList<>();
    Set<Path> unparsable = examination.unparsable();
    for (Finding f : examination.findings()) {
      if (f.repair() instanceof Repair.Chmod c) {
        Repairs.chmod(f, c, unparsable, changes);
      } else if (f.repair() instanceof Repair.RemoveStaleLock l) {
        Repairs.removeStaleLock(f, l, changes);
      }
    }
    // Imports and order edits of one store go through a single locked read-modify-write.
    Map<dev.clawauth.store.CredentialStore, List<Finding>> byStore = new java.util.LinkedHashMap<>();
    for (Finding f : examination.findings()) {
      if (f.repair() instanceof Repair.PersistImports p) {
        byStore.computeIfAbsent(p.store(), k -> new ArrayList<>()).add(f);
      } else if (f.repair() instanceof Repair.DropOrderEntries d) {
        byStore.computeIfAbsent(d.store(), k -> new ArrayList<>()).add(f);
      }
    }
    byStore.forEach((store, findings) -> Repairs.storeEdits(store, findings, unparsable, clock.millis(), changes));
    for (Finding f : examination.findings()) {
      switch (f.repair()) {
        case Repair.DropConfigOrderEntries d -> Repairs.dropConfigOrder(f, d, examination.paths(), unparsable, changes);
        case Repair.DeclareProfiles d -> Repairs.declareProfiles(f, d, examination.paths(), unparsable, changes);
        case Repair.ImportLegacyJson i -> Repairs.importLegacyJson(f, i, clock, changes);
        case null, default -> { }
      }
    }
    return changes;
  }

  /** The lock directory's staleness rule, shared with {@link StoreLock}. */
  static long staleMillis() {
    return StoreLock.STALE.toMillis();
  }
}
