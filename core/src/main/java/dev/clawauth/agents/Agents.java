package dev.clawauth.agents;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.clawauth.AgentContext;
import dev.clawauth.config.ClawConfig;
import dev.clawauth.config.ConfigFile;
import dev.clawauth.json.JsonFileException;
import dev.clawauth.state.AgentIds;
import dev.clawauth.state.Environment;
import dev.clawauth.state.StatePaths;
import dev.clawauth.store.AtomicFiles;
import dev.clawauth.store.StoreEra;
import dev.clawauth.store.StoreKind;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

/**
 * Isolated agents: each has its own agent dir and so its own credentials. Adding one writes it to
 * the config in the shape the directory's OpenClaw reads ({@code agents.list} for 2026.1,
 * {@code agents.entries} for 2026.9) and creates its directories; it copies no credentials (the
 * documents: a new agent does not inherit the main agent's key).
 */
public final class Agents {
  private Agents() {}

  /** What {@link #add} created. */
  public record Added(String id, Path workspace, Path agentDir, Path sessionsDir, Path configPath) {}

  /**
   * Registers agent {@code rawId} with {@code workspace}.
   *
   * @throws IllegalArgumentException for an invalid id or an agent that already exists
   */
  public static Added add(Environment env, String rawId, Path workspace)
      throws IOException, JsonFileException {
    String id = AgentIds.validate(rawId);
    StatePaths paths = StatePaths.resolve(env);
    ClawConfig config = ClawConfig.load(paths.configPath());
    if (id.equals(config.defaultAgentId()) || config.agentIds().contains(id)) {
      throw new IllegalArgumentException("Agent \"" + id + "\" already exists in " + paths.configPath()
          + "; pick another id, or use --agent " + id + " with the other commands.");
    }
    Path agentRoot = paths.agentsRoot().resolve(id);
    Path agentDir = agentRoot.resolve("agent");
    Path sessions = agentRoot.resolve("sessions");
    Path ws = workspace.toAbsolutePath().normalize();
    boolean entries = config.agentsShape() == ClawConfig.AgentsShape.ENTRIES
        || (config.agentsShape() == ClawConfig.AgentsShape.NONE
            && StoreEra.detect(paths, config).kind() == StoreKind.SQLITE);
    String defaultId = config.defaultAgentId();
    ConfigFile.update(paths.configPath(), root -> {
      ObjectNode agents = root.get("agents") instanceof ObjectNode a ? a : root.putObject("agents");
      if (entries) {
        addEntry(agents, root, id, ws, agentDir, defaultId, paths);
      } else {
        addToList(agents, id, ws, agentDir, paths);
      }
    });
    AtomicFiles.createPrivateDirectories(agentDir);
    AtomicFiles.createPrivateDirectories(sessions);
    if (!Files.isDirectory(ws)) {
      AtomicFiles.createPrivateDirectories(ws);
    }
    return new Added(id, ws, agentDir, sessions, paths.configPath());
  }

  /** OpenClaw 2026.1's shape: {@code agents.list: [{id, ...}]}. */
  private static void addToList(ObjectNode agents, String id, Path ws, Path agentDir, StatePaths paths) {
    ArrayNode list;
    if (agents.get("list") instanceof ArrayNode l) {
      list = l;
    } else {
      list = agents.putArray("list");
      // An explicit list replaces the implicit default agent; keep it, as 2026.1 did.
      list.addObject().put("id", AgentIds.DEFAULT);
    }
    for (JsonNode existing : list) {
      if (id.equalsIgnoreCase(existing.path("id").asText(""))) {
        throw new IllegalArgumentException("Agent \"" + id + "\" already exists in " + paths.configPath() + ".");
      }
    }
    ObjectNode entry = list.addObject();
    entry.put("id", id);
    entry.put("name", id);
    entry.put("workspace", ws.toString());
    entry.put("agentDir", agentDir.toString());
  }

