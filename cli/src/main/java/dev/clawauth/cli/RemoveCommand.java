package dev.clawauth.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.clawauth.AgentContext;
import dev.clawauth.agents.AgentEntry;
import dev.clawauth.agents.Agents;
import dev.clawauth.config.ConfigFile;
import dev.clawauth.json.JsonFileException;
import dev.clawauth.state.Environment;
import dev.clawauth.store.Credential;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(name = "remove", description = {
    "Delete an auth profile and every reference to it.",
    "Also removes order, lastGood and usage entries, and the config's auth.profiles entry",
    "when no other agent has a profile of that id.",
    "Asks first on a terminal; without one, --yes is required."})
public final class RemoveCommand implements Callable<Integer> {
  @Spec
  CommandSpec spec;
  @Mixin
  AgentOption agent;
  @Parameters(paramLabel = "<profileId>", description = "The profile id (see `clawauth models auth list`).")
  String profileId;
  @Option(names = {"--yes", "-y"}, description = "Do not ask for confirmation.")
  boolean yes;

  @Override
  public Integer call() throws Exception {
    AgentContext ctx = agent.open();
    String id = profileId.strip();
    var doc = ctx.store().readStored();
    if (!doc.hasProfileId(id)) {
      throw new CliException("Auth profile \"" + id + "\" not found in " + ctx.agentDir()
          + ". See `clawauth models auth list" + agent.flag(ctx) + "`.");
    }
    Optional<Credential> c = doc.profile(id);
    String what = c.map(x -> x.provider() + "/" + x.type()).orElse("unreadable profile");
    if (!yes) {
      if (!Tty.stdinIsTerminal()) {
        throw new CliException("Refusing to remove " + id + " without confirmation (no terminal to ask on);"
            + " re-run with --yes.");
      }
      try (Prompts p = Prompts.open()) {
        if (!p.confirm("Remove auth profile " + id + " (" + what + ") from " + ctx.store().holderOf(id) + "?", false)) {
          throw new CliException("Not removed.");
        }
      }
    }
    String holder = ctx.store().holderOf(id);
    boolean removed = ctx.store().update(d -> d.removeProfile(id));
    if (!removed) {
      throw new CliException("Auth profile \"" + id + "\" was removed by another process meanwhile.");
    }
    PrintWriter out = spec.commandLine().getOut();
    out.println("Removed auth profile: " + id + " (" + what + ") from " + holder);
    List<String> others = otherAgentsHolding(ctx, id);
    if (others.isEmpty()) {
      boolean[] changed = {false};
      if (ctx.config().exists()) {
        ConfigFile.update(ctx.paths().configPath(), root -> {
          if (root.path("auth").path("profiles") instanceof ObjectNode profiles && profiles.has(id)) {
            profiles.remove(id);
            changed[0] = true;
          }
          // And out of the config's orders, as OpenClaw's logout takes it out.
          if (root.path("auth").path("order") instanceof ObjectNode order) {
            List<String> emptied = new ArrayList<>();
            order.properties().forEach(e -> {
              if (e.getValue() instanceof com.fasterxml.jackson.databind.node.ArrayNode list) {
                for (int i = list.size() - 1; i >= 0; i--) {
                  if (list.get(i).asText("").trim().equals(id)) {
                    list.remove(i);
                    changed[0] = true;
                  }
                }
                if (list.isEmpty()) {
                  emptied.add(e.getKey());
                }
              }
            });
            emptied.forEach(order::remove);
          }
        });
      }
      if (changed[0]) {
        out.println("Updated " + ctx.paths().configPath() + " (removed its auth.profiles and auth.order entries)");
      }
    } else {
      out.println("Kept the config's auth.profiles entry: agent(s) " + String.join(", ", others)
          + " still have a profile " + id + ".");
    }
    out.flush();
    return 0;
  }

  private static List<String> otherAgentsHolding(AgentContext ctx, String id) throws Exception {
    List<String> out = new ArrayList<>();
    for (AgentEntry a : Agents.list(Environment.system(), ctx.clock())) {
      if (a.agentDir().equals(ctx.agentDir())) {
        continue;
      }
      try {
        AgentContext other = AgentContext.open(ctx.paths(), ctx.config(), ctx.era(), a.id(), ctx.clock());
        if (other.store().readStored().hasProfileId(id)) {
          out.add(a.id());
        }
      } catch (JsonFileException unreadable) {
        // An unreadable store may hold it: keep the config entry rather than guess.
        out.add(a.id() + " (unreadable store)");
      }
    }
    return out;
  }
}
