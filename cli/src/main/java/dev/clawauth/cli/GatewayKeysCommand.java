package dev.clawauth.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.clawauth.AgentContext;
import dev.clawauth.agents.AgentEntry;
import dev.clawauth.agents.Agents;
import dev.clawauth.config.ClawConfig;
import dev.clawauth.gateway.GatewayState;
import dev.clawauth.gateway.ModelRef;
import dev.clawauth.gateway.ServableModels;
import dev.clawauth.gateway.keys.ClientKey;
import dev.clawauth.gateway.keys.ClientKeys;
import dev.clawauth.gateway.keys.KeyUsage;
import dev.clawauth.hints.Durations;
import dev.clawauth.json.Json;
import dev.clawauth.json.JsonText;
import dev.clawauth.state.Environment;
import java.io.PrintWriter;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(name = "keys", description = {
    "Client keys of the gateway: one per client, each limited to an agent and optionally to models,",
    "with its own /model choice and usage counts. The gateway token keeps working as the operator's key."})
public final class GatewayKeysCommand implements Runnable {
  @Spec
  CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }

  private static ClientKeys file(AgentContext main) {
    return new ClientKeys(ClientKeys.file(main.paths()), main.clock());
  }

  @Command(name = "create", description = "Create a key and print it once (stdout); it is stored only as a hash.")
  static final class Create implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--name", required = true, paramLabel = "<name>", description = "Unique name: a-z, 0-9, '.', '_', '-'.")
    String name;

    @Option(names = "--agent", paramLabel = "<id>", description = "The agent the key reaches (default: the default agent).")
    String agent;

    @Option(names = "--models", split = ",", paramLabel = "<m1,m2>", description = "Models (ids or aliases) the key may use; default: all the agent serves.")
    List<String> models = List.of();

    @Option(names = "--expires-in", paramLabel = "<duration>", description = "Lifetime such as 90d, 12h or 30m; default: until revoked.")
    String expiresIn;

    @Override
    public Integer call() throws Exception {
      Environment env = Environment.system();
      AgentContext main = AgentContext.open(env, null, Clock.systemUTC());
      if (!name.matches("[a-z0-9._-]{1,64}")) {
        throw new CliException("--name \"" + name + "\" is not a key name: use 1 to 64 of a-z, 0-9, '.', '_' and '-'.");
      }
      String agentId = agent == null ? main.agentId() : knownAgent(env, agent.trim().toLowerCase(java.util.Locale.ROOT));
      AgentContext keyAgent = AgentContext.open(env, agentId, Clock.systemUTC());
      List<String> allowed = new ArrayList<>();
      for (String m : models) {
        if (!m.isBlank()) {
          allowed.add(knownModel(keyAgent, m.trim()));
        }
      }
      Duration lifetime;
      try {
        lifetime = expiresIn == null ? null : Duration.ofMillis(Durations.parse(expiresIn));
      } catch (IllegalArgumentException bad) {
        throw new CliException("--expires-in: " + bad.getMessage());
      }
      ClientKeys.Created created;
      try {
        created = file(main).create(name, agentId, List.copyOf(new LinkedHashSet<>(allowed)), lifetime);
      } catch (IllegalArgumentException taken) {
        throw new CliException(taken.getMessage() + ".");
      }
      ClientKey k = created.key();
      PrintWriter err = spec.commandLine().getErr();
      err.println("Created key " + k.name() + " for agent " + k.agent() + " (models: "
          + (k.models().isEmpty() ? "all" : String.join(", ", k.models())) + "; expires: "
          + (k.expiresAt() == null ? "never" : Instant.ofEpochMilli(k.expiresAt()).toString()) + ").");
      err.println("The key is shown once, below: copy it now. Only its hash is kept, in " + ClientKeys.file(main.paths()) + ".");
      err.flush();
      PrintWriter out = spec.commandLine().getOut();
      out.println(created.secret().value());
      out.flush();
      return 0;
    }

    private static String knownAgent(Environment env, String id) throws Exception {
      List<String> ids = Agents.list(env, Clock.systemUTC()).stream().map(AgentEntry::id).toList();
      if (ids.contains(id)) {
        return id;
      }
      throw new CliException("unknown agent " + id + suggestion(id, ids) + "; agents: " + String.join(", ", ids)
          + ". Add it with `clawauth agents add " + id + "`, or pick one of those.");
    }

    /**
     * The model as {@code provider/model}, when the agent's gateway would serve it: a configured
     * model or alias, or any model of a provider the agent reaches (as the gateway decides).
     */
    private static String knownModel(AgentContext agentCtx, String asked) throws Exception {
      ClawConfig config = agentCtx.config();
      String agentId = agentCtx.agentId();
      ModelRef ref = ModelRef.resolve(asked, true, config);
      String full = ref.full();
      Set<String> known = new LinkedHashSet<>();
      for (String m : config.allowedModels()) {
        known.add(ModelRef.resolve(m, true, config).full());
      }
      config.aliases().values().forEach(m -> known.add(ModelRef.resolve(m, true, config).full()));
      known.add(ModelRef.resolve(config.defaultModel(agentId), true, config).full());
      List<String> names = new ArrayList<>(known);
      names.addAll(config.aliases().keySet());
      boolean alias = config.aliases().keySet().stream().anyMatch(a -> a.equalsIgnoreCase(asked));
      if (!alias && !asked.contains("/")) {
        // A bare id means anthropic on the Messages API and openai on the OpenAI ones: a key needs one meaning.
        throw new CliException("model " + asked + " is neither an alias nor a provider/model id" + suggestion(asked, names)
            + "; aliases: " + (config.aliases().isEmpty() ? "(none)" : String.join(", ", config.aliases().keySet())) + ".");
      }
      if (known.contains(full) || ServableModels.servable(agentCtx, ref)) {
        return full;
      }
      throw new CliException("unknown model " + asked + suggestion(asked, names) + ": agent " + agentId
          + " has no credential or models.providers entry for " + ref.provider() + "; configured models: "
          + String.join(", ", known) + (config.aliases().isEmpty() ? "" : " (or their aliases "
          + String.join(", ", config.aliases().keySet()) + ")") + ".");
    }

    private static String suggestion(String asked, List<String> names) {
      String best = null;
      int bestDistance = Integer.MAX_VALUE;
      for (String n : names) {
        int d = FailureHandler.distance(asked.toLowerCase(java.util.Locale.ROOT), n.toLowerCase(java.util.Locale.ROOT));
        if (d < bestDistance) {
          best = n;
          bestDistance = d;
        }
      }
      return best != null && bestDistance <= Math.max(2, asked.length() / 3) ? " (did you mean " + best + "?)" : "";
    }
  }

  @Command(name = "list", description = "List the keys (never the keys themselves): agent, models, dates, usage.")
  static final class ListKeys implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--json", description = "Print as JSON.")
    boolean json;

    @Override
    public Integer call() throws Exception {
      AgentContext main = AgentContext.open(Environment.system(), null, Clock.systemUTC());
      List<ClientKey> keys = file(main).list();
      Map<String, KeyUsage.Totals> usage = GatewayState.read(GatewayState.file(main.paths())).keys();
      long now = main.clock().millis();
      PrintWriter out = spec.commandLine().getOut();
      if (json) {
        ArrayNode arr = Json.NODES.arrayNode();
        for (ClientKey k : keys) {
          KeyUsage.Totals t = usage.getOrDefault(k.name(), KeyUsage.Totals.NONE);
          ObjectNode o = arr.addObject();
          o.put("name", k.name());
          o.put("prefix", k.prefix());
          o.put("agent", k.agent());
          ArrayNode ms = o.putArray("models");
          k.models().forEach(ms::add);
          o.put("createdAt", k.createdAt());
          o.put("expiresAt", k.expiresAt());
          o.put("revokedAt", k.revokedAt());
          o.put("state", k.state(now));
          o.put("lastUsed", t.lastUsed() == 0 ? null : t.lastUsed());
          o.put("requests", t.requests());
          o.put("errors", t.errors());
          o.put("tokensIn", t.tokensIn());
          o.put("tokensOut", t.tokensOut());
        }
        out.print(JsonText.pretty(arr));
        out.flush();
        return 0;
      }
      if (keys.isEmpty()) {
        out.println("No client keys in " + ClientKeys.file(main.paths()) + ". Create one: clawauth gateway keys create --name <name>");
        out.flush();
        return 0;
      }
      String format = "%-16s %-12s %-10s %-24s %-10s %-12s %-12s %-12s %8s %10s %10s %6s%n";
      out.printf(format, "NAME", "KEY", "AGENT", "MODELS", "CREATED", "EXPIRES", "STATE", "LAST USED", "REQUESTS",
          "TOKENS IN", "TOKENS OUT", "ERRORS");
      for (ClientKey k : keys) {
        KeyUsage.Totals t = usage.getOrDefault(k.name(), KeyUsage.Totals.NONE);
        out.printf(format, k.name(), k.prefix() + "…", k.agent(), k.models().isEmpty() ? "all" : String.join(",", k.models()),
            day(k.createdAt()), k.expiresAt() == null ? "never" : day(k.expiresAt()), k.state(now),
            t.lastUsed() == 0 ? "never" : Durations.remaining(now - t.lastUsed()) + " ago", t.requests(), t.tokensIn(),
            t.tokensOut(), t.errors());
      }
      out.flush();
      return 0;
    }

    private static String day(long ms) {
      return Instant.ofEpochMilli(ms).toString().substring(0, 10);
    }
  }

  @Command(name = "revoke", description = "Revoke a key: the gateway refuses it from its next request on.")
  static final class Revoke implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Parameters(paramLabel = "<name>", description = "The key's name, as `gateway keys list` shows it.")
    String name;

    @Override
    public Integer call() throws Exception {
      AgentContext main = AgentContext.open(Environment.system(), null, Clock.systemUTC());
      try {
        ClientKey k = file(main).revoke(name);
        PrintWriter out = spec.commandLine().getOut();
        out.println("Revoked key " + k.name() + " (" + k.prefix() + "…); the gateway refuses it from its next request on.");
        out.flush();
        return 0;
      } catch (ClientKeys.UnknownKeyException unknown) {
        throw new CliException(unknown.getMessage() + ".");
      }
    }
  }
}