  /**
   * OpenClaw 2026.9's shape, as its own {@code agents add} writes it: {@code agents.entries.<id>},
   * the implicit default agent made explicit beside it, and what 2026.9 requires once there are
   * two entries ({@code ownership: "explicit"} and the system agent for commands without
   * {@code --agent}).
   */
  private static void addEntry(ObjectNode agents, ObjectNode root, String id, Path ws, Path agentDir,
      String defaultId, StatePaths paths) {
    ObjectNode entries = agents.get("entries") instanceof ObjectNode e ? e : agents.putObject("entries");
    if (entries.has(id)) {
      throw new IllegalArgumentException("Agent \"" + id + "\" already exists in " + paths.configPath() + ".");
    }
    if (entries.isEmpty()) {
      entries.putObject(defaultId).put("workspace", paths.stateDir().resolve("workspace").toString());
    }
    ObjectNode entry = entries.putObject(id);
    entry.put("name", id);
    entry.put("workspace", ws.toString());
    entry.put("agentDir", agentDir.toString());
    entry.putObject("identity").put("name", id);
    boolean marked = false;
    for (JsonNode e : entries) {
      marked |= e.path("default").asBoolean(false);
    }
    if (!marked && !agents.has("ownership")) {
      agents.put("ownership", "explicit");
    }
    ObjectNode defaults = agents.get("defaults") instanceof ObjectNode d ? d : agents.putObject("defaults");
    if (!defaults.has("systemAgent")) {
      defaults.putObject("systemAgent").put("agentId", defaultId);
    }
    if (!defaults.has("heartbeat")) {
      defaults.putObject("heartbeat").put("agentId", defaultId);
    }
    if (!root.has("talk")) {
      root.putObject("talk").put("agentId", defaultId);
    }
  }

  /**
   * Copies every readable profile of agent {@code fromId} into agent {@code toId}'s store (only when
   * asked: agents are isolated by default). Profiles already under the same id are left alone.
   *
   * @return the ids copied
   */
  public static List<String> copyAuth(Environment env, String fromId, String toId, Clock clock)
      throws IOException, JsonFileException {
    AgentContext from = AgentContext.open(env, AgentIds.validate(fromId), clock);
    AgentContext to = AgentContext.open(env, AgentIds.validate(toId), clock);
    if (from.agentDir().equals(to.agentDir())) {
      throw new IllegalArgumentException("Cannot copy auth from agent \"" + fromId + "\" into itself.");
    }
    var source = from.store().read().profiles();
    if (source.isEmpty()) {
      throw new IllegalArgumentException("Agent \"" + from.agentId() + "\" has no auth profiles to copy ("
          + from.store().path() + ").");
    }
    return to.store().update(doc -> {
      List<String> copied = new ArrayList<>();
      source.forEach((id, credential) -> {
        if (!doc.hasProfileId(id)) {
          doc.putProfile(id, credential);
          copied.add(id);
        }
      });
      return copied;
    });
  }

  /** The configured agents, the default one, and agent dirs found on disk, each with its profile count. */
  public static List<AgentEntry> list(Environment env, Clock clock) throws IOException, JsonFileException {
    StatePaths paths = StatePaths.resolve(env);
    ClawConfig config = ClawConfig.load(paths.configPath());
    String defaultId = config.defaultAgentId();
    Set<String> configured = new LinkedHashSet<>(config.agentIds());
    Set<String> ids = new LinkedHashSet<>();
    ids.add(defaultId);
    ids.addAll(configured);
    if (Files.isDirectory(paths.agentsRoot())) {
      try (Stream<Path> dirs = Files.list(paths.agentsRoot())) {
        dirs.filter(d -> Files.isDirectory(d.resolve("agent"))).map(d -> d.getFileName().toString())
            .sorted().forEach(name -> {
              try {
                ids.add(AgentIds.validate(name));
              } catch (IllegalArgumentException notAnAgent) {
                // A directory OpenClaw would not name an agent; not ours to list.
              }
            });
      }
    }
    List<AgentEntry> out = new ArrayList<>();
    for (String id : ids) {
      AgentContext ctx = AgentContext.open(env, id, clock);
      int count;
      String problem = null;
      try {
        count = ctx.store().read().profiles().size();
      } catch (JsonFileException bad) {
        count = -1;
        problem = bad.getMessage();
      }
      out.add(new AgentEntry(id, ctx.agentDir(), id.equals(defaultId),
          configured.contains(id) || id.equals(defaultId), count, problem));
    }
    return out;
  }
}
