package dev.clawauth.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.clawauth.AgentContext;
import dev.clawauth.hints.FixCommands;
import dev.clawauth.json.Json;
import dev.clawauth.json.JsonText;
import dev.clawauth.select.Candidates;
import dev.clawauth.store.Credential;
import dev.clawauth.store.Providers;
import dev.clawauth.store.StoreDocument;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(name = "order", description = "Manage the per-agent auth profile order override.")
public final class OrderCommand implements Runnable {
  @Spec
  CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }

  static final class ProviderOption {
    @Option(names = "--provider", required = true, paramLabel = "<id>", description = "Provider id (e.g. anthropic).")
    String provider;
  }

  @Command(name = "get", description = "Show the per-agent order override and the order that would be used.")
  static final class Get implements Callable<Integer> {
    @Spec
    CommandSpec spec;
    @Mixin
    AgentOption agent;
    @Mixin
    ProviderOption provider;
    @Option(names = "--json", description = "Print as JSON.")
    boolean json;

    @Override
    public Integer call() throws Exception {
      AgentContext ctx = agent.open();
      String p = Providers.normalize(provider.provider);
      StoreDocument doc = ctx.store().read();
      Optional<List<String>> stored = doc.order(p);
      Candidates.Result effective = Candidates.forProvider(p, doc, ctx.config(), ctx.clock().millis(), null);
      PrintWriter out = spec.commandLine().getOut();
      if (json) {
        ObjectNode n = Json.object();
        n.put("agentId", ctx.agentId());
        n.put("provider", p);
        n.put("authFile", ctx.store().location());
        if (stored.isPresent()) {
          stored.get().forEach(n.putArray("order")::add);
        } else {
          n.putNull("order");
        }
        effective.ids().forEach(n.putArray("effectiveOrder")::add);
        n.put("effectiveSource", effective.source().name().toLowerCase(java.util.Locale.ROOT));
        out.print(JsonText.pretty(n));
      } else {
        out.println("Agent: " + ctx.agentId());
        out.println("Provider: " + p);
        out.println("Auth file: " + ctx.store().location());
        out.println("Order override: " + stored.map(l -> String.join(", ", l)).orElse("(none)"));
        out.println("Order in use: " + (effective.ids().isEmpty() ? "(no usable profile)"
            : String.join(", ", effective.ids())) + " (" + describe(effective.source()) + ")");
      }
      out.flush();
      return 0;
    }

    private static String describe(Candidates.Source s) {
      return switch (s) {
        case STORE_ORDER -> "per-agent override";
        case CONFIG_ORDER -> "config auth.order";
        case CONFIG_PROFILES -> "config auth.profiles";
        case ROUND_ROBIN -> "round robin: oauth, token, api_key; least recently used first";
      };
    }
  }

  @Command(name = "set", description = "Set the per-agent order override (locks rotation to this list).")
  static final class Set implements Callable<Integer> {
    @Spec
    CommandSpec spec;
    @Mixin
    AgentOption agent;
    @Mixin
    ProviderOption provider;
    @Parameters(paramLabel = "<profileId>", arity = "1..*", description = "Profile ids, first preferred.")
    List<String> ids;

    @Override
    public Integer call() throws Exception {
      AgentContext ctx = agent.open();
      String p = Providers.normalize(provider.provider);
      List<String> wanted = new ArrayList<>(new LinkedHashSet<>(ids.stream().map(String::trim)
          .filter(s -> !s.isEmpty()).toList()));
      if (wanted.isEmpty()) {
        throw new CliException("Give at least one profile id, or use `order clear`.");
      }
      ctx.store().update(doc -> {
        List<String> problems = new ArrayList<>();
        for (String id : wanted) {
          Optional<Credential> c = doc.profile(id);
          if (c.isEmpty()) {
            problems.add("Auth profile \"" + id + "\" not found in " + ctx.agentDir() + ".");
          } else if (!Providers.same(c.get().provider(), p)) {
            problems.add("Auth profile \"" + id + "\" belongs to provider "
                + Providers.normalize(c.get().provider()) + ", not " + p + ".");
          }
        }
        if (!problems.isEmpty()) {
          throw new CliException(String.join(" ", problems)
              + " See `clawauth models status" + FixCommands.agentFlag(ctx.agentId())
              + "` for the profile ids.");
        }
        doc.setOrder(p, wanted);
        return null;
      });
      PrintWriter out = spec.commandLine().getOut();
      out.println("Agent: " + ctx.agentId());
      out.println("Provider: " + p);
      out.println("Order override: " + String.join(", ", wanted));
      out.flush();
      return 0;
    }
  }

  @Command(name = "clear", description = "Clear the per-agent order override (fall back to config/round robin).")
  static final class Clear implements Callable<Integer> {
    @Spec
    CommandSpec spec;
    @Mixin
    AgentOption agent;
    @Mixin
    ProviderOption provider;

    @Override
    public Integer call() throws Exception {
      AgentContext ctx = agent.open();
      String p = Providers.normalize(provider.provider);
      boolean had = ctx.store().exists() && ctx.store().readStored().order(p).isPresent()
          && ctx.store().update(doc -> doc.clearOrder(p));
      // OpenClaw 2026.9 keeps a shared order (from its import of a 2026.1 store) for every agent
      // without its own; clearing the agent's cannot remove it.
      var still = had ? ctx.store().readStored().order(p) : java.util.Optional.<List<String>>empty();
      PrintWriter out = spec.commandLine().getOut();
      out.println("Agent: " + ctx.agentId());
      out.println("Provider: " + p);
      out.println(had ? "Cleared per-agent order override." : "No per-agent order override was set.");
      still.ifPresent(ids -> out.println("The shared order of " + ctx.store().files().getFirst()
          + " still applies to every agent without its own: " + String.join(", ", ids)
          + ". Override it for this agent with `clawauth models auth order set`."));
      out.flush();
      return 0;
    }
  }
}
