package dev.clawauth.gateway;

import dev.clawauth.AgentContext;
import dev.clawauth.json.JsonFileException;
import dev.clawauth.store.Credential;
import dev.clawauth.store.Providers;
import dev.clawauth.store.StoreDocument;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Which models a gateway client may ask for. {@code agents.defaults.models} is OpenClaw's list for
 * {@code /model}: what a chat may switch to and what the aliases name. It does not fence gateway
 * clients, which pick their own model ids (Claude Code asks for its own default and a small model
 * for background work): a client may use any model of a provider the agent can reach, one with a
 * credential (a store profile, an environment variable, {@code models.providers.<id>.apiKey}) or a
 * {@code models.providers} entry. Restricting a client is the job of its key's {@code --models}.
 */
final class ModelAccess {
  /** How many model ids an error lists before pointing at {@code GET /v1/models}. */
  private static final int SHOWN = 8;

  private ModelAccess() {}

  /** Why no configured provider can serve {@code model} (the text of a 404), or empty when one can. */
  static Optional<String> refusal(AgentState agent, ModelRef model, boolean hasEndpoint)
      throws IOException, JsonFileException {
    AgentContext ctx = agent.ctx();
    List<String> listed = ctx.config().allowedModels();
    if (hasEndpoint && (listed.isEmpty() || listed.contains(model.full()))) {
      // The common case decides without reading the store.
      return Optional.empty();
    }
    StoreDocument doc = agent.snapshot().doc();
    if (!hasEndpoint) {
      return Optional.of("Unknown model: " + model.full() + " (no endpoint for provider " + model.provider()
          + "; set models.providers." + model.provider() + ".baseUrl). " + available(ctx, doc));
    }
    if (reachable(ctx, doc, model.provider())) {
      return Optional.empty();
    }
    return Optional.of("Unknown model: " + model.full() + " (not in agents.defaults.models, and the agent has no"
        + " credential or models.providers entry for " + model.provider() + "). " + available(ctx, doc));
  }

  /** Whether the agent has a credential or a config entry for {@code provider}. */
  static boolean reachable(AgentContext ctx, StoreDocument doc, String provider) {
    String p = Providers.normalize(provider);
    for (Credential c : doc.profiles().values()) {
      if (Providers.normalize(c.provider()).equals(p)) {
        return true;
      }
    }
    if (ctx.config().configuredProviders().contains(p) || ConfigRefs.apiKey(ctx, p).isPresent()) {
      return true;
    }
    // The environment is read off the request's path; before then the walk over credentials decides.
    return !ctx.envLoaded() || ctx.env().forProvider(p).isPresent();
  }

  /** What the agent serves: the providers it reaches and the configured models. */
  private static String available(AgentContext ctx, StoreDocument doc) {
    Set<String> providers = new LinkedHashSet<>();
    doc.profiles().values().forEach(c -> providers.add(Providers.normalize(c.provider())));
    providers.addAll(ctx.config().configuredProviders());
    if (ctx.envLoaded()) {
      for (String p : Upstreams.DEFAULT_BASE.keySet().stream().sorted().toList()) {
        if (ctx.env().forProvider(p).isPresent()) {
          providers.add(p);
        }
      }
    }
    // A provider without an endpoint serves nothing, whatever credential it has.
    providers.removeIf(p -> Upstreams.base(ctx.config(), p).isEmpty());
    List<String> models = new ArrayList<>(ctx.config().allowedModels());
    StringBuilder sb = new StringBuilder();
    if (providers.isEmpty()) {
      sb.append("The agent has no credential for any provider (clawauth models status shows what is missing)");
    } else {
      sb.append("Served: any model of ").append(String.join(", ", providers));
    }
    if (!models.isEmpty()) {
      sb.append("; configured models: ").append(String.join(", ", models.subList(0, Math.min(SHOWN, models.size()))));
      if (models.size() > SHOWN) {
        sb.append(" and ").append(models.size() - SHOWN).append(" more");
      }
      sb.append(" (GET /v1/models lists them with their aliases)");
    }
    return sb.append('.').toString();
  }
}
