package dev.clawauth.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.clawauth.agents.AgentEntry;
import dev.clawauth.agents.Agents;
import dev.clawauth.hints.FixCommands;
import dev.clawauth.json.Json;
import dev.clawauth.json.JsonText;
import dev.clawauth.state.AgentIds;
import dev.clawauth.state.Environment;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(name = "agents", description = "Manage isolated agents (each with its own credentials).")
public final class AgentsCommand implements Runnable {
  @Spec
  CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }

  @Command(name = "add", description = {
      "Add a new isolated agent (no credentials are copied).",
      "Writes it to the config's agents.list and creates its agent and sessions directories."})
  static final class Add implements Callable<Integer> {
    @Spec
    CommandSpec spec;
    @Parameters(paramLabel = "<id>", description = "Agent id: " + AgentIds.RULE + ".")
    String id;
    @Option(names = "--workspace", paramLabel = "<dir>", description = "Workspace directory (default: ~/clawd-<id>).")
    Path workspace;
    @Option(names = "--non-interactive", description = "Never prompt; the workspace defaults to ~/clawd-<id>.")
    boolean nonInteractive;
    @Option(names = "--copy-auth-from", paramLabel = "<agent>",
        description = "Copy that agent's auth profiles into the new one (by default nothing is copied).")
    String copyFrom;
    @Option(names = "--json", description = "Print a JSON summary.")
    boolean json;

    @Override
    public Integer call() throws Exception {
      Environment env = Environment.system();
      String agentId = AgentIds.validate(id);
      if (copyFrom != null) {
        // Checked before anything is written: a bad source must not leave a half-made agent.
        String from = AgentIds.validate(copyFrom);
        var source = dev.clawauth.AgentContext.open(env, from, Clock.systemUTC());
        if (source.store().read().profiles().isEmpty()) {
          throw new CliException("Agent \"" + from + "\" has no auth profiles to copy (" + source.store().path() + ").");
        }
      }
      Path defaultWs = env.home().resolve("clawd-" + agentId);
      Path ws = workspace;
      if (ws == null && !nonInteractive) {
        if (!Tty.stdinIsTerminal()) {
          throw new CliException("agents add asks for the workspace on a terminal and there is none:"
              + " pass --workspace <dir>, or --non-interactive to use " + defaultWs + ".");
        }
        try (Prompts p = Prompts.open()) {
          ws = Path.of(p.line("Workspace directory", defaultWs.toString()));
        }
      }
      if (ws == null) {
        ws = defaultWs;
      }
      ws = ws.toString().startsWith("~") ? env.expand(ws.toString()) : ws;
      Agents.Added a = Agents.add(env, agentId, ws);
      List<String> copied = copyFrom == null ? List.of()
          : Agents.copyAuth(env, copyFrom, a.id(), Clock.systemUTC());
      PrintWriter out = spec.commandLine().getOut();
      if (json) {
        ObjectNode n = Json.object();
        n.put("agentId", a.id());
        n.put("workspace", a.workspace().toString());
        n.put("agentDir", a.agentDir().toString());
        n.put("sessionsDir", a.sessionsDir().toString());
        n.put("configPath", a.configPath().toString());
        copied.forEach(n.putArray("copiedProfiles")::add);
        out.print(JsonText.pretty(n));
      } else {
        out.println("Updated " + a.configPath());
        out.println("Agent: " + a.id());
        out.println("Workspace: " + a.workspace());
        out.println("Agent dir: " + a.agentDir());
        if (copyFrom != null) {
          out.println("Copied auth profiles from " + AgentIds.validate(copyFrom) + ": " + String.join(", ", copied));
        } else {
          // Always named, as the commands for the agent just added.
          String flag = FixCommands.agentFlag(a.id(), false);
          out.println("No credentials were copied. Add one with `clawauth onboard" + flag
              + "` or `clawauth models auth paste-token --provider anthropic" + flag + "`.");
        }
      }
      out.flush();
      return 0;
    }
  }

  @Command(name = "list", description = "List agents: id, agent dir, default marker, profile count.")
  static final class ListAgents implements Callable<Integer> {
    @Spec
    CommandSpec spec;
    @Option(names = "--json", description = "Print as JSON.")
    boolean json;

    @Override
    public Integer call() throws Exception {
      List<AgentEntry> agents = Agents.list(Environment.system(), Clock.systemUTC());
      PrintWriter out = spec.commandLine().getOut();
      if (json) {
        ArrayNode arr = Json.NODES.arrayNode();
        for (AgentEntry a : agents) {
          ObjectNode o = arr.addObject();
          o.put("id", a.id());
          o.put("agentDir", a.agentDir().toString());
          o.put("default", a.isDefault());
          o.put("configured", a.configured());
          if (a.profileCount() >= 0) {
            o.put("profileCount", a.profileCount());
          } else {
            o.putNull("profileCount");
            o.put("problem", a.problem());
          }
        }
        out.print(JsonText.pretty(arr));
      } else {
        for (AgentEntry a : agents) {
          out.println("- " + a.id() + (a.isDefault() ? " (default)" : "")
              + (a.configured() ? "" : " (not in config)")
              + " | agent dir: " + a.agentDir()
              + " | profiles: " + (a.profileCount() >= 0 ? a.profileCount() : "unreadable (" + a.problem() + ")"));
        }
      }
      out.flush();
      return 0;
    }
  }
}
